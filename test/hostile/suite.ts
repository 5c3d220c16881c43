/**
 * The whole hostile suite as one list (issue 12, must show 2): every group of misbehaving
 * loopback targets, which suite-invariants.test.ts runs through the real CLI in every format. To
 * add hostile servers to the suite, add a group here: it starts its servers and returns its
 * targets (with the outcome each must get), any environment the run needs, and how to close.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startDns, tableZone } from '../helpers/dns-server.js';
import { secretForms } from '../helpers/secret-forms.js';
import { startHttp } from '../helpers/servers.js';
import { allHttpCases } from './http-cases.js';
import { startInjection } from './injection-servers.js';
import { rawHttp, response } from './raw-http.js';
import { startHostileWorld, type Hostile } from './servers.js';

export interface SuiteGroup {
  targets: Hostile[];
  /** Environment the CLI needs for these targets (secrets for `${VAR}`, a CA file). */
  env?: Record<string, string>;
  /** Secrets these targets carry: none may appear in any output, in any form. */
  secrets?: string[];
  close(): Promise<void>;
}

/** Secrets of the suite's own targets: every spelling of each (secret-forms.ts) is checked absent. */
export const SUITE_SECRETS = { TOKEN: 'tok-suite-7f3a9c1e', API_KEY: 'key-suite-5b2d8e4f', user: 'suiteuser', password: 'pw-suite-91xq', statusPassword: 'pw-status-8q2z' };

/** Targets that carry credentials, and servers that echo them back where output can show them. */
async function secretTargets(): Promise<SuiteGroup> {
  const { TOKEN, API_KEY, user, password, statusPassword } = SUITE_SECRETS;
  const echo = (req: IncomingMessage, res: ServerResponse) => {
    const seen = `${req.headers.authorization ?? ''} ${req.headers['x-api-key'] ?? ''}`.trim();
    if (req.url?.startsWith('/redirect')) return void res.writeHead(302, { location: `/landing?key=${API_KEY}` }).end();
    if (req.url?.startsWith('/status')) {
      const summary = { status: { indicator: 'major' }, incidents: [{ name: `seen ${seen}`, impact: 'major', status: 'investigating' }] };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary));
    }
    // The credentials come back in a header that -v prints (the body's type).
    res.writeHead(503, { 'content-type': `text/plain; seen="${seen}"` }).end(`denied ${seen}`);
  };
  const server = await startHttp(echo);
  const dns = await startDns(tableZone({}));
  const base = `127.0.0.1:${server.port}`;
  return {
    env: { SUITE_TOKEN: TOKEN, SUITE_API_KEY: API_KEY },
    secrets: [...[TOKEN, API_KEY].flatMap((s) => secretForms(s)), ...secretForms(password, { user }), ...secretForms(statusPassword, { user: 'reader' })],
    targets: [
      { name: 'URL with user:password, echoed back', service: { url: `http://${user}:${password}@${base}/basic` }, expect: ['down', 'http.status'] },
      {
        name: 'env secrets in the URL and headers, redirected and echoed',
        service: { url: `http://${base}/redirect?token=\${SUITE_TOKEN}`, http: { headers: { Authorization: 'Bearer ${SUITE_TOKEN}', 'X-Api-Key': '${SUITE_API_KEY}' } } },
        expect: ['down', 'http.status'],
      },
      { name: 'an env secret in a DNS name', service: { dns: { name: 'x-${SUITE_TOKEN}.test' }, resolvers: [dns.address] }, expect: ['down', 'dns.nxdomain'] },
      { name: 'status endpoint with credentials, echoed in the incident', service: { url: `http://${base}/ok`, status: `http://reader:${statusPassword}@${base}/status/api/v2/summary.json`, http: { expect: { status: 503 } } }, expect: ['degraded', 'vendor.incident'] },
    ],
    close: async () => void (await Promise.all([server.close(), dns.close()])),
  };
}

/** A few raw-byte servers beside the HTTP classes' own tests: what a reader must refuse or accept. */
async function framingTargets(): Promise<SuiteGroup> {
  const answers: [string, string | Buffer, [string, string | null]][] = [
    ['Content-Length and chunked', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', ['down', 'http.protocol']],
    ['obs-fold and bare LF', 'HTTP/1.1 200 OK\nX-Long: one\n  two\nContent-Length: 5\n\nhello', ['up', null]],
    ['an invalid chunk size quoting hostile bytes', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\x1b[2J::error::x\r\n', ['down', 'http.protocol']],
    ['closed mid-headers', 'HTTP/1.1 200 OK\r\nContent-Len', ['down', 'http.reset']],
    ['HTTP/0.9', '::error::hello\n', ['down', 'http.protocol']],
    ['forty Set-Cookie lines', response('200 OK', Array.from({ length: 40 }, (_, i) => `Set-Cookie: s${i}=${'x'.repeat(1000)}`), 'hello'), ['up', null]],
  ];
  const servers = await Promise.all(answers.map(([, bytes]) => rawHttp(() => bytes)));
  return {
    targets: answers.map(([name, , expect], i) => ({ name, service: { url: `${servers[i]?.url}/` }, expect })),
    close: async () => void (await Promise.all(servers.map((s) => s.close()))),
  };
}

/** Every raw-byte case of the HTTP classes (http-cases.ts), each on its own server. */
async function httpCaseTargets(): Promise<SuiteGroup> {
  const cases = allHttpCases();
  const servers = await Promise.all(cases.map((c) => rawHttp(() => ({ bytes: c.bytes, keepOpen: c.keepOpen }))));
  return {
    targets: cases.map((c, i) => ({ name: c.name, service: { url: `${servers[i]?.url}/`, ...c.service }, expect: c.expect })),
    close: async () => void (await Promise.all(servers.map((s) => s.close()))),
  };
}

/**
 * The suite: the hostile servers of servers.ts (HTTP framing, redirects, bodies, TLS failures,
 * DNS misbehaviour), every raw-byte case of the HTTP classes 1–3, more raw framing, output
 * injection (class 8) and secrets.
 */
export const SUITE: Record<string, () => Promise<SuiteGroup>> = {
  'hostile servers': async () => {
    const world = await startHostileWorld();
    return { targets: world.targets, env: { NODE_EXTRA_CA_CERTS: world.caFile }, secrets: secretForms('s3cr3t-pw', { user: 'admin' }), close: world.close };
  },
  'HTTP classes 1–3': httpCaseTargets,
  'raw framing': framingTargets,
  'output injection': async () => startInjection().then((i) => ({ targets: i.targets, close: async () => void (await Promise.all(i.servers.map((s) => s.close()))) })),
  secrets: secretTargets,
};
