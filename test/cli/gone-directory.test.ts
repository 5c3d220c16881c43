/**
 * A shell left sitting in a directory that was deleted (a build directory cleaned, a branch
 * switched): checking URLs needs no directory, as curl needs none; what does need one says so.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/certs.js';
import { ok, startHttp, startHttps, type TestServer } from '../helpers/servers.js';

let server: TestServer;
let secure: TestServer;
let pki: TestPki;
let root: string;
beforeAll(async () => {
  pki = await testPki();
  [server, secure] = await Promise.all([startHttp(ok), startHttps(pki.valid, ok)]);
  root = mkdtempSync(join(tmpdir(), 'outage-gone-'));
});
afterAll(async () => {
  await Promise.all([server.close(), secure.close()]);
  rmSync(root, { recursive: true, force: true });
});

/** outage run from a directory deleted just before it starts, `input` on its stdin. */
function inGoneDirectory(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(root, 'cwd-'));
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = execFile('sh', ['-c', `cd '${dir}' && rmdir '${dir}' && exec '${process.execPath}' '${BIN}' ${quoted}`], { env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('a working directory that no longer exists', () => {
  it('does not stop a check of URLs: no config is searched for, the URL is checked', async () => {
    const r = await inGoneDirectory(['check', server.url, '--no-canaries', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services.map((s: { status: string }) => s.status)).toEqual(['up']);
  });

  it('a config file named by its full path is read and checked, whatever its format', async () => {
    const services = [{ name: 'local', url: server.url }];
    const files: Record<string, string> = {
      'outage.json': JSON.stringify({ services }),
      'outage.yaml': `services:\n  - name: local\n    url: ${server.url}\n`,
      'outage.config.cjs': `module.exports = ${JSON.stringify({ services })};\n`,
      'outage.config.mjs': `export default ${JSON.stringify({ services })};\n`,
      'package.json': JSON.stringify({ name: 'app', outage: { services } }),
      outagerc: `services:\n  - { name: local, url: "${server.url}" }\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      const dir = mkdtempSync(join(root, 'config-'));
      writeFileSync(join(dir, name), text);
      const r = await inGoneDirectory(['check', '-c', join(dir, name), '--no-canaries', '--json']);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
      expect(JSON.parse(r.stdout).services.map((s: { name: string; status: string }) => `${s.name} ${s.status}`), name).toEqual(['local up']);
    }
    // An empty file is still the mistake it is anywhere.
    const empty = join(mkdtempSync(join(root, 'config-')), 'outage.yaml');
    writeFileSync(empty, '\n');
    const r = await inGoneDirectory(['check', '-c', empty, '--no-canaries']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('the file is empty');
    // A broken package.json is said as cosmiconfig says it from a live directory: line and column.
    const broken = join(mkdtempSync(join(root, 'config-')), 'package.json');
    writeFileSync(broken, '{"name": "app",}');
    const b = await inGoneDirectory(['check', '-c', broken, '--no-canaries']);
    expect(b.code).toBe(78);
    expect(b.stderr).toMatch(/cannot be read: .*\(line 1, column \d+\)/);
  });

  it("serve's relative --web.config.file is a config error that says why", async () => {
    const r = await inGoneDirectory(['serve', '--listen', '127.0.0.1:0', '--web.config.file', 'web.yml']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('cannot read the web config: the current directory no longer exists');
  });

  it("serve's TLS file missing next to an absolute web config is said as missing, not as the deleted directory", async () => {
    const webDir = mkdtempSync(join(root, 'web-'));
    const web = join(webDir, 'web.yml');
    writeFileSync(web, 'tls_server_config:\n  cert_file: missing-cert.pem\n  key_file: missing-key.pem\n');
    const r = await inGoneDirectory(['serve', '--listen', '127.0.0.1:0', '--web.config.file', web]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`cannot read ${join(webDir, 'missing-cert.pem')}: no such file (ENOENT)`);
    expect(r.stderr).not.toContain('no longer exists');
  });

  it('a relative config path is a config error that says why, not a bug', async () => {
    const r = await inGoneDirectory(['check', '-c', 'outage.json', '--no-canaries']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('the current directory no longer exists');
    expect(r.stderr).not.toMatch(/internal error|uv_cwd|bug/);
  });

  it('a config from stdin with absolute paths is read as usual; a relative path in it is a config error that says why', async () => {
    const config = (ca: string) => JSON.stringify({ services: [{ name: 'tls', url: `https://localhost:${secure.port}/`, tls: { ca } }] });
    const absolute = await inGoneDirectory(['check', '-c', '-', '--no-canaries', '--json'], config(pki.rootFile));
    expect(absolute.stderr).toBe('');
    expect(absolute.code).toBe(0);
    expect(JSON.parse(absolute.stdout).services.map((s: { status: string }) => s.status)).toEqual(['up']);
    const relative = await inGoneDirectory(['check', '-c', '-', '--no-canaries'], config('root.pem'));
    expect(relative.code).toBe(78);
    expect(relative.stderr).toContain('cannot find root.pem: the current directory no longer exists (deleted or moved): cd to one that does');
    expect(relative.stderr).not.toMatch(/internal error|uv_cwd|bug/);
  });

  it('a relative report path ends with the reason, not as a bug', async () => {
    const r = await inGoneDirectory(['check', server.url, '--no-canaries', '--report', 'junit=report.xml']);
    expect(r.code).toBe(73);
    expect(r.stderr).toContain('cannot write the junit report to report.xml: the current directory no longer exists');
    expect(r.stderr).not.toMatch(/internal error|uv_cwd|bug/);
  });

  it('validate without a config says the directory is gone, as a config error', async () => {
    const r = await inGoneDirectory(['validate']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('the current directory no longer exists');
  });

  it('under --format nagios it is the plugin result UNKNOWN, on stdout', async () => {
    const r = await inGoneDirectory(['check', '-c', 'outage.json', '--format', 'nagios']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^OUTAGE UNKNOWN - .*the current directory no longer exists/);
  });
});
