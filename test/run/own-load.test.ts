/**
 * outage's own load is never the target's latency: a healthy loopback service whose answer waited
 * while outage's event loop was blocked by other work is up (measured again when quiet), a
 * service that is really slow while outage is idle stays http.slow, and a real timeout stays down.
 * The block is a stand-in probe of another service that holds the loop synchronously, started
 * once the first service's request has reached its server — events, not sleeps, order the two.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { check, prepareCheck, runCheck } from '../../src/check.js';
import type { ServiceSpec } from '../../src/config/service.js';
import type { ProbeContext } from '../../src/probes/contract.js';
import { KINDS, type KindRegistry } from '../../src/probes/registry.js';
import type { HttpObservation } from '../../src/probes/http/observation.js';
import type { ProbeResult, Report } from '../../src/probes/result.js';
import { startHttp, type TestServer } from '../helpers/servers.js';

const hold = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/**
 * A loopback server: each request is announced, then answered after `answerMs` (never, if
 * undefined); `answerMs` may also choose by request number (1, 2, …), 'never' or a status.
 */
async function server(answerMs: number | undefined | ((n: number) => number | 'never' | { status: number })) {
  let announce: () => void = () => {};
  let n = 0;
  const firstRequest = new Promise<void>((resolve) => (announce = resolve));
  const s = await startHttp((_req, res) => {
    announce();
    const answer = typeof answerMs === 'function' ? answerMs(++n) : answerMs;
    if (typeof answer === 'object') {
      res.statusCode = answer.status;
      res.end('busy');
    } else if (typeof answer === 'number') setTimeout(() => res.end('ok'), answer);
  });
  servers.push(s);
  return { ...s, firstRequest, get requests() { return s.requests; } };
}

/**
 * The registry, with the tcp probe of the service named `blocker` replaced: once `start` resolves,
 * it holds outage's event loop for `ms`, as a thousand handshakes would.
 */
function withBlocker(start: Promise<void>, ms: number, afterMs = 0): KindRegistry {
  const probe = async (service: ServiceSpec, context: ProbeContext) => {
    if (service.name !== 'blocker') return KINDS.tcp.probe(service, context);
    await start;
    if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
    hold(ms);
    return { kind: 'tcp' as const, port: 1, address: '127.0.0.1:1', attempts: [], durationMs: ms };
  };
  return { ...KINDS, tcp: { ...KINDS.tcp, probe } };
}

const blocker = { name: 'blocker', tcp: '127.0.0.1:1' };
const named = (report: Report, name: string) => report.services.find((s) => s.name === name)!;
const httpOf = (report: Report, name: string) => named(report, name).probes.find((p): p is Extract<ProbeResult, { kind: 'http' }> => p.kind === 'http')!;

