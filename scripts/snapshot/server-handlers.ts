/**
 * What the loopback servers answer beyond a fixed response: redirect chains, vendor status APIs
 * (from test/fixtures/status) and a DNS zone behind a failing CDN. The asset-host page is
 * test/helpers/asset-site.ts.
 */
import type { Answer } from '../../test/helpers/dns-server.js';
import type { Handler, TestServer } from '../../test/helpers/servers.js';
import { recordedStatusBody } from '../../test/helpers/status-bodies.js';

type Servers = () => Record<string, TestServer>;

export function redirects(servers: Servers): Handler {
  return (req, res) => {
    const go = (status: number, location: string) => void res.writeHead(status, { location }).end();
    const s = servers();
    switch (req.url) {
      case '/start':
        return go(302, '/middle');
      case '/middle':
        return go(301, '/final');
      case '/final':
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('final');
      case '/a':
        return go(302, '/b');
      case '/b':
        return go(302, '/a');
      case '/away':
        return go(307, `${s.ok!.url}/elsewhere`);
      case '/to-expired':
        return go(302, `https://127.0.0.1:${s.tls_expired!.port}/`);
      default:
        return void res.writeHead(404).end();
    }
  };
}

const STATUS_ROUTES: Record<string, string> = {
  '/api/v2/summary.json': 'statuspage-major.json',
  '/ok/api/v2/summary.json': 'statuspage-ok.json',
  '/api/v2.0.0/current': 'slack-outage.json',
  '/public/currentevents': 'aws-currentevents.utf16be.json',
  '/custom-status': 'instatus.json',
};

export const vendorStatus: Handler = (req, res) => {
  const file = STATUS_ROUTES[req.url ?? ''];
  if (req.url === '/broken') return void res.writeHead(500).end('upstream error');
  if (req.url === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
  if (!file) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'application/json' }).end(recordedStatusBody(file));
};

/** test/cli/common-cause.test.ts's zone: three names behind one CDN whose name servers are gone. */
const CNAMES: Record<string, string> = { 'shop.test': 'edge-1.cdn-x.test', 'api.test': 'edge-2.cdn-x.test', 'docs.test': 'edge-1.cdn-x.test', 'blog.test': 'www.cdn-y.test' };

export function cdnZone(name: string, type: string): Answer {
  const target = CNAMES[name];
  if (type === 'NS' && target) return { rcode: 'NOERROR', answers: [{ type: 'NS', name, ttl: 60, data: target.endsWith('.cdn-x.test') ? 'ns1.dns-x.test' : 'ns1.other-dns.test' }] };
  if (target && type === 'CNAME') return { rcode: 'NOERROR', answers: [{ type: 'CNAME', name, ttl: 60, data: target }] };
  if (target?.endsWith('.cdn-x.test') || name.endsWith('.cdn-x.test')) return { rcode: 'SERVFAIL' };
  if ((target || name === 'db.test') && type === 'A') return { rcode: 'NOERROR', answers: [{ type: 'A', name, ttl: 60, data: '127.0.0.1' }] };
  return target || name === 'db.test' ? { rcode: 'NOERROR' } : { rcode: 'NXDOMAIN' };
}
