/**
 * Admission control: services start only while outage's own event loop is on time, so a loop
 * busy with handshakes never adds its own delay to the timings of services it starts.
 */
import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../src/run/admission.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('admission', () => {
  it('lets a burst start at once and the rest on later ticks, in order', async () => {
    const admission = createAdmission({ sampleMs: 2, maxLagMs: 1000, burst: 3 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 7 }, (_, i) => admission.admit().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    admission.close();
  });

  it('starts nothing on a tick that came late because the loop was busy', async () => {
    const admission = createAdmission({ sampleMs: 2, maxLagMs: 10, burst: 1 });
    await admission.admit();
    let started = 0;
    const waiting = [admission.admit(), admission.admit()].map((p) => p.then(() => started++));
    // Blocks the loop well past the threshold: the tick that then fires is late and admits no one.
    busy(40);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toBe(0);
    await Promise.all(waiting);
    expect(started).toBe(2);
    admission.close();
  });

  it('lets every waiter through when closed (an interrupted run ends at once)', async () => {
    const admission = createAdmission({ sampleMs: 1000, burst: 1 });
    await admission.admit();
    const waiting = Promise.all([admission.admit(), admission.admit()]);
    admission.close();
    await expect(waiting).resolves.toBeDefined();
    await expect(admission.admit()).resolves.toBeUndefined();
  });
});
