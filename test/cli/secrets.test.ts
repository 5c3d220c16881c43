/**
 * Secrets never appear in any output: values from ${VAR}, URL user-info, and Authorization,
 * Cookie, Proxy-Authorization and X-Api-Key headers — in every format, report file, error and
 * config error. They show as ***.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { runCli } from '../helpers/cli.js';
import { respond, startHttp, type TestServer } from '../helpers/servers.js';

const ENV = { TOKEN: 'tok-7f3a9c1e', API_KEY: 'key-5b2d8e4f', QUERY_KEY: 'qk-0c6e1a9b', NAME_PART: 'np-4d7f2c8a' };
const LITERAL = { password: 'Pa55-w0rd-91x', cookie: 'c00kie-v4lue-3e', proxy: 'Basic cHJveHk6c2VjcmV0LXB3', statusPassword: 'st4tus-pw-8q', hostPassword: 'h0st-pw-2z' };
const SECRETS = [...Object.values(ENV), ...Object.values(LITERAL), 'cHJveHk6c2VjcmV0LXB3'];

let server: TestServer;
let dir: string;
let config: string;

beforeAll(async () => {
  // Redirects to a URL carrying the secret query, then fails: the secret reaches hops and reasons.
  server = await startHttp((req, res) => (req.url?.startsWith('/start') ? respond(302, '', { location: `/next?key=${ENV.QUERY_KEY}` })(req, res) : respond(503, `denied ${ENV.TOKEN}`)(req, res)));
  dir = mkdtempSync(join(tmpdir(), 'outage-secrets-'));
  config = join(dir, 'outage.yaml');
  writeFileSync(
    config,
    [
      'services:',
      '  - name: "api ${NAME_PART}"',
      `    url: "http://admin:${LITERAL.password}@127.0.0.1:${server.port}/start?key=\${QUERY_KEY}"`,
      '    retries: 0',
      '    http:',
      '      headers:',
      '        Authorization: "Bearer ${TOKEN}"',
      '        X-Api-Key: "${API_KEY}"',
      `        Cookie: "session=${LITERAL.cookie}"`,
      `        Proxy-Authorization: "${LITERAL.proxy}"`,
      // Status endpoints and extra hosts with credentials: their failures are reported too.
      `    status: "http://reader:${LITERAL.statusPassword}@127.0.0.1:${server.port}/status?key=\${QUERY_KEY}"`,
      `    hosts: ["http://cdn:${LITERAL.hostPassword}@127.0.0.1:${server.port}/asset"]`,
      '',
    ].join('\n'),
  );
});
afterAll(() => server.close());

function expectClean(text: string, where: string) {
  for (const secret of SECRETS) expect(text, `${where} leaks ${secret}`).not.toContain(secret);
}

describe('secrets', () => {
  it.each(FORMAT_NAMES)('--format %s', async (format) => {
    const r = await runCli(['check', '-c', config, '--format', format], { env: ENV });
    expect(r.code).toBe(2);
    expectClean(r.stdout + r.stderr, format);
    // Markdown escapes the marker (\*\*\*), which renders as ***.
    expect(r.stdout.replace(/\\\*/g, '*')).toContain('***');
  });

  it('-v, report files and the GitHub step summary', async () => {
    const summary = join(dir, 'summary.md');
    const reports = FORMAT_NAMES.map((f) => `${f}=${join(dir, `report.${f}`)}`);
    const r = await runCli(['check', '-c', config, '-v', ...reports.flatMap((x) => ['--report', x]), '--report', `github=${join(dir, 'gh.txt')}`], {
      env: { ...ENV, GITHUB_STEP_SUMMARY: summary },
    });
    expectClean(r.stdout + r.stderr, '-v');
    for (const f of FORMAT_NAMES) expectClean(readFileSync(join(dir, `report.${f}`), 'utf8'), `report.${f}`);
    expectClean(readFileSync(summary, 'utf8'), 'step summary');
  });

  it('list, wait and error messages', async () => {
    const list = await runCli(['list', '-c', config, '--json'], { env: ENV });
    expectClean(list.stdout + list.stderr, 'list');
    const wait = await runCli(['wait', '-c', config, '--timeout', '300ms', '--interval', '100ms'], { env: ENV });
    expect(wait.code).toBe(2);
    expectClean(wait.stdout + wait.stderr, 'wait');
    const unknown = await runCli(['check', '-c', config, `nope-${ENV.TOKEN}`], { env: ENV });
    expect(unknown.code).toBe(64);
    expectClean(unknown.stderr, 'usage error');
  });

  it('a --from URL or a target with credentials that does not parse: the usage error hides the credentials', async () => {
    const from = await runCli(['check', '--no-canaries', `http://127.0.0.1:${server.port}/`, '--from', `http://eu:${LITERAL.password}@127.0.0.1:1:2/`]);
    expect(from.code).toBe(64);
    expect(from.stderr).toContain('--from "http://***": port "1:2" is not a number');
    expectClean(from.stderr, '--from usage error');
    // As curl reads it, user:password@host:port is a URL with credentials, even without http://.
    const target = await runCli(['check', '--no-canaries', `admin:${LITERAL.password}@127.0.0.1:5432`]);
    expect(target.code).toBe(64);
    expect(target.stderr).toContain('"***@127.0.0.1:5432" has no scheme: write https://***@127.0.0.1:5432 or http://***@127.0.0.1:5432');
    expectClean(target.stderr, 'bad target');
  });

  it('a password holding @ (and /): no piece of it in any format, nor in the error for a URL that does not parse', async () => {
    // The URL parser reads user-info up to the last @ of the authority; hiding only up to the
    // first @ showed the rest of the password as the service's name.
    const password = 'p@ss-w0rd@77';
    const target = `http://svc:${password}@127.0.0.1:${server.port}/`;
    for (const format of FORMAT_NAMES) {
      const r = await runCli(['check', '--no-canaries', target, '--format', format]);
      expect(r.code, format).toBe(2);
      for (const piece of ['ss-w0rd', 'w0rd@77']) expect(r.stdout + r.stderr, `${format} leaks ${piece}`).not.toContain(piece);
    }
    const bad = await runCli(['check', '--no-canaries', `http://svc:${password}@127.0.0.1:1:2/`]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('"http://***": port "1:2" is not a number');
    const file = join(dir, 'slash.yaml');
    // The value twice: cut at its last @, the rest of the copy in the query would show.
    writeFileSync(file, 'services:\n  - name: a\n    url: "http://svc:${PW}@127.0.0.1:1/?k=${PW}"\n');
    const config = await runCli(['validate', '-c', file], { env: { PW: 'p@ss w/rd-5150' } });
    expect(config.code).toBe(78);
    for (const piece of ['ss w', 'rd-5150']) expect(config.stderr, `config error leaks ${piece}`).not.toContain(piece);
  });

  it('config errors', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'services:\n  - name: a\n    url: "https://${TOKEN}/"\n    timeout: "${API_KEY}"\n    retries: "${QUERY_KEY}"\n');
    const r = await runCli(['check', '-c', bad], { env: ENV });
    expect(r.code).toBe(78);
    expectClean(r.stderr, 'config error');
    expect(r.stderr).toMatch(/timeout: \*\*\*: not a duration/);
  });

  it('a JavaScript config whose stray promise or callback fails: one line, no stack trace, no credential', async () => {
    const stray = {
      rejection: 'Promise.reject(new Error(`async key ${process.env.API_KEY}`));',
      callback: 'setImmediate(() => { throw new Error(`callback key ${process.env.API_KEY}`); });',
    };
    for (const [what, line] of Object.entries(stray)) {
      const jsDir = mkdtempSync(join(tmpdir(), 'outage-js-stray-'));
      writeFileSync(join(jsDir, 'outage.config.mjs'), `${line}\nexport default { services: [{ name: 'local', url: 'http://127.0.0.1:${server.port}/' }] };\n`);
      for (const format of ['table', 'nagios']) {
        const r = await runCli(['check', '--no-canaries', '-f', format], { env: ENV, cwd: jsDir });
        expect(r.code, `${what} ${format}: ${r.stderr}`).toBe(3);
        expectClean(r.stdout + r.stderr, `${what} ${format}`);
        expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
        const said = format === 'nagios' ? r.stdout : r.stderr;
        expect(said, what).toMatch(format === 'nagios' ? /^OUTAGE UNKNOWN - uncaught error: \w+ key \*\*\*/ : /^outage: uncaught error: \w+ key \*\*\*/m);
      }
    }
  });

  it.each(['outage.config.cjs', '.outagerc.mjs'])('a JavaScript config (%s) that throws with a credential from the environment', async (name) => {
    const jsDir = mkdtempSync(join(tmpdir(), 'outage-js-secret-'));
    const file = join(jsDir, name);
    const body = 'const t = process.env.API_KEY; const u = process.env.DEPLOY_PASSWORD;\nthrow new Error(`bad key ${t} (base64 ${Buffer.from(t).toString("base64")}) for ${u}, region ${process.env.REGION}`);\n';
    writeFileSync(file, name.endsWith('.mjs') ? body : `${body}module.exports = {};\n`);
    const env = { ...ENV, DEPLOY_PASSWORD: 'dpl-9x8w7v6u', REGION: 'eu-west-1' };
    for (const args of [['check', '-c', file, '--no-canaries'], ['validate', '-c', file]]) {
      const r = await runCli(args, { env, cwd: jsDir });
      expect(r.code, r.stderr).toBe(78);
      expectClean(r.stderr, 'JavaScript config error');
      for (const form of ['dpl-9x8w7v6u', Buffer.from(ENV.API_KEY).toString('base64')]) expect(r.stderr).not.toContain(form);
      // The message is still there, with what is not a credential.
      expect(r.stderr).toMatch(/bad key \*\*\* \(base64 \*\*\*\) for \*\*\*, region eu-west-1/);
    }
  });

  it('a JavaScript config whose invalid value is a credential it read from the environment', async () => {
    const jsDir = mkdtempSync(join(tmpdir(), 'outage-js-value-'));
    const file = join(jsDir, 'outage.config.mjs');
    writeFileSync(file, "export default { services: [{ name: 'a', url: 'http://127.0.0.1:1/', timeout: process.env.API_KEY }] };\n");
    for (const args of [['validate', '-c', file], ['check', '-c', file, '--no-canaries', '-f', 'nagios']]) {
      const r = await runCli(args, { env: ENV, cwd: jsDir });
      expectClean(r.stdout + r.stderr, `JS config value ${args.join(' ')}`);
      expect(r.stdout + r.stderr).toMatch(/timeout: \*\*\*: not a duration/);
    }
  });

  it('a JavaScript config whose value throws when read (a getter), found or named, under --format nagios too', async () => {
    const jsDir = mkdtempSync(join(tmpdir(), 'outage-js-getter-'));
    const file = join(jsDir, 'outage.config.cjs');
    writeFileSync(file, "module.exports = { services: [{ name: 'a', get url() { throw new Error(`no url for ${process.env.API_KEY}`); } }] };\n");
    for (const args of [['validate'], ['check', '-c', file, '--no-canaries'], ['check', '--no-canaries', '-f', 'nagios']]) {
      const r = await runCli(args, { env: ENV, cwd: jsDir });
      expectClean(r.stdout + r.stderr, `getter config ${args.join(' ')}`);
      expect(r.code, r.stderr).toBe(args.includes('nagios') ? 3 : 78);
      expect(r.stdout + r.stderr).toMatch(/outage\.config\.cjs.*\n?.*cannot be read: no url for \*\*\*/);
    }
  });
});
