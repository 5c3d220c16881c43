/**
 * Secrets in every spelling they take on the way out: a `${VAR}` with a trailing newline (a
 * secret mounted from a file) that the URL parser strips, values with spaces and quotes that the
 * URL serializer percent-encodes, passwords with `%`, proxy credentials, Basic auth. A loopback
 * server records what was sent, so the credentials are also checked to arrive as curl sends them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { runCli } from '../helpers/cli.js';
import { answer, startFakeProxy, type FakeProxy } from '../helpers/fake-proxy.js';
import { secretForms } from '../helpers/secret-forms.js';
import { startHttp, type TestServer } from '../helpers/servers.js';

const ENV = {
  NL_TOKEN: 'nl-s3cret-value\n',
  SPACED: `sp ac"e 'q' <s3cr&t>+more`,
  PCT_PW: 'p%zz-w0rd%41x',
  https_proxy: '',
};
/** What curl sends for PCT_PW: `%41` decoded, `%zz` kept. */
const PCT_SENT = 'p%zz-w0rdAx';
const PROXY_PW = 'pr0xy pw%zz';

let server: TestServer;
let proxy: FakeProxy;
let dir: string;
let config: string;
const seen: { url: string; authorization?: string; apiKey?: string }[] = [];

/** Every spelling of every secret of this file, with the user its Basic auth goes with. */
const FORMS = [
  ...secretForms(ENV.NL_TOKEN),
  ...secretForms(ENV.SPACED),
  ...secretForms(ENV.PCT_PW, { user: 'admin' }),
  ...secretForms(PCT_SENT, { user: 'admin' }),
  ...secretForms(PROXY_PW, { user: 'puser' }),
];

function expectClean(text: string, where: string) {
  for (const form of FORMS) expect(text, `${where} shows ${JSON.stringify(form)}`).not.toContain(form);
  expect(text, where).not.toMatch(/internal error|a bug in outage|URI malformed/);
}

beforeAll(async () => {
  server = await startHttp((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined });
    if (req.url?.startsWith('/ok')) return res.writeHead(200).end('fine');
    // The redirect carries the secret percent-encoded and form-encoded: hops are printed.
    if (req.url?.startsWith('/start')) {
      const location = `/next?e=${encodeURIComponent(ENV.SPACED)}&f=${new URLSearchParams({ f: ENV.SPACED }).toString().slice(2)}`;
      return res.writeHead(302, { location }).end();
    }
    res.writeHead(503).end('no');
  });
  proxy = await startFakeProxy(answer(407, 'Proxy Authentication Required', { 'proxy-authenticate': 'Basic realm="x"' }));
  ENV.https_proxy = `http://puser:${encodeURIComponent(PROXY_PW).replace('%25zz', '%zz')}@127.0.0.1:${proxy.port}`;
  dir = mkdtempSync(join(tmpdir(), 'outage-secret-spellings-'));
  config = join(dir, 'outage.yaml');
  const base = `http://127.0.0.1:${server.port}`;
  writeFileSync(
    config,
    [
      'defaults:',
      '  retries: 0',
      '  timeout: 3s',
      'services:',
      '  - name: newline',
      `    url: "${base}/start-nl?key=\${NL_TOKEN}"`,
      '  - name: "spaced ${SPACED}"',
      `    url: "${base}/start-sp?q=\${SPACED}"`,
      '    http:',
      '      headers:',
      '        X-Api-Key: "${SPACED}"',
      '  - name: percent',
      `    url: "http://admin:\${PCT_PW}@127.0.0.1:${server.port}/pct"`,
      '  - name: proxied',
      `    url: "https://127.0.0.1:${server.port}/"`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await server.close();
  await proxy.close();
});

