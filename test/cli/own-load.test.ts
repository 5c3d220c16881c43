/**
 * The real CLI under its own load: a preloaded script holds outage's event loop for 2.5 s right
 * after its request went out (test/helpers/hold-loop.mjs), while the loopback server — in this
 * process, on its own loop — answers after 100 ms. The answer waits unread behind outage's own
 * work; the service is still reported up, from a second measurement, with honest timings. A
 * server that is really slow while outage is idle is still http.slow, exit 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { configFile, runCli } from '../helpers/cli.js';
import { startHttp, type TestServer } from '../helpers/servers.js';

const HOLD = new URL('../helpers/hold-loop.mjs', import.meta.url).href;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const answeringAfter = async (ms: number) => (server = await startHttp((_req, res) => setTimeout(() => res.end('ok'), ms)));
const config = (url: string) => configFile({ defaults: { retries: 0 }, services: [{ name: 'api', url }] });
const httpTimings = (report: Report) => report.services[0]?.probes.find((p) => p.kind === 'http')?.timings;

describe("outage check under its own load (CLI)", () => {
  it('a service whose answer waited 2.5 s on outage itself is up, measured again: exit 0, JSON with the honest timings', async () => {
    const s = await answeringAfter(100);
    const env = { NODE_OPTIONS: `--import=${HOLD}`, OUTAGE_TEST_HOLD_PORT: String(s.port), OUTAGE_TEST_HOLD_MS: '2500' };
    const r = await runCli(['check', '-c', config(`${s.url}/`), '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.services[0]).toMatchObject({ status: 'up', code: null });
    expect(report.services[0]?.probes.find((p) => p.kind === 'http')).toMatchObject({ status: 'up', attempts: 1 });
    // Less 1 ms: the server's timer runs on libuv's millisecond clock and can fire that early.
    expect(httpTimings(report)?.total).toBeGreaterThanOrEqual(99);
    expect(httpTimings(report)?.total).toBeLessThan(2000);
    expect(report.warnings).toContain('1 service was measured again when outage was quiet, because its own load clouded the first measurement; the report gives the second');
    expect(s.requests).toBe(2);
  });

  it('a service that really answers after 2.5 s while outage is idle is http.slow: exit 1', async () => {
    const s = await answeringAfter(2500);
    const r = await runCli(['check', '-c', config(`${s.url}/`), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.services[0]).toMatchObject({ status: 'degraded', code: 'http.slow' });
    expect(httpTimings(report)?.total).toBeGreaterThanOrEqual(2500);
    expect(httpTimings(report)?.ownBusy).toBeLessThan(500);
    expect(report.warnings).toEqual([]);
    expect(s.requests).toBe(1);
  });
});
