/**
 * Issue: an outage checker runs when things are at their worst. 30+ hostile targets in one run,
 * 2 s timeout, 1 retry: every target classified, the run inside its budget, nothing unhandled,
 * and file descriptors bounded.
 */
import { readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { startHostileWorld, type Hostile, type HostileWorld } from './servers.js';

let world: HostileWorld;
let targets: Hostile[] = [];
let caFile: string;

beforeAll(async () => {
  world = await startHostileWorld();
  ({ targets, caFile } = world);
  // The targets that use their whole budget go first, so all of them start at once: the run's
  // length is then one budget (2 s × 2 attempts), not one budget plus queueing behind the others.
  const slow = new Set(['http.timeout', 'http.body_timeout', 'tls.handshake_timeout', 'dns.timeout']);
  targets.sort((a, b) => Number(slow.has(b.expect[1] ?? '')) - Number(slow.has(a.expect[1] ?? '')));
});

afterAll(() => world.close());

describe('hostile targets', () => {
  it('classifies every one within the budget, with no unhandled error and bounded file descriptors', async () => {
    expect(targets.length).toBeGreaterThanOrEqual(30);
    const dir = mkdtempSync(join(tmpdir(), 'outage-hostile-'));
    const config = join(dir, 'hostile.json');
    writeFileSync(config, JSON.stringify({ defaults: { timeout: '2s', retries: 1, concurrency: 8 }, services: targets.map((t) => ({ name: t.name, ...t.service })) }));

    const running = startCli(['check', '--config', config, '--json'], { env: { NODE_EXTRA_CA_CERTS: caFile } });
    let maxFds = 0;
    const spawned = performance.now();
    const sampler = setInterval(() => {
      // Node's module loader briefly holds dozens of files open at start-up (zod alone opens ~80);
      // the bound is about probing, which runs well after the first second.
      if (performance.now() - spawned < 1000) return;
      try {
        maxFds = Math.max(maxFds, readdirSync(`/proc/${running.child.pid}/fd`).length);
      } catch {
        // the process has exited
      }
    }, 10);
    const result = await running.result.finally(() => clearInterval(sampler));

    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const outcomes = report.services.map((s: { name: string; status: string; code: string | null }) => [s.name, s.status, s.code]);
    expect(outcomes).toEqual(targets.map((t) => [t.name, ...t.expect]));
    // Budget: timeout × attempts + 1 s (each service); with 8 at once every wave fits well within that.
    expect(report.durationMs).toBeLessThan(5000);
    expect(result.durationMs).toBeLessThan(6000);
    // concurrency 8: at most ~3 descriptors per service in flight, plus Node's own (~20).
    expect(maxFds).toBeGreaterThan(0);
    expect(maxFds).toBeLessThan(8 * 3 + 25);
    expect(result.stdout).not.toContain('s3cr3t-pw');
  });
});
