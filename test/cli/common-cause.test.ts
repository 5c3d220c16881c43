/**
 * Common-cause grouping: several services whose CNAMEs point into one failing CDN domain are named
 * as one likely cause; a service failing for another reason and a healthy service on another CDN
 * are not part of it. The zone is served by a loopback DNS server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { startDns, type TestDnsServer } from '../helpers/dns-server.js';
import { closedPort, ok, startHttp, type TestServer } from '../helpers/servers.js';
import type { Report } from '../../src/probes/result.js';

const CNAMES: Record<string, string> = {
  'shop.test': 'edge-1.cdn-x.test',
  'api.test': 'edge-2.cdn-x.test',
  'docs.test': 'edge-1.cdn-x.test',
  'blog.test': 'www.cdn-y.test',
};

let dns: TestDnsServer;
let up: TestServer;
let report: Report;
let table: string;

beforeAll(async () => {
  // A CNAME query answers with the CNAME; an address query for a name behind cdn-x fails the way
  // a resolver fails when the CDN's own name servers are gone: SERVFAIL.
  dns = await startDns((name, type) => {
    const target = CNAMES[name];
    // Each domain's name servers: the three behind cdn-x also share a DNS provider.
    if (type === 'NS' && target) {
      const ns = target.endsWith('.cdn-x.test') ? `ns1.dns-x.test` : 'ns1.other-dns.test';
      return { rcode: 'NOERROR', answers: [{ type: 'NS', name, ttl: 60, data: ns }] };
    }
    if (target && type === 'CNAME') return { rcode: 'NOERROR', answers: [{ type: 'CNAME', name, ttl: 60, data: target }] };
    if (target?.endsWith('.cdn-x.test') || name.endsWith('.cdn-x.test')) return { rcode: 'SERVFAIL' };
    if ((target || name === 'db.test') && type === 'A') return { rcode: 'NOERROR', answers: [{ type: 'A', name, ttl: 60, data: '127.0.0.1' }] };
    return target || name === 'db.test' ? { rcode: 'NOERROR' } : { rcode: 'NXDOMAIN' };
  });
  up = await startHttp(ok);
  const port = new URL(up.url).port;
  const closed = await closedPort();
  const file = configFile({
    defaults: { timeout: '3s', retries: 0, resolvers: [dns.address] },
    services: [
      { name: 'shop', url: `http://shop.test:${port}/` },
      { name: 'api', url: `http://api.test:${port}/` },
      { name: 'docs', url: `http://docs.test:${port}/` },
      { name: 'db', tcp: `db.test:${closed}` },
      { name: 'blog', url: `http://blog.test:${port}/` },
    ],
  });
  const json = await runCli(['check', '-c', file, '--json']);
  report = JSON.parse(json.stdout) as Report;
  table = (await runCli(['check', '-c', file], { env: { COLUMNS: '200' } })).stdout;
});

afterAll(async () => {
  await Promise.all([dns.close(), up.close()]);
});

describe('likely common cause', () => {
  it('services sharing a failing CNAME target domain are grouped, most specific first', () => {
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['shop', 'down', 'dns.servfail'],
      ['api', 'down', 'dns.servfail'],
      ['docs', 'down', 'dns.servfail'],
      ['db', 'down', 'tcp.refused'],
      ['blog', 'up', null],
    ]);
    expect(report.commonCauses[0]).toEqual({
      kind: 'cname',
      value: 'cdn-x.test',
      services: ['shop', 'api', 'docs'],
      summary: '3 of 4 down services resolve through *.cdn-x.test',
    });
    expect(report.commonCauses).toContainEqual(
      expect.objectContaining({ kind: 'ns', value: 'dns-x.test', services: ['shop', 'api', 'docs'], summary: '3 of 4 down services use name servers at *.dns-x.test' }),
    );
    // The same three also share their failure code: in JSON, but not printed twice.
    expect(report.commonCauses).toContainEqual(expect.objectContaining({ kind: 'code', value: 'dns.servfail', services: ['shop', 'api', 'docs'] }));
  });

  it('the table prints the line once', () => {
    expect(table).toContain('\nlikely common cause: 3 of 4 down services resolve through *.cdn-x.test\n');
    expect(table).not.toContain('fail with dns.servfail');
    expect(table).not.toContain('name servers at');
  });

  it('a value a healthy service shares is no cause (everything here is on 127.0.0.0/24)', () => {
    expect(report.commonCauses.some((c) => c.kind === 'network')).toBe(false);
  });
});

describe('one resolver down', () => {
  it('the services whose lookups it refused are grouped by it; a healthy service asked another', async () => {
    const refusing = `127.0.0.1:${await closedPort()}`;
    const port = new URL(up.url).port;
    const file = configFile({
      defaults: { timeout: '3s', retries: 0 },
      services: [
        { name: 'shop', url: `http://blog.test:${port}/`, resolvers: [refusing] },
        { name: 'api', url: `http://db.test:${port}/`, resolvers: [refusing] },
        { name: 'blog', url: `http://blog.test:${port}/`, resolvers: [dns.address] },
      ],
    });
    const json = await runCli(['check', '-c', file, '--json']);
    const run = JSON.parse(json.stdout) as Report;
    expect(run.services.map((s) => [s.name, s.status])).toEqual([
      ['shop', 'down'],
      ['api', 'down'],
      ['blog', 'up'],
    ]);
    expect(run.commonCauses[0]).toMatchObject({ kind: 'resolver', value: refusing, services: ['shop', 'api'], summary: `2 of 2 down services look names up through resolver ${refusing}` });
    const text = (await runCli(['check', '-c', file], { env: { COLUMNS: '200' } })).stdout;
    expect(text).toContain(`\nlikely common cause: 2 of 2 down services look names up through resolver ${refusing}\n`);
  });
});
