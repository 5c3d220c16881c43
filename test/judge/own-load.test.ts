/**
 * Judging time against outage's own load, as facts in and verdicts out: an observation carries how
 * long outage's own event loop was busy while it was taken (`ownBusyMs`), and a verdict about time
 * is only given against the target when even the time left without it is over the limit.
 */
import { describe, expect, it } from 'vitest';
import type { Judgement } from '../../src/core/result.js';
import { validateConfig } from '../../src/config/validate.js';
import type { ServiceSpec } from '../../src/config/service.js';
import { JUDGE_CONTEXT, restsOnOwnLoad } from '../../src/judge/attempts.js';
import { judgeService } from '../../src/judge/service.js';
import type { HttpObservation } from '../../src/probes/http/observation.js';
import type { Observation } from '../../src/probes/observation.js';
import { judgeObservation, probesFor, verboseLines } from '../../src/probes/registry.js';

function spec(service: Record<string, unknown>): ServiceSpec {
  const [resolved] = validateConfig({ services: [{ name: 'svc', retries: 0, ...service }] }, { env: {} }).services;
  return resolved!;
}

/** Threshold 2 s (the default), budget 2 s. */
const api = spec({ url: 'http://app.test/', timeout: '2s' });
const http = (total: number, ownBusyMs?: number): HttpObservation => ({
  kind: 'http',
  status: 200,
  url: 'http://app.test/',
  hops: [],
  timings: { total },
  bodyBytes: 2,
  bodyTruncated: false,
  body: 'ok',
  durationMs: total,
  ...(ownBusyMs === undefined ? {} : { ownBusyMs }),
});
const timedOut = (ownBusyMs: number, code: 'http.timeout' | 'tcp.timeout' | 'dns.timeout' = 'http.timeout'): Observation => {
  const failure = { code, reason: 'no response headers within 2s' };
  if (code === 'tcp.timeout') return { kind: 'tcp', port: 80, attempts: [], durationMs: 2000, ownBusyMs, failure };
  if (code === 'dns.timeout') return { kind: 'dns', name: 'app.test', resolvers: 'system', source: 'dns', records: [], cnameChain: [], partialFailures: [], durationMs: 2000, ownBusyMs, failure };
  return { ...http(2000, ownBusyMs), status: undefined, failure };
};

const rows: [string, Observation, Partial<Judgement> & { ownLoad?: true }][] = [
  ['2.5 s with outage idle: slow', http(2500, 5), { status: 'degraded', code: 'http.slow', reason: 'HTTP 200 in 2.50s (slower than 2.00s)' }],
  ['2.5 s, 0.4 s of it outage busy: still over 2 s without it, slow', http(2500, 400), { status: 'degraded', code: 'http.slow' }],
  ['2.3 s, 1.9 s of it outage busy: not shown slow, and says why', http(2300, 1900), { status: 'up', code: null, reason: "HTTP 200 in 2.30s, up to 1.90s of it outage's own load", ownLoad: true }],
  ['busier than the whole time: the clause never claims more than the time', http(2300, 5000), { status: 'up', reason: "HTTP 200 in 2.30s, up to 2.30s of it outage's own load", ownLoad: true }],
  ['under the threshold: up, whatever outage did', http(300, 290), { status: 'up', code: null, reason: 'HTTP 200 in 300ms' }],
  ['nothing measured outage (the API judging old observations): as before', http(2500), { status: 'degraded', code: 'http.slow' }],
  ['a timeout with outage idle: the target’s', timedOut(20), { status: 'down', code: 'http.timeout' }],
  ['a timeout with outage busy no more than an attempt’s own work: the target’s', timedOut(90), { status: 'down', code: 'http.timeout' }],
  [
    'a timeout that ran out while outage was busy for most of it: unknown, outage’s limit',
    timedOut(1500),
    { status: 'unknown', code: 'local.resources', reason: 'no response headers within 2s while outage itself was busy for 1.50s of that time: its own load, not a measurement of the target', ownLoad: true },
  ],
  ['the same for a connection that timed out', timedOut(1500, 'tcp.timeout'), { status: 'unknown', code: 'local.resources', ownLoad: true }],
  ['and for a lookup', timedOut(1500, 'dns.timeout'), { status: 'unknown', code: 'local.resources', ownLoad: true }],
  [
    'a lookup that waited on a silent nameserver of resolv.conf: its time is this machine\'s, the rest is fast, up saying why',
    { ...http(5200), timings: { dns: 5000, total: 5200 }, silentNameservers: ['10.0.0.53'] },
    { status: 'up', code: null, reason: "HTTP 200 in 5.20s, 5.00s of it the system resolver waiting on nameserver 10.0.0.53, which does not answer (this machine's /etc/resolv.conf, not judged)" },
  ],
  ['the same wait, and the target slow beyond it: still http.slow', { ...http(7500), timings: { dns: 5000, total: 7500 }, silentNameservers: ['10.0.0.53'] }, { status: 'degraded', code: 'http.slow' }],
  [
    'a lookup that waited out a try on a configured resolver silent while another answered: the list\'s time, up saying why',
    { ...http(2100), timings: { dns: 2000, total: 2100 }, silentResolvers: ['10.0.0.53'] },
    { status: 'up', code: null, reason: "HTTP 200 in 2.10s, 2.00s of it waiting on the configured resolver 10.0.0.53, which does not answer while another does (not the target's time, not judged)" },
  ],
  ['the same wait on a configured resolver, and the target slow beyond it: still http.slow', { ...http(4500), timings: { dns: 2000, total: 4500 }, silentResolvers: ['10.0.0.53'] }, { status: 'degraded', code: 'http.slow' }],
  ['a slow lookup with every nameserver answering: the time counts', { ...http(5200), timings: { dns: 5000, total: 5200 } }, { status: 'degraded', code: 'http.slow' }],
  ['a refusal is never outage’s load, however busy', { kind: 'tcp', port: 80, attempts: [], durationMs: 1, ownBusyMs: 1500, failure: { code: 'tcp.refused', reason: 'refused' } }, { status: 'down', code: 'tcp.refused' }],
];

