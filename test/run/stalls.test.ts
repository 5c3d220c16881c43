import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { withProbe } from '../helpers/kinds.js';

describe('a run that stalls its own event loop', () => {
  it('warns that its timings may be inflated', async () => {
    // Stands in for a CPU-bound run: the probe holds the event loop for 250 ms.
    const kinds = withProbe('tcp', async () => {
      await new Promise((r) => setTimeout(r, 30));
      const until = performance.now() + 250;
      while (performance.now() < until);
      await new Promise((r) => setTimeout(r, 30));
      return { kind: 'tcp', port: 1, address: '127.0.0.1:1', attempts: [], durationMs: 250 };
    });
    const report = await check({ config: { services: [{ name: 'db', tcp: '127.0.0.1:1' }] }, concurrency: 8, kinds });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^outage was CPU-bound at concurrency 8: its event loop stalled for up to \d+ ms/);
  });

  it('says nothing when it was responsive', async () => {
    const kinds = withProbe('tcp', async () => ({ kind: 'tcp', port: 1, address: '127.0.0.1:1', attempts: [], durationMs: 1 }));
    const report = await check({ config: { services: [{ name: 'db', tcp: '127.0.0.1:1' }] }, kinds });
    expect(report.warnings).toEqual([]);
  });
});
