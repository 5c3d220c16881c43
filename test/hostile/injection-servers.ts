/**
 * Targets whose every word is an attack on whatever prints it (issue 12, class 8): terminal escape
 * sequences, bidi overrides, GitHub workflow commands (`::error::`) after line breaks, and Azure
 * Pipelines logging commands (`##[`, `##vso[`), in an HTTP reason phrase and header, a non-HTTP
 * banner, redirect targets, DNS TXT and CNAME answers, a certificate subject and a status-page
 * incident title. Each carries a marker word, so a test can see the text did reach the output.
 */
import type { Socket } from 'node:net';
import { identity, issue } from '../helpers/certs.js';
import { startDns, tableZone } from '../helpers/dns-server.js';
import { startHttp, startHttps, startTcp, type TestServer } from '../helpers/servers.js';
import type { Hostile } from './servers.js';

/** The attack, around a marker: `\n` and `\r` so that the next words would start a line of their own. */
export const attack = (marker: string) => `\u001b[31m${marker}\u001b[0m\u001b]0;pwned\u0007\n::error::${marker} ##[error]x ##vso[task.setvariable variable=X]1 \u202eevil\r::warning::y\u009b2J`;

/** UTF-8 bytes as latin1 text, which is how raw servers here write them. */
const bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

export const MARKERS = ['phrase-marker', 'ctype-marker', 'banner-marker', 'fragment-marker', 'location-marker', 'txt-marker', 'cname-marker', 'subject-marker', 'incident-marker'] as const;

export interface Injection {
  servers: { close(): Promise<void> }[];
  targets: Hostile[];
}

function raw(answer: (path: string) => string) {
  return (socket: Socket) => {
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const path = pending.slice(0, end).split(' ')[1] ?? '/';
      pending = '';
      socket.end(Buffer.from(answer(path), 'latin1'));
    });
  };
}

export async function startInjection(): Promise<Injection> {
  const servers: { close(): Promise<void> }[] = [];
  const own = async <S extends { close(): Promise<void> }>(server: Promise<S>) => {
    const s = await server;
    servers.push(s);
    return s;
  };
  const tcp = async (answer: (path: string) => string) => `http://127.0.0.1:${(await own(startTcp(raw(answer)))).port}`;
  const empty = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';

  const phrase = await tcp(() => `HTTP/1.1 503 ${bytes(attack('phrase-marker').replace(/[\r\n]/g, ' '))}\r\nContent-Type: ${bytes(attack('ctype-marker').replace(/[\r\n]/g, ' '))}\r\nContent-Length: 0\r\n\r\n`);
  const ctype = await tcp(() => `HTTP/1.1 200 OK\r\nContent-Type: ${bytes(attack('ctype-marker').replace(/[\r\n]/g, ' '))}\r\nContent-Length: 0\r\n\r\n`);
  const banner = await tcp(() => `${bytes(attack('banner-marker').replace(/[\r\n]/g, ' '))}\r\n`);
  const fragment = await tcp((path) => (path === '/' ? `HTTP/1.1 302 Found\r\nLocation: /next##[error]fragment-marker\r\nContent-Length: 0\r\n\r\n` : empty));
  const location = await tcp(() => `HTTP/1.1 302 Found\r\nLocation: javascript:${bytes(attack('location-marker').replace(/[\r\n]/g, ' '))}\r\nContent-Length: 0\r\n\r\n`);
  const web = await own(startHttp((_req, res) => res.writeHead(200).end('ok')));

  const dns = await own(
    startDns(
      tableZone({
        'txt.test': { TXT: [attack('txt-marker')] },
        'alias.test': { CNAME: `x${'\u001b'}[31m.cname-marker.test` },
        [`x${'\u001b'}[31m.cname-marker.test`]: { A: ['127.0.0.1'] },
      }),
    ),
  );
  const resolvers = [dns.address];

  const selfSigned = await issue({ name: `subject-marker \u001b[31m ::error::subject-marker ##[error]s \u202eevil`, hosts: ['127.0.0.1', 'localhost'] });
  const tls: TestServer = await own(startHttps(identity(selfSigned), (_req, res) => res.writeHead(200).end('ok')));

  const summary = {
    status: { indicator: 'major', description: attack('incident-marker') },
    incidents: [{ name: attack('incident-marker'), impact: 'major', status: 'investigating', shortlink: `https://status.test/${attack('incident-marker')}` }],
    components: [{ name: attack('incident-marker'), status: 'major_outage' }],
  };
  const status = await own(startHttp((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary))));

  const targets: Hostile[] = [
    { name: 'reason phrase and Content-Type', service: { url: `${phrase}/` }, expect: ['down', 'http.status'] },
    { name: 'Content-Type on a 200', service: { url: `${ctype}/` }, expect: ['up', null] },
    { name: 'non-HTTP banner', service: { url: `${banner}/` }, expect: ['down', 'http.protocol'] },
    { name: 'redirect with ##[ in its fragment', service: { url: `${fragment}/` }, expect: ['up', null] },
    { name: 'unfollowable Location', service: { url: `${location}/` }, expect: ['down', 'http.bad_redirect'] },
    { name: 'DNS TXT', service: { dns: { name: 'txt.test', type: 'TXT' }, resolvers }, expect: ['up', null] },
    { name: 'DNS TXT not as expected', service: { dns: { name: 'txt.test', type: 'TXT', expect: ['v=spf1 -all'] }, resolvers }, expect: ['down', 'dns.unexpected'] },
    { name: 'CNAME to a hostile name', service: { url: `http://alias.test:${web.port}/`, resolvers }, expect: ['up', null] },
    { name: 'certificate subject', service: { url: `https://127.0.0.1:${tls.port}/` }, expect: ['down', 'tls.untrusted'] },
    { name: 'status-page incident title', service: { url: `${web.url}/`, status: `${status.url}/api/v2/summary.json` }, expect: ['degraded', 'vendor.incident'] },
  ];
  return { servers, targets };
}
