/**
 * Prometheus text exposition (format 0.0.4): metric families written with HELP and TYPE, labels
 * escaped. One writer for `--format prometheus` and for `outage serve`'s /probe and /metrics.
 */

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string>;
export type MetricType = 'gauge' | 'counter' | 'histogram';

interface Sample {
  suffix: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** Collects families in the order they are declared; empty ones are left out when written. */
export class Exposition {
  private readonly families: Family[] = [];

  family(name: string, type: MetricType, help: string): (value: number, labels?: Labels) => void {
    const family: Family = { name, help, type, samples: [] };
    this.families.push(family);
    return (value, labels = {}) => family.samples.push({ suffix: '', labels, value });
  }

  /** A histogram family from cumulative bucket counts (upper bounds ascending, +Inf implied). */
  histogram(name: string, help: string, bounds: readonly number[], counts: readonly number[], sum: number, count: number): void {
    const family: Family = { name, help, type: 'histogram', samples: [] };
    bounds.forEach((le, i) => family.samples.push({ suffix: '_bucket', labels: { le: String(le) }, value: counts[i] ?? 0 }));
    family.samples.push({ suffix: '_bucket', labels: { le: '+Inf' }, value: count });
    family.samples.push({ suffix: '_sum', labels: {}, value: sum });
    family.samples.push({ suffix: '_count', labels: {}, value: count });
    this.families.push(family);
  }

  text(): string {
    return this.families
      .filter((f) => f.samples.length > 0)
      .map((f) => [`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`, ...f.samples.map((s) => `${f.name}${s.suffix}${labelSet(s.labels)} ${formatValue(s.value)}`)].join('\n'))
      .join('\n')
      .concat('\n');
  }
}

function labelSet(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(Math.round(value * 1e6) / 1e6);
}
