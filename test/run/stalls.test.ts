import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { withProbe } from '../helpers/kinds.js';

/** Stands in for a CPU-bound run: each probe holds the event loop for 250 ms. */
const stalling = withProbe('tcp', async () => {
  await new Promise((r) => setTimeout(r, 30));
  const until = performance.now() + 250;
  while (performance.now() < until);
  await new Promise((r) => setTimeout(r, 30));
  return { kind: 'tcp', port: 1, address: '127.0.0.1:1', attempts: [], durationMs: 250 };
});

const services = (n: number) => ({ services: Array.from({ length: n }, (_, i) => ({ name: `db${i}`, tcp: '127.0.0.1:1' })) });

describe('a run that stalls its own event loop', () => {
  it('warns that its timings may be inflated, quoting the concurrency that ran', async () => {
    const report = await check({ config: services(3), concurrency: 2, kinds: stalling });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^outage was CPU-bound at concurrency 2: its event loop stalled for up to \d+ ms.*a lower --concurrency measures more truly$/);
  });

  it('quotes the number of services when fewer ran than the cap', async () => {
    const report = await check({ config: services(3), concurrency: 64, kinds: stalling });
    expect(report.warnings[0]).toMatch(/^outage was CPU-bound at concurrency 3: /);
  });

  it('one service: no concurrency to quote or lower', async () => {
    const report = await check({ config: services(1), concurrency: 64, kinds: stalling });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^outage was CPU-bound: its event loop stalled for up to \d+ ms, so the timings shown may be inflated \(verdicts leave outage's busy time out\)$/);
    expect(report.warnings[0]).not.toMatch(/concurrency/);
  });

  it('says nothing when it was responsive', async () => {
    const kinds = withProbe('tcp', async () => ({ kind: 'tcp', port: 1, address: '127.0.0.1:1', attempts: [], durationMs: 1 }));
    const report = await check({ config: { services: [{ name: 'db', tcp: '127.0.0.1:1' }] }, kinds });
    expect(report.warnings).toEqual([]);
  });
});
