/**
 * The per-layer local-network verdict on hand-made results: a resolver that fails one address
 * family (AAAA dropped by a home router) for every canary is the local network's fault, not every
 * service's; one name's AAAA failing while the canaries' answers is that name's.
 */
import { describe, expect, it } from 'vitest';
import { applyVerdict, diagnoseLocalNetwork, refutedBy } from '../../src/diagnose/local-network.js';
import { buildReport } from '../../src/report/report.js';
import { diagnosisLines } from '../../src/report/diagnosis.js';
import type { FailureCode } from '../../src/core/failure.js';
import type { ProbeResult, ServiceResult } from '../../src/probes/result.js';
import type { Status } from '../../src/core/status.js';

type Family = 'A' | 'AAAA';

/** A DNS probe through `resolvers` (system when absent) that answered A and AAAA, or failed one. */
function dnsProbe(options: { failed?: { type: Family; code: FailureCode }; resolvers?: string[]; down?: FailureCode }): ProbeResult {
  const { failed, resolvers, down } = options;
  const base = { durationMs: 5, attempts: 1 };
  if (down) return { kind: 'dns', status: 'down', code: down, reason: 'no answer', ...base, details: { resolvers, records: [], partialFailures: [] } };
  const records = (['A', 'AAAA'] as const).filter((t) => t !== failed?.type).map((type) => ({ type, value: type === 'A' ? '192.0.2.1' : 'fd00::1' }));
  return failed
    ? { kind: 'dns', status: 'degraded', code: failed.code, reason: `${failed.type}: no answer (other records answered)`, ...base, details: { resolvers, records, partialFailures: [{ type: failed.type, code: failed.code, reason: 'no answer' }] } }
    : { kind: 'dns', status: 'up', code: null, reason: 'A 192.0.2.1', ...base, details: { resolvers, records } };
}

const probe = (kind: 'tcp' | 'http', status: ProbeResult['status'] = 'up', code: FailureCode | null = null): ProbeResult =>
  kind === 'tcp'
    ? { kind, status, code, reason: status === 'up' ? 'connected' : String(code), durationMs: 1, attempts: 1, details: { address: '192.0.2.1:443' } }
    : { kind, status, code, reason: status === 'up' ? 'HTTP 200' : String(code), durationMs: 1, attempts: 1, details: { status: 200 } };

/** A result as judgeService makes it: the worst probe, the first with that status as the cause. */
function result(name: string, probes: ProbeResult[]): ServiceResult {
  const order: Status[] = ['down', 'unknown', 'degraded', 'up'];
  const status = order.find((s) => probes.some((p) => p.status === s)) ?? 'up';
  const cause = probes.find((p) => p.status === status);
  return {
    name,
    target: name,
    status,
    code: status === 'up' ? null : (cause?.code ?? null),
    reason: status === 'up' ? (probes.at(-1)?.reason ?? 'up') : (cause?.reason ?? status),
    critical: false,
    tags: [],
    durationMs: 10,
    thresholds: { latencyDegradedMs: 1000 },
    probes,
  } as ServiceResult;
}

const AAAA_TIMEOUT = { type: 'AAAA', code: 'dns.timeout' } as const;
const byName = (name: string, failed?: { type: Family; code: FailureCode }, resolvers?: string[]) => result(name, [dnsProbe({ failed, resolvers })]);
const byAddress = result('https://192.0.2.9', [probe('tcp'), probe('http')]);
const site = (name: string, failed?: { type: Family; code: FailureCode }, http: ProbeResult = probe('http'), resolvers?: string[]) =>
  result(name, [dnsProbe({ failed, resolvers }), probe('tcp'), http]);

