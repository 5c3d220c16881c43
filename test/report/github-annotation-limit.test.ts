/**
 * GitHub Actions makes at most 10 error, 10 warning and 10 notice annotations of one step's
 * workflow commands, in the order they are written, and drops the rest without a word (they stay
 * in the log only). A check with more failing services than that must still show, in the
 * annotations GitHub keeps, why the job failed and that there is more.
 */
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { buildReport } from '../../src/report/report.js';
import { service } from '../helpers/reports.js';
import type { ServiceResult } from '../../src/probes/result.js';

const meta = { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 10, failOn: 'degraded' as const, interrupted: false };

/** What the runner annotates: the first 10 commands of each level, in order. */
function annotated(output: string): Record<string, string[]> {
  const kept: Record<string, string[]> = { error: [], warning: [], notice: [] };
  for (const line of output.split('\n')) {
    const level = /^::(error|warning|notice) /.exec(line)?.[1];
    if (level && (kept[level] as string[]).length < 10) (kept[level] as string[]).push(line);
  }
  return kept;
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

describe('github annotations within what GitHub keeps per step', () => {
  const services: ServiceResult[] = [
    // Optional services first in the config: their warnings used to take all ten places.
    ...names('optional', 15).map((name) => service(name, 'down', { critical: false })),
    ...names('api', 25).map((name) => service(name, 'down')),
    service('checkout', 'degraded'),
  ];
  const output = renderGithub(buildReport(services, meta));
  const kept = annotated(output);

  it('annotates nine failing services, then says how many more and which, as the tenth', () => {
    expect(kept.error?.slice(0, 9).map((l) => /title=outage%3A (.*?) down/.exec(l)?.[1])).toEqual(names('api', 9));
    expect(kept.error?.[9]).toMatch(/^::error title=outage%3A 16 more services down or unknown::/);
    expect(kept.error?.[9]).toContain('api 10 (down), api 11 (down), api 12 (down)');
    expect(kept.error?.[9]).toContain('GitHub annotates 10 errors a step');
  });

  it('keeps every service in the log, each on its own workflow command line', () => {
    for (const name of [...names('api', 25), ...names('optional', 15), 'checkout']) {
      expect(output).toMatch(new RegExp(`^::(error|warning) title=outage%3A ${name} (down|degraded)`, 'm'));
    }
    expect(output.trimEnd().split('\n').at(-1)).toBe('outage: DOWN — 41 services: 0 up, 1 degraded, 40 down');
  });

  it('puts a warning that fails the check before those of optional services', () => {
    expect(kept.warning?.[0]).toMatch(/^::warning title=outage%3A checkout degraded/);
    expect(kept.warning?.[9]).toMatch(/^::warning title=outage%3A 7 more warnings::.*optional 9 \(down, non-critical\)/);
  });

  it('keeps the tenth short, however long the names left out are', () => {
    const long = names('x'.repeat(700), 12).map((name) => service(name, 'down'));
    const tenth = annotated(renderGithub(buildReport(long, meta))).error?.[9] as string;
    expect(tenth).toMatch(/^::error title=outage%3A 3 more services down or unknown::not annotated .*: …$/);
  });

  it('changes nothing while every level fits', () => {
    const few = renderGithub(buildReport([...names('api', 10).map((name) => service(name, 'down')), service('web', 'up')], meta));
    expect(few.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(few).not.toMatch(/ more (services|warnings)/);
  });
});