describe("outage's own load is not the target's latency", () => {
  it('a service answering in 10 ms while outage is blocked for 2.5 s is up, measured again when quiet', async () => {
    const api = await server(10);
    const report = await check({ config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${api.url}/` }, blocker] }, kinds: withBlocker(api.firstRequest, 2500) });
    expect(named(report, 'api')).toMatchObject({ status: 'up', code: null });
    expect(named(report, 'api').reason).toMatch(/^HTTP 200 in \d+ms$/);
    // The report gives the second measurement, and only it: one attempt, no flap, honest timings.
    const http = httpOf(report, 'api');
    expect(http).toMatchObject({ status: 'up', attempts: 1 });
    expect(http.details).not.toHaveProperty('firstFailure');
    expect(http.timings?.total).toBeLessThan(2000);
    // Taken when outage was quiet: not the 2.5 s it was busy the first time. (Not compared with
    // `total`: the busy window runs from the attempt's start, `total` from the request.)
    expect(http.timings?.ownBusy).toBeLessThan(500);
    expect(api.requests).toBe(2);
    expect(report.warnings).toContain("1 service was measured again when outage was quiet, because its own load clouded the first measurement; the report gives the second");
    expect(report.exitCode).toBe(0);
  });

  it('the same with the retry a service has by default: still simply up', async () => {
    const api = await server(10);
    const report = await check({ config: { services: [{ name: 'api', url: `${api.url}/` }, blocker] }, kinds: withBlocker(api.firstRequest, 2500) });
    expect(named(report, 'api')).toMatchObject({ status: 'up', code: null });
    expect(httpOf(report, 'api')).toMatchObject({ status: 'up', attempts: 1 });
  });

  it('a service that really answers after 2.5 s while outage is idle stays http.slow, measured once', async () => {
    const slow = await server(2500);
    const report = await check({ config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${slow.url}/` }] } });
    expect(named(report, 'api')).toMatchObject({ status: 'degraded', code: 'http.slow' });
    const http = httpOf(report, 'api');
    expect(http.timings?.total).toBeGreaterThanOrEqual(2500);
    expect(http.timings?.ownBusy).toBeLessThan(500);
    expect(slow.requests).toBe(1);
    expect(report.warnings).toEqual([]);
    expect(report.exitCode).toBe(1);
  });

  it('a budget that ran out while outage was blocked is no timeout: measured again, up', async () => {
    const api = await server(10);
    const report = await check({
      config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${api.url}/`, timeout: '1s' }, blocker] },
      kinds: withBlocker(api.firstRequest, 2500),
    });
    expect(named(report, 'api')).toMatchObject({ status: 'up', code: null });
    expect(httpOf(report, 'api')).toMatchObject({ attempts: 1 });
    expect(api.requests).toBe(2);
  });

  it('a real timeout stays down, measured once when outage was idle', async () => {
    const silent = await server(undefined);
    const report = await check({ config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${silent.url}/`, timeout: '500ms' }] } });
    expect(named(report, 'api')).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(silent.requests).toBe(1);
  });

  it('a real timeout that first ran out while outage was blocked is measured again and stays down', async () => {
    const silent = await server(undefined);
    const report = await check({
      config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${silent.url}/`, timeout: '1s' }, blocker] },
      kinds: withBlocker(silent.firstRequest, 1500),
    });
    expect(named(report, 'api')).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(silent.requests).toBe(2);
  });
});

describe('still doubtful when measured again', () => {
  /** An HTTP probe that is itself the load: it holds the loop for most of what it reports. */
  const loaded = (observation: (ms: number) => HttpObservation, ms: number) => {
    let calls = 0;
    const probe = async (service: ServiceSpec) => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      hold(ms);
      return { ...observation(ms), url: service.target };
    };
    return { kinds: { ...KINDS, http: { ...KINDS.http, probe } }, calls: () => calls };
  };

  it('a time over the threshold that outage may account for is judged on the rest: up, saying so', async () => {
    const stand = loaded((ms) => ({ kind: 'http', status: 200, url: '', hops: [], timings: { total: ms + 50 }, bodyBytes: 2, bodyTruncated: false, body: 'ok', durationMs: ms + 50 }), 2300);
    const { url } = await server(10);
    const report = await check({ config: { services: [{ name: 'api', url: `${url}/` }] }, kinds: stand.kinds });
    expect(named(report, 'api')).toMatchObject({ status: 'up', code: null });
    expect(named(report, 'api').reason).toMatch(/^HTTP 200 in 2\.\d\ds, up to 2\.\d\ds of it outage's own load$/);
    expect(httpOf(report, 'api')).toMatchObject({ attempts: 1 });
    expect(stand.calls()).toBe(2);
  });

  it('without room to measure again (outage serve within a scrape timeout) a doubtful time is judged as it stands', async () => {
    const stand = loaded((ms) => ({ kind: 'http', status: 200, url: '', hops: [], timings: { total: ms + 50 }, bodyBytes: 2, bodyTruncated: false, body: 'ok', durationMs: ms + 50 }), 2300);
    const { url } = await server(10);
    const prepared = await prepareCheck({ config: { services: [{ name: 'api', url: `${url}/` }] }, canaries: false });
    const report = await runCheck(prepared, { kinds: stand.kinds, remeasure: false });
    expect(named(report, 'api')).toMatchObject({ status: 'up', code: null });
    expect(named(report, 'api').reason).toMatch(/of it outage's own load$/);
    expect(stand.calls()).toBe(1);
    expect(report.warnings.some((w) => w.includes('measured again'))).toBe(false);
  });

  it("a timeout that outage's own load may account for is unknown (outage's limit), never down and never up", async () => {
    const failure = { code: 'http.timeout' as const, reason: 'no response headers within 1s' };
    const stand = loaded((ms) => ({ kind: 'http', url: '', hops: [], timings: { total: ms }, bodyBytes: 0, bodyTruncated: false, durationMs: ms, failure }), 1200);
    const { url } = await server(10);
    const report = await check({ config: { services: [{ name: 'api', url: `${url}/`, timeout: '1s', retries: 0 }] }, kinds: stand.kinds });
    expect(named(report, 'api')).toMatchObject({ status: 'unknown', code: 'local.resources' });
    expect(named(report, 'api').reason).toMatch(/^no response headers within 1s while outage itself was busy for 1\.\d\ds of that time: its own load, not a measurement of the target$/);
    expect(stand.calls()).toBe(2);
  });

  it('a stall across the deadline does not cut off an answer that arrived in time: a slow service is slow, not down', async () => {
    // Answers after 1.5 s; outage is blocked from 1.4 s to 2.6 s, across the 2.5 s deadline. The
    // answer waits unread at the deadline; it is read before the deadline takes effect.
    const slow = await server(1500);
    const report = await check({
      config: { defaults: { retries: 0 }, services: [{ name: 'api', url: `${slow.url}/`, timeout: '2500ms', latency: { degraded: '1000ms' } }, blocker] },
      kinds: withBlocker(slow.firstRequest, 1200, 1400),
    });
    expect(named(report, 'api')).toMatchObject({ status: 'degraded', code: 'http.slow' });
    expect(slow.requests).toBe(1);
  });

  it("an attempt that failed on outage's own load does not use up the retry the target's own flap needs", async () => {
    // Request 1 is never answered while outage is blocked past the 1 s budget (doubtful); the
    // target then flaps once (503) and recovers: with its one retry that is degraded, not down.
    const api = await server((n) => (n === 1 ? 'never' : n === 2 ? { status: 503 } : 10));
    const report = await check({
      config: { services: [{ name: 'api', url: `${api.url}/`, timeout: '1s', retries: 1 }, blocker] },
      kinds: withBlocker(api.firstRequest, 1500),
    });
    expect(named(report, 'api')).toMatchObject({ status: 'degraded', code: 'http.status' });
    expect(httpOf(report, 'api')).toMatchObject({ attempts: 2 });
    expect(api.requests).toBe(3);
  });
});
