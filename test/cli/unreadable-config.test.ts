/**
 * A config file outage may not read (another user's, mode 600) or a working directory it may not
 * search is not "no config": the search used to pass over it silently, and `outage check` then
 * probed the catalog's public services instead of the user's own, exit 0 or 2 on the wrong set.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

/** Root reads any file: run outage as `nobody` there, so a permission is a permission. */
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

let root: string;
let server: TestServer;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'outage-unreadable-'));
  chmodSync(root, 0o755);
  server = await startHttp(ok);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh directory with an `.outagerc.yaml` naming one service, owned by whoever runs outage. */
function projectWithConfig(): string {
  const dir = mkdtempSync(join(root, 'project-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, '.outagerc.yaml'), 'services:\n  - { name: mine, url: "http://127.0.0.1:9/" }\n');
  if (asRoot) for (const path of [dir, join(dir, 'sub'), join(dir, '.outagerc.yaml')]) chownSync(path, NOBODY, NOBODY);
  chmodSync(dir, 0o755);
  return dir;
}

/** outage run from `dir` after `prepare` (shell) ran there, as the user who owns `dir`. */
function outageIn(dir: string, prepare: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const script = `cd '${dir}' && ${prepare} && exec '${process.execPath}' '${BIN}' ${quoted}`;
  const ids = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { ...ids, env: { PATH: process.env.PATH, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('a config outage may not read', () => {
  it('a found config file it may not read is a config error naming it, not the catalog instead', async () => {
    const dir = projectWithConfig();
    for (const args of [['list'], ['validate'], ['check', '--no-canaries', 'http://127.0.0.1:9/']]) {
      chmodSync(join(dir, '.outagerc.yaml'), 0o644);
      const r = await outageIn(join(dir, 'sub'), "chmod 000 '../.outagerc.yaml'", args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain(join(dir, '.outagerc.yaml'));
      expect(r.stderr).toContain('permission denied (EACCES)');
      expect(r.stdout).not.toMatch(/GitHub|catalog/);
      expect(r.stderr).not.toMatch(/\n\s+at |open '/);
    }
  });

  it('an unreadable file earlier in the search order is an error naming it, where cosmiconfig passes it over', async () => {
    const dir = projectWithConfig();
    writeFileSync(join(dir, '.outagerc'), 'services:\n  - { name: locked, url: "http://127.0.0.1:9/" }\n');
    if (asRoot) chownSync(join(dir, '.outagerc'), NOBODY, NOBODY);
    const r = await outageIn(dir, 'chmod 000 .outagerc', ['list']);
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain(join(dir, '.outagerc'));
    expect(r.stderr).toContain('permission denied (EACCES)');
    expect(r.stdout).not.toContain('mine');
  });

  it('a working directory it may not search is a config error naming it, with the way out', async () => {
    const dir = projectWithConfig();
    for (const args of [['list'], ['validate']]) {
      chmodSync(dir, 0o755);
      const r = await outageIn(dir, 'chmod 000 .', args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain(dir);
      expect(r.stderr).toContain('permission denied (EACCES)');
      expect(r.stderr).toContain('-c PATH');
      expect(r.stdout).not.toMatch(/GitHub|catalog/);
    }
  });

  it('URLs on the command line need no config: a directory it may not search is passed over (sudo -u monitor from root\'s home)', async () => {
    const dir = projectWithConfig();
    const r = await outageIn(dir, 'chmod 000 .', ['check', '--no-canaries', server.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 up');
  });

  it('-c naming a file it may not read says why in words', async () => {
    const dir = projectWithConfig();
    const r = await outageIn(dir, "chmod 000 .outagerc.yaml", ['validate', '-c', join(dir, '.outagerc.yaml')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('cannot be read: permission denied (EACCES)');
    expect(r.stderr).not.toContain("open '");
  });

  it('a directory it may enter but not list is searched as usual', async () => {
    const dir = projectWithConfig();
    const r = await outageIn(dir, 'chmod 111 .', ['list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mine');
  });
});
