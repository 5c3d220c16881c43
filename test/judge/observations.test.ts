/**
 * Judging is one pure step: tables of observations in, statuses out — no server, no socket. Each
 * row is a fact pattern a user meets and the verdict they rely on.
 */
import { describe, expect, it } from 'vitest';
import type { Judgement } from '../../src/core/result.js';
import { validateConfig } from '../../src/config/validate.js';
import type { ServiceSpec } from '../../src/config/service.js';
import { JUDGE_CONTEXT, combineAttempts, judgeSubcheck } from '../../src/judge/attempts.js';
import { judgeService } from '../../src/judge/service.js';
import type { AttemptRecord } from '../../src/probes/contract.js';
import type { DnsObservation } from '../../src/probes/dns/observation.js';
import type { HttpObservation } from '../../src/probes/http/observation.js';
import type { Observation } from '../../src/probes/observation.js';
import type { TlsObservation } from '../../src/probes/tls/observation.js';
import { judgeObservation, probesFor } from '../../src/probes/registry.js';

function spec(service: Record<string, unknown>): ServiceSpec {
  const [resolved] = validateConfig({ services: [{ name: 'svc', retries: 0, ...service }] }, { env: {} }).services;
  return resolved!;
}

const https = spec({ url: 'https://app.test/', latency: { degraded: '500ms' }, certificate: { degraded: '14d', down: '2d' } });
const dnsOnly = spec({ dns: { name: 'app.test', type: 'A', expect: ['192.0.2.10'] } });
const cert = (daysLeft: number, subject = 'CN=app.test') => ({
  subject,
  issuer: 'CN=Test CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: new Date(Date.parse('2026-11-23T00:00:00Z') + daysLeft * 86_400_000).toISOString(),
  daysLeft,
  serialNumber: '01',
  fingerprint256: `F${subject}${daysLeft}`,
});
const dns = (extra: Partial<DnsObservation> = {}): DnsObservation => ({
  kind: 'dns',
  name: 'app.test',
  resolvers: 'system',
  source: 'dns',
  records: [{ type: 'A', value: '192.0.2.10' }],
  cnameChain: [],
  partialFailures: [],
  durationMs: 3,
  ...extra,
});
const tls = (chain: ReturnType<typeof cert>[], extra: Partial<TlsObservation> = {}): TlsObservation => ({
  kind: 'tls',
  protocol: 'TLSv1.3',
  authorized: true,
  presented: chain,
  chain,
  earliest: [...chain].sort((a, b) => a.daysLeft - b.daysLeft)[0],
  verify: true,
  durationMs: 4,
  ...extra,
});
const http = (status: number, total: number, body = 'ok'): HttpObservation => ({
  kind: 'http',
  status,
  url: 'https://app.test/',
  hops: [{ url: 'https://app.test/', status, durationMs: total }],
  timings: { total },
  bodyBytes: body.length,
  bodyTruncated: false,
  body,
  durationMs: total,
});