describe('a resolver that fails one address family for every canary', () => {
  const canaries = [
    byName('system resolver: a.test', AAAA_TIMEOUT),
    byName('system resolver: b.test', { type: 'AAAA', code: 'dns.servfail' }),
    byName('resolver 10.0.0.53', undefined, ['10.0.0.53']),
    byAddress,
  ];

  it('is a dns-scope verdict naming the family and the resolver', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    expect(verdict).toMatchObject({ scope: 'dns', layers: ['resolver not answering AAAA'], brokenResolvers: [], familyFailures: [{ resolvers: 'system', family: 'AAAA' }] });
    expect(verdict?.reason).toContain('resolver not answering AAAA — the system resolver');
    expect(verdict?.reason).toContain('while A answers');
  });

  it('services degraded only by that failure are up, the rest as measured', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    if (!verdict) throw new Error('no verdict');
    const services = [
      site('only-aaaa', AAAA_TIMEOUT),
      site('aaaa-and-slow', AAAA_TIMEOUT, probe('http', 'degraded', 'http.slow')),
      site('aaaa-and-503', AAAA_TIMEOUT, probe('http', 'down', 'http.status')),
      site('own-resolver', AAAA_TIMEOUT, probe('http'), ['10.0.0.53']),
      site('a-failing', { type: 'A', code: 'dns.timeout' }),
      result('dead-name', [dnsProbe({ down: 'dns.timeout' }), probe('tcp', 'skipped')]),
    ];
    const judged = applyVerdict(services, verdict);
    expect(judged.map((s) => [s.name, s.status, s.code])).toEqual([
      ['only-aaaa', 'up', null],
      ['aaaa-and-slow', 'degraded', 'http.slow'],
      ['aaaa-and-503', 'down', 'http.status'],
      // Another resolver, which the canaries vouch for: that name's own problem.
      ['own-resolver', 'degraded', 'dns.timeout'],
      // The other family failing is not what the canaries saw.
      ['a-failing', 'degraded', 'dns.timeout'],
      // A and AAAA both failing through a resolver that answers A for the canaries: the name's.
      ['dead-name', 'down', 'dns.timeout'],
    ]);
    expect(judged[0]?.reason).toContain('AAAA not answered by the system resolver, a local resolver problem (not judged)');
    expect(judged[0]?.probes.find((p) => p.kind === 'dns')).toMatchObject({ status: 'up', code: null });
  });

  it('the report exits 0 when every service is otherwise up, and says why', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    if (!verdict) throw new Error('no verdict');
    const services = applyVerdict([site('only-aaaa', AAAA_TIMEOUT), site('fine')], verdict);
    const report = buildReport(services, {
      startedAt: new Date(),
      durationMs: 10,
      failOn: 'degraded',
      interrupted: false,
      concurrency: 2,
      localNetwork: { ok: false, verdict: verdict.verdict, scope: verdict.scope, layers: verdict.layers, reason: verdict.reason, canaries: [] },
    });
    expect(report.exitCode).toBe(0);
    expect(diagnosisLines(report).map((l) => l.text)).toEqual([expect.stringMatching(/resolver not answering AAAA .* — services are not degraded for it$/)]);
  });
});

describe('no family verdict', () => {
  it('when one canary through that resolver answered both families (the name is at fault, issue #13)', () => {
    expect(diagnoseLocalNetwork([byName('system resolver: a.test', AAAA_TIMEOUT), byName('system resolver: b.test'), byAddress])).toBeUndefined();
  });

  it('when the canaries fail different families', () => {
    expect(diagnoseLocalNetwork([byName('a', AAAA_TIMEOUT), byName('b', { type: 'A', code: 'dns.timeout' }), byAddress])).toBeUndefined();
  });

  it('when the canaries answer: a service whose AAAA fails stays degraded', () => {
    expect(diagnoseLocalNetwork([byName('a'), byName('b'), byAddress])).toBeUndefined();
  });

  it('when every canary by name fails outright: the existing resolver verdict, services with a partial failure untouched', () => {
    const verdict = diagnoseLocalNetwork([result('a', [dnsProbe({ down: 'dns.timeout' })]), result('b', [dnsProbe({ down: 'dns.timeout' })]), byAddress]);
    expect(verdict).toMatchObject({ scope: 'dns', layers: ['resolver not answering'], brokenResolvers: ['system'] });
    if (!verdict) throw new Error('no verdict');
    expect(applyVerdict([site('only-aaaa', AAAA_TIMEOUT)], verdict).map((s) => [s.status, s.code])).toEqual([['degraded', 'dns.timeout']]);
  });
});

