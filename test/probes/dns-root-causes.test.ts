/**
 * DNS failures named by their real cause, through configured resolvers (the in-test DNS server):
 * dangling and looping CNAME chains, answers for names that were not asked, block-list answers,
 * a family that never answers (RFC 8305), and a resolver whose port is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOne, probe } from '../helpers/check.js';
import { startDns, tableZone, type Answer, type TestDnsServer } from '../helpers/dns-server.js';
import { closedPort, ok, startHttp, type TestServer } from '../helpers/servers.js';

let dns: TestDnsServer;
let web: TestServer;
let web6: TestServer;

const cname = (name: string, target: string) => ({ type: 'CNAME' as const, name, ttl: 60, data: target });
const a = (name: string, address: string) => ({ type: 'A' as const, name, ttl: 60, data: address });

/** Names whose answers tableZone cannot express: loops, strangers, delays. */
const special: Record<string, (type: string) => Answer> = {
  // Real resolvers send the chain with NXDOMAIN for the missing target.
  'www.gone.test': (type) => (type === 'CNAME' ? { rcode: 'NOERROR', answers: [cname('www.gone.test', 'edge.gone.test')] } : { rcode: 'NXDOMAIN', answers: [cname('www.gone.test', 'edge.gone.test')] }),
  'loop-a.test': () => ({ rcode: 'NOERROR', answers: [cname('loop-a.test', 'loop-b.test'), cname('loop-b.test', 'loop-a.test')] }),
  'loop-b.test': () => ({ rcode: 'NOERROR', answers: [cname('loop-b.test', 'loop-a.test'), cname('loop-a.test', 'loop-b.test')] }),
  'stranger.test': (type) => (type === 'A' ? { rcode: 'NOERROR', answers: [a('evil.test', '127.0.0.1')] } : { rcode: 'NOERROR' }),
  'mixed.test': (type) => (type === 'A' ? { rcode: 'NOERROR', answers: [a('evil.test', '127.0.0.2'), a('mixed.test', '127.0.0.1')] } : { rcode: 'NOERROR' }),
  'no-aaaa.test': (type) => (type === 'AAAA' ? 'drop' : { rcode: 'NOERROR', answers: type === 'A' ? [a('no-aaaa.test', '127.0.0.1')] : [] }),
  // Answered after connecting began (RFC 8305 waits 50 ms for AAAA): a failure, and a plain "no such record".
  'late-servfail-aaaa.test': (type) => (type === 'AAAA' ? { rcode: 'SERVFAIL', delayMs: 300 } : { rcode: 'NOERROR', answers: type === 'A' ? [a('late-servfail-aaaa.test', '127.0.0.1')] : [] }),
  'late-nodata-aaaa.test': (type) => (type === 'AAAA' ? { rcode: 'NOERROR', delayMs: 300 } : { rcode: 'NOERROR', answers: type === 'A' ? [a('late-nodata-aaaa.test', '127.0.0.1')] : [] }),
};

beforeAll(async () => {
  web = await startHttp(ok);
  web6 = await startHttp(ok, '::1');
  const table = tableZone({
    'www.dangling.test': { CNAME: 'nowhere.dangling.test' },
    'ads.test': { A: ['0.0.0.0'], AAAA: ['::'] },
    'half-blocked.test': { A: ['0.0.0.0'], AAAA: ['::1'] },
    'mapped-blocked.test': { A: ['0.0.0.0'], AAAA: ['::ffff:0.0.0.0'] },
    'dual.test': { A: ['127.0.0.1'], AAAA: ['::1'] },
  });
  dns = await startDns((name, type, query) => {
    const edns = (query?.additionals ?? []).some((record) => record.type === 'OPT');
    // Sixty addresses do not fit 512 bytes: without EDNS, UDP can only say "truncated".
    if (name === 'big.test') return { rcode: 'NOERROR', truncateUdp: !edns, answers: type === 'A' ? Array.from({ length: 60 }, (_, i) => a(name, `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`)) : [] };
    // A server from before EDNS: FORMERR for any query that carries it.
    if (name === 'old-server.test') return edns ? { rcode: 'FORMERR' } : { rcode: 'NOERROR', answers: type === 'A' ? [a(name, '127.0.0.1')] : [] };
    if (name === 'late-v6.test') {
      // IPv4 points where nothing listens; the working IPv6 address arrives 300 ms later.
      if (type === 'AAAA') return { rcode: 'NOERROR', answers: [{ type: 'AAAA', name, ttl: 60, data: '::1' }], delayMs: 300 };
      return { rcode: 'NOERROR', answers: type === 'A' ? [a(name, '127.0.0.1')] : [] };
    }
    return special[name]?.(type) ?? table(name, type);
  });
});
afterAll(async () => {
  await Promise.all([dns.close(), web.close(), web6.close()]);
});

