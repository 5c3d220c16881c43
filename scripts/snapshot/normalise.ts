/**
 * What differs between two runs of the same code, replaced by stable names: timings (any number
 * with ms/s, JSON timing fields, JUnit time=, Prometheus duration samples, Nagios perfdata times),
 * "now" timestamps, the random ports (PORT_<server>), the certificates' dates and fingerprints,
 * temp paths, table padding (cell widths follow the widths of the timings) and event-loop stall
 * warnings. Everything else — statuses, codes, reasons, exit codes, stderr, structure, key
 * order — is kept.
 */
import type { CertFacts } from './cert-facts.js';
import type { Kind } from './formats.js';

export interface RunFacts {
  /** Port → `PORT_<label>`. */
  ports: ReadonlyMap<number, string>;
  certs: CertFacts;
  /** When the harness started (ms): instants from then to now are "now". */
  startedAt: number;
  /** The temp folder of the scenarios' config files, and the test PKI's. */
  confDir: string;
  pkiDir: string;
}

export type Normalise = (text: string, kind: Kind) => string;

const ISO = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g;
const DAY = /\b\d{4}-\d{2}-\d{2}\b(?!T\d)/g;
const OPENSSL_DATE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4} GMT\b/g;
const FINGERPRINT = /\b(?:[0-9A-F]{2}:){31}[0-9A-F]{2}\b/gi;
/**
 * A measured time: a number with a unit, `12ms`, `1.5 s`, `0.123s` (Nagios perfdata). Not the
 * configured thresholds and budgets quoted in reasons (`slower than 50ms`, `within 800ms`).
 */
const DURATION = /(?<![\w.])(?<!(?:slower than|within) )-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\s?(?:ms|µs|μs|s)\b/g;
const STALL = /event loop stalled/;
/** JSON fields that hold timings or instants. */
const TIMING_KEYS = new Set(['durationMs', 'total', 'dns', 'connect', 'tls', 'ttfb', 'transfer', 'ownBusy', 'time', 'maxEventLoopDelayMs']);
/** Prometheus families whose values are durations or instants. */
const PROM_TIMES = /^(probe_duration_seconds|outage_probe_duration_seconds|probe_http_duration_seconds|probe_dns_lookup_time_seconds|probe_ssl_earliest_cert_expiry|outage_last_check_timestamp_seconds)\b/;
const PROM_INSTANTS = /^(probe_ssl_earliest_cert_expiry|outage_last_check_timestamp_seconds)\b/;

export function createNormaliser(facts: RunFacts): Normalise {
  const { ports, certs, startedAt } = facts;

  /** An instant of this run: [start of the harness − 5 min, now + 5 min]. */
  const isNow = (ms: number) => ms >= startedAt - 300_000 && ms <= Date.now() + 300_000;

  const instant = (ms: number, original: string): string => {
    const cert = certs.times.get(Math.floor(ms / 1000) * 1000);
    if (cert) return `<CERT ${cert}>`;
    return isNow(ms) ? '<NOW>' : original;
  };

  const dates = (text: string): string =>
    text
      .replace(ISO, (all, day: string, time: string, fraction: string | undefined, zone: string | undefined) => instant(Date.parse(`${day}T${time}${fraction ?? ''}${zone ?? 'Z'}`), all))
      .replace(OPENSSL_DATE, (all) => instant(Date.parse(all), all))
      .replace(DAY, (day) => {
        const cert = certs.days.get(day);
        if (cert) return `<DATE ${cert}>`;
        return day === new Date(startedAt).toISOString().slice(0, 10) || day === new Date().toISOString().slice(0, 10) ? '<TODAY>' : day;
      });

  const portNames = (text: string): string => {
    if (ports.size === 0) return text;
    const pattern = new RegExp(`(?<!\\d)(${[...ports.keys()].join('|')})(?!\\d)`, 'g');
    return text.replace(pattern, (port) => ports.get(Number(port)) ?? port);
  };

  const paths = (text: string): string => text.split(facts.confDir).join('<CONFIG_DIR>').split(facts.pkiDir).join('<PKI_DIR>');

  const json = (text: string): string | undefined => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (`${JSON.stringify(parsed, null, 2)}\n` !== text) return undefined;
    const walk = (value: unknown, key?: string): unknown => {
      if (Array.isArray(value)) {
        const items = key === 'warnings' ? value.filter((w) => !(typeof w === 'string' && STALL.test(w))) : value;
        return items.map((v) => walk(v));
      }
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
      if (typeof value === 'number' && key !== undefined && TIMING_KEYS.has(key)) return '<T>';
      // A port as a number (`"port": 41234`) becomes its name as a string: the file stays JSON.
      if (typeof value === 'number' && ports.has(value)) return ports.get(value);
      return value;
    };
    return `${JSON.stringify(walk(parsed), null, 2)}\n`;
  };

  return (text, kind) => {
    if (kind === 'json') {
      // Not one JSON document in JSON.stringify(_, null, 2) form: compare it as text, and say so.
      text = json(text) ?? (text === '' ? text : `NOTE: stdout is not one JSON document as JSON.stringify(report, null, 2) writes it\n${text}`);
    }
    text = dropStallWarnings(text, kind);
    text = paths(text);
    text = dates(text);
    text = text.replace(FINGERPRINT, (fp) => certs.fingerprints.get(fp.toUpperCase()) ?? '<FINGERPRINT>');
    if (kind === 'junit') text = text.replace(/\b(time)="[^"]*"/g, '$1="<T>"');
    if (kind === 'tap') text = text.replace(/^(\s+duration_ms: )-?[\d.e+-]+$/gm, '$1<T>');
    if (kind === 'prometheus') {
      // `name{label="value, maybe with spaces"} sample`
      text = text.replace(/^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/gm, (line, series: string, value: string) => {
        if (!PROM_TIMES.test(series)) return line;
        if (PROM_INSTANTS.test(series)) return `${series} ${instant(Number(value) * 1000, value)}`;
        return `${series} <T>`;
      });
    }
    text = text.replace(DURATION, '<T>');
    // Right-aligned timings (`-v`) are padded to their own width.
    text = text.replace(/ {2,}<T>/g, ' <T>');
    text = portNames(text);
    if (kind === 'table') text = tableCells(text);
    return text;
  };
}

/** Stalls depend on the machine's load, not on the code under test. */
function dropStallWarnings(text: string, kind: Kind): string {
  if (!STALL.test(text)) return text;
  // markdown: a blank line, then `> ⚠️ …`; everywhere else one line.
  if (kind === 'markdown') text = text.replace(/\n\n> [^\n]*event loop stalled[^\n]*/g, '');
  return text
    .split('\n')
    .filter((line) => !STALL.test(line))
    .join('\n');
}

/** Table cells are padded to the widest value in their column, and timings vary in width. */
function tableCells(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (/^[┌├└][─┬┼┴┐┤┘]+$/.test(line)) return line.replace(/─+/g, '─');
      if (line.startsWith('│')) return line.split('│').map((cell) => cell.trim()).join(' │ ').trim();
      return line;
    })
    .join('\n');
}