describe('secret spellings', () => {
  it('credentials are sent as curl sends them: %XX decoded, a lone % kept', async () => {
    seen.length = 0;
    const r = await runCli(['check', '-c', config, '--format', 'json'], { env: ENV });
    // The proxy refusing outage (407) says nothing about the service: unknown, the worst here.
    expect(r.code).toBe(3);
    const percent = seen.find((s) => s.url === '/pct');
    expect(Buffer.from(percent?.authorization?.replace(/^Basic /, '') ?? '', 'base64').toString()).toBe(`admin:${PCT_SENT}`);
    // The newline of the mounted secret is dropped by the URL parser, as browsers drop it.
    expect(seen.some((s) => s.url === '/start-nl?key=nl-s3cret-value')).toBe(true);
    expect(seen.find((s) => s.url.startsWith('/start-sp'))?.apiKey).toBe(ENV.SPACED);
    const auth = proxy.seen[0]?.headers['proxy-authorization'] ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe(`puser:${PROXY_PW}`);
    const report = JSON.parse(r.stdout) as { services: { name: string; code: string }[] };
    expect(report.services.map((s) => s.code)).toEqual(['http.status', 'http.status', 'http.status', 'proxy.auth_required']);
    expectClean(r.stdout + r.stderr, 'json');
  });

  it.each(FORMAT_NAMES)('--format %s shows no spelling of any secret', async (format) => {
    const r = await runCli(['check', '-c', config, '--format', format], { env: ENV });
    expect(r.code).toBe(3);
    expectClean(r.stdout + r.stderr, format);
    expect(r.stdout.replace(/\\\*/g, '*')).toContain('***');
  });

  it('-v, -q, report files and the step summary', async () => {
    for (const flag of ['-v', '-q']) {
      const r = await runCli(['check', '-c', config, flag], { env: ENV });
      expect(r.code).toBe(3);
      expectClean(r.stdout + r.stderr, flag);
    }
    const summary = join(dir, 'summary.md');
    const reports = FORMAT_NAMES.flatMap((f) => ['--report', `${f}=${join(dir, `report.${f}`)}`]);
    const r = await runCli(['check', '-c', config, '--format', 'github', ...reports], { env: { ...ENV, GITHUB_STEP_SUMMARY: summary } });
    expectClean(r.stdout + r.stderr, 'github');
    for (const f of FORMAT_NAMES) expectClean(readFileSync(join(dir, `report.${f}`), 'utf8'), `report.${f}`);
    expectClean(readFileSync(summary, 'utf8'), 'step summary');
  });

  it('list and wait', async () => {
    for (const args of [['list', '-c', config], ['list', '-c', config, '--json']]) {
      const r = await runCli(args, { env: ENV });
      expect(r.code).toBe(0);
      expectClean(r.stdout + r.stderr, args.join(' '));
      expect(r.stdout).toContain('***');
    }
    const wait = await runCli(['wait', '-c', config, '--timeout', '500ms', '--interval', '100ms', '--json'], { env: ENV });
    expect(wait.code).toBe(2);
    expectClean(wait.stdout + wait.stderr, 'wait');
  });

  it('a password with a lone % on the command line is sent as it is, never a crash', async () => {
    seen.length = 0;
    const r = await runCli(['check', `http://admin:${ENV.PCT_PW}@127.0.0.1:${server.port}/ok`, '--format', 'json'], { env: { NO_PROXY: '*' } });
    expect(r.code).toBe(0);
    expect(Buffer.from(seen[0]?.authorization?.replace(/^Basic /, '') ?? '', 'base64').toString()).toBe(`admin:${PCT_SENT}`);
    expectClean(r.stdout + r.stderr, 'ad-hoc target');
  });
});

describe('values that cannot be sent are configuration errors naming the variable', () => {
  const cases: { name: string; env: Record<string, string>; yaml: string[]; path: string; says: RegExp }[] = [
    {
      name: 'a header value ending in a newline',
      env: { TOKEN: 'tok-9f8e7d6c5b\n' },
      yaml: ['    http:', '      headers:', '        Authorization: "Bearer ${TOKEN}"'],
      path: 'services[0].http.headers.Authorization',
      says: /\$\{TOKEN\} ends in a line break \(U\+000A\)/,
    },
    {
      // An environment cannot hold a NUL: only the file can (a YAML escape).
      name: 'a NUL inside a header value',
      env: {},
      yaml: ['    http:', '      headers:', '        X-Api-Key: "key-1a2b\\03c4d"'],
      path: 'services[0].http.headers["X-Api-Key"]',
      says: /the value holds a NUL \(U\+0000\)/,
    },
    {
      name: 'a header value outside Latin-1',
      env: { KEY: 'key-€uro-77aa' },
      yaml: ['    http:', '      headers:', '        X-Api-Key: "${KEY}"'],
      path: 'services[0].http.headers["X-Api-Key"]',
      says: /\$\{KEY\} holds the character U\+20AC, outside Latin-1/,
    },
  ];

  it.each(cases)('$name', async ({ env, yaml, path, says }) => {
    const file = join(dir, 'unsendable.yaml');
    writeFileSync(file, ['services:', '  - name: api', `    url: "http://127.0.0.1:${server.port}/ok"`, ...yaml, ''].join('\n'));
    const r = await runCli(['check', '-c', file], { env });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(says);
    expect(r.stdout + r.stderr).not.toMatch(/http\.protocol|internal error/);
    for (const value of Object.values(env)) for (const form of secretForms(value)) expect(r.stdout + r.stderr).not.toContain(form);
  });

  it('a control character in a URL host, and user-info decoding to one', async () => {
    const env = { HOST: 'ex\u0001ample-s3cret.test', PW: 'pw%0Asecret-44' };
    const file = join(dir, 'bad-urls.yaml');
    writeFileSync(file, ['services:', '  - name: a', '    url: "http://${HOST}/"', '  - name: b', '    url: "http://u:${PW}@127.0.0.1:1/"', ''].join('\n'));
    const r = await runCli(['check', '-c', file], { env });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/services\[0\]\.url: \$\{HOST\} holds a control character \(U\+0001\)/);
    expect(r.stderr).toMatch(/services\[1\]\.url: the user-info decodes to a control character/);
    for (const value of Object.values(env)) for (const form of secretForms(value)) expect(r.stdout + r.stderr).not.toContain(form);
  });
});
