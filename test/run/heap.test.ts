/**
 * A large run bounds V8's heap growth (src/run/heap.ts), once; a small one leaves V8's flags alone:
 * a flag set while Node runs makes it compile every built-in module loaded afterwards from source.
 */
import v8 from 'node:v8';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/check.js';
import { LARGE_RUN } from '../../src/run/heap.js';
import { withProbe } from '../helpers/kinds.js';

const setFlags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => {});
afterAll(() => setFlags.mockRestore());

const kinds = withProbe('tcp', async () => ({ kind: 'tcp', port: 1, address: '127.0.0.1:1', attempts: [], durationMs: 1 }));
const services = (n: number) => ({ canaries: [], services: Array.from({ length: n }, (_, i) => ({ name: `db${i}`, tcp: '127.0.0.1:1' })) });

describe('heap growth', () => {
  it('a run smaller than a large one sets no V8 flag', async () => {
    const report = await check({ config: services(LARGE_RUN - 1), kinds });
    expect(report.counts.up).toBe(LARGE_RUN - 1);
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('a large run grows the heap in 25% steps, set once for every run after it', async () => {
    await check({ config: services(LARGE_RUN), kinds });
    await check({ config: services(LARGE_RUN), kinds });
    expect(setFlags.mock.calls).toEqual([['--heap-growing-percent=25']]);
  });
});