describe('judging time against outage’s own load', () => {
  it.each(rows)('%s', (_name, observation, expected) => {
    const judged = judgeObservation(observation, api, JUDGE_CONTEXT);
    expect(judged).toMatchObject(expected);
    if (!expected.ownLoad) expect(judged.ownLoad).toBeUndefined();
  });

  it('the latency threshold is the service’s own', () => {
    const strict = spec({ url: 'http://app.test/', latency: { degraded: '500ms' } });
    expect(judgeObservation(http(900, 300), strict, JUDGE_CONTEXT)).toMatchObject({ status: 'degraded', code: 'http.slow' });
    expect(judgeObservation(http(900, 450), strict, JUDGE_CONTEXT)).toMatchObject({ status: 'up', ownLoad: true });
  });

  it('a timeout stands when, even without outage’s busy time, the target had more than its latency threshold', () => {
    // 10 s budget, 2 s threshold: with 7.9 s of it busy the target still had 2.1 s, and is at least slow.
    const patient = spec({ url: 'http://app.test/', timeout: '10s' });
    expect(judgeObservation(timedOut(1000), patient, JUDGE_CONTEXT)).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(judgeObservation(timedOut(7900), patient, JUDGE_CONTEXT)).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(judgeObservation(timedOut(8100), patient, JUDGE_CONTEXT)).toMatchObject({ status: 'unknown', code: 'local.resources', ownLoad: true });
    const strict = spec({ url: 'http://app.test/', timeout: '10s', latency: { degraded: '500ms' } });
    expect(judgeObservation(timedOut(8100), strict, JUDGE_CONTEXT)).toMatchObject({ status: 'down', code: 'http.timeout' });
  });
});

describe('an attempt that rests on outage’s own load', () => {
  const attempt = (observation: Observation) => ({ observations: { [observation.kind]: observation }, interrupted: false, durationMs: 2000 });
  const kinds = probesFor(api);

  it('is the one the scheduler measures again; a clear verdict either way is not', () => {
    expect(restsOnOwnLoad(attempt(http(2300, 1900)), kinds, api)).toBe(true);
    expect(restsOnOwnLoad(attempt(timedOut(1500)), kinds, api)).toBe(true);
    expect(restsOnOwnLoad(attempt(http(2500, 5)), kinds, api)).toBe(false);
    expect(restsOnOwnLoad(attempt(http(100, 90)), kinds, api)).toBe(false);
    expect(restsOnOwnLoad(attempt(timedOut(20)), kinds, api)).toBe(false);
  });

  it('never shows in the report, and a doubtful timeout cured by a retry is simply up, not a flap', () => {
    const result = judgeService({ service: { ...api, retries: 1 }, kinds, attempts: [attempt(timedOut(1500)), attempt(http(120, 3))], durationMs: 2200 });
    expect(result).toMatchObject({ status: 'up', code: null, reason: 'HTTP 200 in 120ms' });
    const probe = result.probes.find((p) => p.kind === 'http');
    expect(probe).not.toHaveProperty('ownLoad');
    expect(probe?.details).not.toHaveProperty('firstFailure');
    expect(probe?.timings).toEqual({ total: 120, ownBusy: 3 });
  });
});

describe('-v names outage’s own busy time when it matters', () => {
  const lines = (total: number, ownBusy: number) => {
    const result = judgeService({ service: api, kinds: probesFor(api), attempts: [{ observations: { http: http(total, ownBusy) }, interrupted: false, durationMs: total }], durationMs: total });
    return verboseLines(result.probes.find((p) => p.kind === 'http')!);
  };

  it('a stall’s worth that is a real share of the total is named, never more than the total', () => {
    expect(lines(2300, 1900)).toContain('timings: total 2.30s · of it outage busy up to 1.90s');
    expect(lines(300, 5000)).toContain('timings: total 300ms · of it outage busy up to 300ms');
  });

  it('an attempt’s own few milliseconds are not', () => {
    expect(lines(20, 5)).toContain('timings: total 20ms');
    expect(lines(5000, 150)).toContain('timings: total 5.00s');
  });
});
