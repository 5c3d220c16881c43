/**
 * A configured `Host` header — a virtual host checked by its address (`url: http://10.0.0.5/`,
 * `headers: { Host: app.example.com }`) — goes only to the host the URL names, as curl sends it: a
 * redirect to another host (a sign-in service, a CDN) is asked for by that host's own name, and a
 * redirect back is the virtual host again.
 */
import { describe, expect, it } from 'vitest';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { startHttp } from '../helpers/servers.js';

const own = closeAfterAll();

describe('a configured Host header on redirects', () => {
  it('is kept for the configured host (any port), and replaced by the real host name elsewhere', async () => {
    const seen: string[] = [];
    const hosts = { vhost: '', other: '' };
    // The virtual host answers only under its name; the other host only under its own.
    const vhost = own(
      await startHttp((req, res) => {
        seen.push(`vhost ${req.url} ${req.headers.host}`);
        if (req.headers.host !== 'app.test') return res.writeHead(421).end();
        if (req.url === '/') return res.writeHead(302, { location: '/login' }).end();
        if (req.url === '/login') return res.writeHead(302, { location: `${hosts.other}/sso` }).end();
        res.end('signed in');
      }, '127.0.0.1'),
    );
    const other = own(
      await startHttp((req, res) => {
        seen.push(`other ${req.url} ${req.headers.host}`);
        if (req.headers.host !== hosts.other.replace('http://', '')) return res.writeHead(421).end();
        res.writeHead(302, { location: `${hosts.vhost}/done` }).end();
      }, '127.0.0.2'),
    );
    hosts.vhost = vhost.url;
    hosts.other = other.url;
    const result = await checkOne({ url: `${vhost.url}/`, http: { headers: { Host: 'app.test' }, expect: { body: 'signed in' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(seen).toEqual(['vhost / app.test', 'vhost /login app.test', `other /sso ${other.url.replace('http://', '')}`, 'vhost /done app.test']);
  });
});