const rows: [string, Observation, ServiceSpec, Partial<Judgement>][] = [
  ['a failed lookup is down with its code', dns({ records: [], failure: { code: 'dns.servfail', reason: 'app.test resolver answered SERVFAIL' } }), https, { status: 'down', code: 'dns.servfail' }],
  ['A answered, AAAA SERVFAIL: degraded', dns({ partialFailures: [{ type: 'AAAA', code: 'dns.servfail', reason: 'SERVFAIL' }] }), https, { status: 'degraded', code: 'dns.servfail' }],
  ['an expected record present: up', dns(), dnsOnly, { status: 'up', code: null, reason: 'A 192.0.2.10' }],
  ['an expected record missing: dns.unexpected', dns({ records: [{ type: 'A', value: '198.51.100.1' }] }), dnsOnly, { status: 'down', code: 'dns.unexpected' }],
  [
    'one compared resolver SERVFAIL while another answers: degraded',
    dns({ byResolver: [{ resolver: '192.0.2.53', failure: { code: 'dns.servfail', reason: 'x' }, durationMs: 1 }, { resolver: '198.51.100.53', values: ['192.0.2.10'], durationMs: 1 }] }),
    https,
    { status: 'degraded', code: 'dns.servfail', reason: 'app.test: 192.0.2.53 SERVFAIL while 198.51.100.53 answered' },
  ],
  ['a certificate with 30 days left: up', tls([cert(30)]), https, { status: 'up', code: null }],
  ['10 days left, under the degraded threshold: tls.expiring degraded', tls([cert(10)]), https, { status: 'degraded', code: 'tls.expiring' }],
  ['1 day left, under the down threshold: tls.expiring down', tls([cert(1)]), https, { status: 'down', code: 'tls.expiring' }],
  [
    'an intermediate expiring first is named',
    tls([cert(60), cert(5, 'CN=Intermediate')]),
    https,
    { status: 'degraded', code: 'tls.expiring', reason: expect.stringContaining('chain certificate CN=Intermediate expires in 5 days') as unknown as string },
  ],
  ['tls: false is never judged on its certificate', tls([cert(1)], { verify: false }), https, { status: 'up', code: null, reason: 'certificate not verified (tls: false)' }],
  ['a refused handshake is down with its code', tls([], { failure: { code: 'tls.expired', reason: 'server certificate expired' } }), https, { status: 'down', code: 'tls.expired' }],
  ['HTTP 200 in time: up', http(200, 120), https, { status: 'up', code: null, reason: 'HTTP 200 in 120ms' }],
  ['HTTP 200 past the latency threshold: http.slow', http(200, 900), https, { status: 'degraded', code: 'http.slow' }],
  ['HTTP 503: http.status', http(503, 20), https, { status: 'down', code: 'http.status', reason: 'HTTP 503 (expected 200-399)' }],
  ['a body without the expected text: http.body_mismatch', http(200, 20, 'please log in'), spec({ url: 'https://app.test/', http: { expect: { body: 'Welcome back' } } }), { status: 'down', code: 'http.body_mismatch' }],
  // Meta 2024: a logged-out user is sent to the login page, which answers 200: say where the 200 came from.
  [
    'a body without the expected text after a redirect names the page that answered',
    { ...http(200, 20, '<form>Log in</form>'), url: 'https://app.test/login?next=%2F', hops: [{ url: 'https://app.test/', status: 302, durationMs: 5 }, { url: 'https://app.test/login?next=%2F', status: 200, durationMs: 15 }] },
    spec({ url: 'https://app.test/', http: { expect: { body: 'Welcome back' } } }),
    { status: 'down', code: 'http.body_mismatch', reason: 'HTTP 200 at /login after 1 redirect, but the body does not contain "Welcome back"' },
  ],
  [
    'an unexpected status after redirects to another host names that host',
    { ...http(404, 20), url: 'https://sso.test/expired', hops: [{ url: 'https://app.test/', status: 302, durationMs: 5 }, { url: 'https://app.test/a', status: 301, durationMs: 5 }, { url: 'https://sso.test/expired', status: 404, durationMs: 10 }] },
    https,
    { status: 'down', code: 'http.status', reason: 'HTTP 404 (expected 200-399) at https://sso.test/expired after 2 redirects' },
  ],
  ['no response headers in time: http.timeout', { ...http(0, 10_000), status: undefined, failure: { code: 'http.timeout', reason: 'no response headers within 10000ms' } }, https, { status: 'down', code: 'http.timeout' }],
];

describe('judging one observation', () => {
  it.each(rows)('%s', (_name, observation, service, expected) => {
    expect(judgeObservation(observation, service, JUDGE_CONTEXT)).toMatchObject(expected);
  });

  it('a status page that cannot be fetched is unknown, never down', () => {
    const vendor = spec({ url: 'https://app.test/', status: 'https://status.app.test/api/v2/summary.json' });
    const observation: Observation = { kind: 'status', url: 'https://status.app.test/api/v2/summary.json', durationMs: 5, failure: { code: 'status.unavailable', reason: 'tcp.refused' } };
    expect(judgeObservation(observation, vendor, JUDGE_CONTEXT)).toMatchObject({ status: 'unknown', code: 'status.unavailable' });
  });
});

