/** The programmatic API as a user imports it: `import { check, loadConfig } from 'outage'`. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startHttp, type TestServer } from './helpers/servers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let server: TestServer;
beforeAll(async () => {
  server = await startHttp(ok);
});
afterAll(() => server.close());

// Async on purpose: a synchronous child would block this process, and with it the test server.
async function runModule(code: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout);
}

describe('programmatic API', () => {
  it('check() returns the same report object as --json', async () => {
    const report = (await runModule(`
      import { check } from 'outage';
      const report = await check({ targets: ['${server.url}/'], failOn: 'down' });
      console.log(JSON.stringify(report));
    `)) as { schemaVersion: number; status: string; failOn: string; services: { name: string; status: string }[] };
    expect(report).toMatchObject({ schemaVersion: 1, status: 'up', failOn: 'down', services: [{ name: `${server.url}/`, status: 'up' }] });
  });

  it('check() names two targets that differ only in their password apart, as --json does', async () => {
    const [first, second] = ['pw-one-111', 'pw-two-222'].map((pw) => server.url.replace('//', `//u:${pw}@`));
    const report = (await runModule(`
      import { check } from 'outage';
      console.log(JSON.stringify(await check({ targets: ['${first}/', '${second}/'], canaries: false })));
    `)) as { services: { name: string }[] };
    const base = `${server.url.replace('//', '//***@')}/`;
    expect(report.services.map((s) => s.name)).toEqual([base, `${base} (2)`]);
  });

  it('loadConfig() validates and fills defaults; ConfigError carries key paths', async () => {
    const result = await runModule(`
      import { loadConfig, validateConfig, ConfigError } from 'outage';
      import { mkdtempSync, writeFileSync } from 'node:fs';
      import { join } from 'node:path';
      import { tmpdir } from 'node:os';
      const dir = mkdtempSync(join(tmpdir(), 'outage-api-'));
      writeFileSync(join(dir, '.outagerc.json'), JSON.stringify({ services: [{ name: 'a', url: 'https://a.test' }] }));
      const config = await loadConfig({ cwd: dir });
      let problems;
      try { validateConfig({ services: [{ name: 'b' }] }); } catch (e) { problems = e instanceof ConfigError ? { code: e.code, exitCode: e.exitCode, problems: e.problems } : String(e); }
      console.log(JSON.stringify({ timeoutMs: config.services[0].timeoutMs, problems }));
    `);
    expect(result).toEqual({
      timeoutMs: 10000,
      problems: { code: 'config.invalid', exitCode: 78, problems: [{ path: 'services[0]', message: 'needs a target: url (https://…), tcp (host:port), or dns: { name: … }' }] },
    });
  });
});