const viaTestDns = () => ({ resolvers: [dns.address] });

describe('CNAME chains name the root cause', () => {
  it('a CNAME to a name with no address is dns.nodata naming the chain (NOERROR answer)', async () => {
    const result = await checkOne({ url: `http://www.dangling.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.nodata' });
    expect(result.reason).toContain('www.dangling.test → nowhere.dangling.test');
    expect(result.reason).toContain('dangling CNAME');
    expect(probe(result, 'tcp').status).toBe('skipped');
    expect(probe(result, 'dns').details.cnameChain).toEqual(['nowhere.dangling.test']);
  });

  it('a CNAME to a name that does not exist is dns.nodata, not NXDOMAIN: the name asked exists', async () => {
    const result = await checkOne({ url: `http://www.gone.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.nodata' });
    expect(result.reason).toContain('www.gone.test → edge.gone.test: edge.gone.test does not exist (NXDOMAIN)');
  });

  it('a CNAME loop is dns.servfail naming the loop', async () => {
    const result = await checkOne({ url: `http://loop-a.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.servfail' });
    expect(result.reason).toContain('CNAME loop: loop-a.test → loop-b.test → loop-a.test');
    expect(probe(result, 'tcp').status).toBe('skipped');
  });
});

describe('names that cannot be asked', () => {
  it('a label over 63 octets is dns.nxdomain, said as such, without asking', async () => {
    const before = dns.queries.length;
    const result = await checkOne({ url: `http://${'a'.repeat(64)}.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.nxdomain' });
    expect(result.reason).toContain('is not a valid DNS name');
    expect(dns.queries.length).toBe(before);
  });
});

describe('answers for other names', () => {
  it('an answer whose owner is not the name asked is ignored', async () => {
    const result = await checkOne({ url: `http://stranger.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.nodata' });
    expect(result.reason).toContain('evil.test was ignored');
    expect(web.connections).toBe(0);
  });

  it('beside the right answer, only the right one is used', async () => {
    const result = await checkOne({ url: `http://mixed.test:${web.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.records).toEqual([{ type: 'A', value: '127.0.0.1', ttl: 60 }]);
  });
});

describe('block lists', () => {
  it('0.0.0.0 and :: are dns.blocked, down, and never connected to', async () => {
    const before = web.connections + web6.connections;
    const result = await checkOne({ url: `http://ads.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.blocked' });
    expect(result.reason).toBe('ads.test resolves to 0.0.0.0 and ::: blocked by a DNS filter (Pi-hole, corporate DNS)');
    expect(probe(result, 'tcp').status).toBe('skipped');
    expect(web.connections + web6.connections).toBe(before);
  });

  it('an IPv4-mapped ::ffff:0.0.0.0 is blocked too (decoded as ::ffff:0:0), never connected to', async () => {
    const result = await checkOne({ url: `http://mapped-blocked.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code: 'dns.blocked' });
    expect(probe(result, 'tcp').status).toBe('skipped');
  });

  it('a real address beside a blocked one is used, and the blocked one is not tried', async () => {
    const result = await checkOne({ url: `http://half-blocked.test:${web6.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    const attempts = probe(result, 'tcp').details.attempts as { address: string }[];
    expect(attempts.map((x) => x.address)).toEqual(['::1']);
  });
});

describe('RFC 8305 timing across families', () => {
  it('a resolver that drops AAAA does not hold the connection, and the silent AAAA degrades it: dns.timeout', async () => {
    const started = performance.now();
    const result = await checkOne({ url: `http://no-aaaa.test:${web.port}/`, ...viaTestDns(), timeout: '1s', retries: 0 });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: 'degraded', code: 'dns.timeout' });
    expect(result.reason).toContain('AAAA');
    // The connection went ahead over IPv4 at once, measured as such; the AAAA wait stayed within the budget.
    expect(probe(result, 'http').status).toBe('up');
    expect(probe(result, 'tcp').durationMs).toBeLessThan(500);
    expect(elapsed).toBeLessThan(1500);
    expect(probe(result, 'dns').details.pending).toBeUndefined();
    expect(probe(result, 'dns').details.partialFailures).toEqual([expect.objectContaining({ type: 'AAAA', code: 'dns.timeout' })]);
  });

  it('an AAAA SERVFAIL that arrives after connecting began is still judged: degraded dns.servfail, HTTP up', async () => {
    const result = await checkOne({ url: `http://late-servfail-aaaa.test:${web.port}/`, ...viaTestDns(), retries: 0 });
    expect(result).toMatchObject({ status: 'degraded', code: 'dns.servfail' });
    expect(probe(result, 'http').status).toBe('up');
    expect(probe(result, 'tcp').durationMs).toBeLessThan(250);
    expect(probe(result, 'dns').details.pending).toBeUndefined();
  });

  it('both families answering at once: up, nothing awaited after the connection', async () => {
    const result = await checkOne({ url: `http://dual.test:${web6.port}/`, ...viaTestDns(), retries: 0 });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'dns').details.pending).toBeUndefined();
    expect(probe(result, 'dns').details.partialFailures).toBeUndefined();
    // The attempt ends with its last probe: nothing is settled after it.
    const probes = (['dns', 'tcp', 'http'] as const).reduce((sum, kind) => sum + probe(result, kind).durationMs, 0);
    expect(result.durationMs - probes).toBeLessThan(200);
  });

  it('a late AAAA "no such record" is a name without IPv6: up', async () => {
    const result = await checkOne({ url: `http://late-nodata-aaaa.test:${web.port}/`, ...viaTestDns(), retries: 0 });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'dns').details.pending).toBeUndefined();
    expect(probe(result, 'dns').details.partialFailures).toBeUndefined();
  });

  it('an address family that answers late still joins the race', async () => {
    // Nothing listens on 127.0.0.1 at web6's port: IPv4 is refused, the late ::1 connects.
    const result = await checkOne({ url: `http://late-v6.test:${web6.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'tcp').details.address).toBe(`[::1]:${web6.port}`);
  });
});

describe('EDNS', () => {
  it('a truncated answer with DNS over TCP refused says so: dns.refused, not "nothing listening"', async () => {
    const udpOnly = await startDns(() => ({ rcode: 'NOERROR', truncateUdp: true, answers: [a('big.test', '127.0.0.1')] }), { tcp: false });
    try {
      const result = await checkOne({ url: `http://big.test:${web.port}/`, resolvers: [udpOnly.address] });
      expect(result).toMatchObject({ status: 'down', code: 'dns.refused' });
      expect(result.reason).toContain(`resolver ${udpOnly.address} answered over UDP that the answer is truncated, and refused DNS over TCP`);
      expect(result.reason).not.toContain('nothing listening');
    } finally {
      await udpOnly.close();
    }
  });

  it('answers up to 1232 bytes come over UDP: no TCP needed, which some networks block', async () => {
    const result = await checkOne({ url: `http://big.test:${web.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.records).toHaveLength(60);
    expect(dns.queries.filter((q) => q.name === 'big.test' && q.transport === 'tcp')).toEqual([]);
  });

  it('a server that answers FORMERR to EDNS is asked again without it', async () => {
    const result = await checkOne({ url: `http://old-server.test:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'up', code: null });
  });
});

describe('a resolver that cannot be asked', () => {
  it('a closed resolver port fails fast with dns.refused naming the refusal, on every retry', async () => {
    const resolver = `127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const results = await Promise.all(['one.test', 'two.test', 'three.test'].map((host) => checkOne({ url: `http://${host}:${web.port}/`, resolvers: [resolver], retries: 2 })));
    expect(performance.now() - started).toBeLessThan(1000);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'down', code: 'dns.refused' });
      expect(result.reason).toContain(`resolver ${resolver} refused the connection`);
    }
  });

  it('a silent resolver: the timeout reason states the budget', async () => {
    const silent = await startDns(() => 'drop');
    try {
      const result = await checkOne({ url: `http://quiet.test:${web.port}/`, resolvers: [silent.address], timeout: '400ms' });
      expect(result).toMatchObject({ status: 'down', code: 'dns.timeout' });
      expect(result.reason).toMatch(/within 400ms/);
      expect(result.reason).not.toContain('deadline');
    } finally {
      await silent.close();
    }
  });
});