describe('judging attempts', () => {
  const failed: Judgement = { status: 'down', code: 'tcp.refused', reason: 'refused' };
  const up: Judgement = { status: 'up', code: null, reason: 'connected' };

  it('a failure cured by a retry is degraded with the first failure code', () => {
    expect(combineAttempts('tcp', [failed, up])).toMatchObject({ status: 'degraded', code: 'tcp.refused', reason: 'recovered on attempt 2 after refused (attempt 1)' });
  });
  it("outage's own limits cured by a retry leave the probe simply up: local.resources said nothing of the target", () => {
    const local: Judgement = { status: 'unknown', code: 'local.resources', reason: 'outage ran out of open files (EMFILE)' };
    expect(combineAttempts('tcp', [local, up])).toEqual(up);
    expect(combineAttempts('tcp', [local, failed, up])).toMatchObject({ status: 'degraded', code: 'tcp.refused', reason: 'recovered on attempt 3 after refused (attempt 2)' });
  });
  it('a probe that failed for lack of open files is unknown, never down', () => {
    const observation: Observation = { kind: 'tcp', port: 443, attempts: [], durationMs: 1, failure: { code: 'local.resources', reason: 'EMFILE' } };
    expect(judgeObservation(observation, https, JUDGE_CONTEXT)).toMatchObject({ status: 'unknown', code: 'local.resources' });
  });
  it('the last attempt decides otherwise', () => {
    expect(combineAttempts('tcp', [up, failed])).toEqual(failed);
    expect(combineAttempts('tls', [failed, 'skipped'])).toMatchObject({ status: 'skipped' });
  });

  it('a subcheck is as bad as its worst probe, the first such probe its cause', () => {
    const judged = judgeSubcheck({ observations: { dns: dns(), http: http(500, 3) }, durationMs: 9 }, https);
    expect(judged).toMatchObject({ status: 'down', code: 'http.status' });
  });
});

describe('judging a service', () => {
  const attempt = (observations: Observation[], extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
    observations: Object.fromEntries(observations.map((o) => [o.kind, o])),
    interrupted: false,
    durationMs: 10,
    ...extra,
  });
  const run = (service: ServiceSpec, attempts: AttemptRecord[]) => judgeService({ service, kinds: probesFor(service), attempts, durationMs: 10 });
  const tcp: Observation = { kind: 'tcp', address: '192.0.2.10:443', port: 443, attempts: [], durationMs: 2 };

  it('the root cause, not its consequences: DNS down, later probes skipped', () => {
    const result = run(https, [attempt([dns({ records: [], failure: { code: 'dns.nxdomain', reason: 'app.test does not exist' } })])]);
    expect(result).toMatchObject({ status: 'down', code: 'dns.nxdomain' });
    expect(result.probes.map((p) => p.status)).toEqual(['down', 'skipped', 'skipped', 'skipped']);
  });

  it('a slow response on a healthy chain is degraded, reason from HTTP', () => {
    expect(run(https, [attempt([dns(), tcp, tls([cert(90)]), http(200, 800)])])).toMatchObject({ status: 'degraded', code: 'http.slow' });
  });

  it('interrupted mid-probe is unknown `interrupted`, never down', () => {
    const stopped = http(0, 5);
    const result = run(https, [attempt([dns(), tcp, tls([cert(90)]), { ...stopped, status: undefined, failure: { code: 'http.timeout', reason: 'stopped' } }], { interrupted: true })]);
    expect(result).toMatchObject({ status: 'unknown', code: 'interrupted' });
  });

  it('the vendor policy: a declared major outage on a service measured up is degraded, never down', () => {
    const vendor = spec({ url: 'https://app.test/', status: 'https://status.app.test/api/v2/summary.json' });
    const page: Observation = {
      kind: 'status',
      url: 'https://status.app.test/api/v2/summary.json',
      endpoint: { observations: { http: http(200, 5, '{}') }, durationMs: 5 },
      vendor: { kind: 'statuspage', indicator: 'major', incidents: [{ name: 'Users logged out' }], components: [] },
      durationMs: 5,
    };
    const result = run(vendor, [attempt([dns(), tcp, tls([cert(90)]), http(200, 50), page])]);
    expect(result).toMatchObject({ status: 'degraded', code: 'vendor.incident', reason: 'measured: up · vendor: major outage — Users logged out' });
    expect(result.vendor).toMatchObject({ indicator: 'major', code: 'vendor.incident' });
  });

  it('a status page that cannot be read changes nothing measured', () => {
    const vendor = spec({ url: 'https://app.test/', status: 'https://status.app.test/api/v2/summary.json' });
    const page: Observation = { kind: 'status', url: 'https://status.app.test/api/v2/summary.json', durationMs: 5, failure: { code: 'status.unavailable', reason: 'x' } };
    const result = run(vendor, [attempt([dns(), tcp, tls([cert(90)]), http(200, 50), page])]);
    expect(result).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: status page unavailable' });
  });
});