describe('TLS intercepted while the canaries resolve names', () => {
  const tls = (status: ProbeResult['status'], code: FailureCode | null): ProbeResult => ({
    kind: 'tls',
    status,
    code,
    reason: code ?? 'verified',
    durationMs: 1,
    attempts: 1,
    details: {},
  } as ProbeResult);
  const https = (name: string, tlsProbe: ProbeResult, resolvers?: string[]) => result(name, [dnsProbe({ resolvers }), probe('tcp'), tlsProbe, ...(tlsProbe.status === 'up' ? [probe('http')] : [])]);
  // A corporate proxy or captive portal answering every 443 with its own certificate; DNS works.
  const canaries = [byName('system resolver: a.test'), byName('system resolver: b.test'), result('https://192.0.2.9', [probe('tcp'), tls('down', 'tls.untrusted')])];

  it('services failing TLS are not judged; a name that does not exist through the resolver the canaries vouch for is its own failure', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    expect(verdict).toMatchObject({ scope: 'network', layers: ['TLS intercepted'] });
    if (!verdict) throw new Error('no verdict');
    const judged = applyVerdict(
      [
        https('intercepted', tls('down', 'tls.untrusted')),
        result('gone.example', [dnsProbe({ down: 'dns.nxdomain' }), probe('tcp', 'skipped')]),
        // Another resolver: no canary vouches for it, so it is not judged.
        result('other resolver', [dnsProbe({ down: 'dns.nxdomain', resolvers: ['10.0.0.53'] }), probe('tcp', 'skipped')]),
        https('fine', tls('up', null)),
      ],
      verdict,
    );
    expect(judged.map((s) => [s.name, s.status, s.code])).toEqual([
      ['intercepted', 'unknown', 'network.local'],
      ['gone.example', 'down', 'dns.nxdomain'],
      ['other resolver', 'unknown', 'network.local'],
      ['fine', 'up', null],
    ]);
  });
});

describe('no route while a nearby resolver still answers (a home router serving its cache, the uplink gone)', () => {
  const unreachable = (name: string, code: FailureCode) => result(name, [probe('tcp', 'down', code)]);
  const canaries = [
    byName('system resolver: a.test'),
    byName('system resolver: b.test'),
    result('resolver 192.0.2.53', [dnsProbe({ down: 'dns.timeout', resolvers: ['192.0.2.53'] })]),
    unreachable('https://192.0.2.9', 'tcp.timeout'),
    unreachable('https://198.51.100.9', 'tcp.unreachable'),
  ];

  it('is "no route": every canary that had to connect failed at TCP, only lookups answered', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    expect(verdict).toMatchObject({ scope: 'network', layers: ['no route'] });
    if (!verdict) throw new Error('no verdict');
    const judged = applyVerdict(
      [
        site('on the LAN'),
        result('timed out', [dnsProbe({}), probe('tcp', 'down', 'tcp.timeout')]),
        // The cache cannot answer a name it does not hold: not the service's failure either.
        result('uncached', [dnsProbe({ down: 'dns.servfail' })]),
      ],
      verdict,
    );
    expect(judged.map((s) => [s.name, s.status, s.code])).toEqual([
      ['on the LAN', 'up', null],
      ['timed out', 'unknown', 'network.local'],
      ['uncached', 'unknown', 'network.local'],
    ]);
  });

  it('is tentative: a service that connects refutes it (a network blocking only the canaries\' addresses)', () => {
    const verdict = diagnoseLocalNetwork(canaries);
    if (!verdict) throw new Error('no verdict');
    expect(verdict.tentative).toBe(true);
    expect(refutedBy(verdict, [site('connected'), result('refused', [dnsProbe({}), probe('tcp', 'down', 'tcp.refused')])])).toBe(true);
    expect(refutedBy(verdict, [result('refused', [dnsProbe({}), probe('tcp', 'down', 'tcp.refused')])])).toBe(false);
    // With every canary failing, the verdict is not tentative: a service on the LAN connecting says nothing of the way out.
    const all = diagnoseLocalNetwork(canaries.map((c) => (c.status === 'up' ? result(c.name, [dnsProbe({ down: 'dns.timeout' })]) : c)));
    expect(all).toMatchObject({ scope: 'network', layers: ['no route', 'resolver not answering'] });
    expect(all?.tentative).toBeUndefined();
  });

  it('one connecting canary failing alone is that canary\'s problem: no verdict', () => {
    expect(diagnoseLocalNetwork([byName('a'), byName('b'), unreachable('https://192.0.2.9', 'tcp.timeout'), byAddress])).toBeUndefined();
    expect(diagnoseLocalNetwork([byName('a'), byName('b'), unreachable('https://192.0.2.9', 'tcp.timeout')])).toBeUndefined();
  });
});
