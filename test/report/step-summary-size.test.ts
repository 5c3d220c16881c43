/**
 * GitHub keeps at most 1 MiB of step summary per step, and drops all of it — with an error in the
 * job — when a step writes more. A check of thousands of services wrote a table past that, so the
 * summary vanished on exactly the runs where it mattered. Given a budget, the markdown table keeps
 * within it: every service that is not up first, then as many up as fit, and says what it left out.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { service } from '../helpers/reports.js';

const meta = { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 10, failOn: 'degraded' as const, interrupted: false };
const MIB = 1024 * 1024;

/** 12,000 services, every 1000th down, with long names: about 2 MiB of table. */
function large() {
  return buildReport(
    Array.from({ length: 12_000 }, (_, i) => service(`service-${i}-${'x'.repeat(80)}`, i % 1000 === 999 ? 'down' : 'up')),
    meta,
  );
}
const rowsOf = (markdown: string) => markdown.split('\n').filter((l) => l.startsWith('| service-'));

describe('markdown within a byte budget (the GitHub step summary)', () => {
  it('is whole when it fits', () => {
    const small = buildReport([service('api', 'up'), service('db', 'down')], meta);
    expect(renderMarkdown(small, { maxBytes: MIB })).toBe(renderMarkdown(small));
  });

  it('stays within the budget, keeps every service not up, in config order, and says what it left out', () => {
    const whole = renderMarkdown(large());
    expect(Buffer.byteLength(whole)).toBeGreaterThan(MIB);
    const cut = renderMarkdown(large(), { maxBytes: MIB });
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MIB);
    const rows = rowsOf(cut);
    const down = rows.filter((r) => r.includes(' down |'));
    expect(down).toHaveLength(12);
    const numbers = rows.map((r) => Number(/^\| service-(\d+)-/.exec(r)?.[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const left = 12_000 - rows.length;
    expect(left).toBeGreaterThan(0);
    expect(cut).toContain(`${left} services not shown (all up)`);
    // Still the heading and the closing line.
    expect(cut).toMatch(/^### 🔴 outage: DOWN — 12000 services: 11988 up, 12 down\n/);
    expect(cut).toMatch(/<sub>Checked .* · exit code 2<\/sub>\n$/);
  });
});
