/**
 * A `--report` path that is a symbolic link whose target is not there (yet): written as a shell's
 * `>` and `curl -o` write it — the file the link names is created and the link kept — and when
 * that cannot be, exit 73 saying where the link leads and why. The link itself is never replaced
 * by a regular file: it was the user's way of saying where reports go.
 */
import { spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let up: TestServer;

beforeAll(async () => {
  up = await startHttp(ok);
});
afterAll(() => up.close());

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'outage-links-'));
}

function check(report: string): Promise<CliResult> {
  return runCli(['check', up.url, '--no-canaries', '--report', report]);
}

/** The link is still a link, naming what it named. */
function expectLinkKept(link: string, target: string): void {
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(target);
}

describe('a report path that is a link to nothing yet', () => {
  it('creates the file the link names, relative to the link, and keeps the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'reports'));
    mkdirSync(join(dir, 'textfile'));
    symlinkSync('../reports/outage.json', join(dir, 'textfile', 'outage.json'));
    const r = await check(`json=${join(dir, 'textfile', 'outage.json')}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectLinkKept(join(dir, 'textfile', 'outage.json'), '../reports/outage.json');
    expect(JSON.parse(readFileSync(join(dir, 'reports', 'outage.json'), 'utf8')).status).toBe('up');
    // No temporary file left in either directory.
    expect(readdirSync(join(dir, 'reports'))).toEqual(['outage.json']);
    expect(readdirSync(join(dir, 'textfile'))).toEqual(['outage.json']);
  });

  it('follows a chain of links to its end', async () => {
    const dir = tempDir();
    symlinkSync('second.xml', join(dir, 'first.xml'));
    symlinkSync('real.xml', join(dir, 'second.xml'));
    const r = await check(`junit=${join(dir, 'first.xml')}`);
    expect(r.code).toBe(0);
    expectLinkKept(join(dir, 'first.xml'), 'second.xml');
    expectLinkKept(join(dir, 'second.xml'), 'real.xml');
    expect(readFileSync(join(dir, 'real.xml'), 'utf8')).toMatch(/^<\?xml /);
  });

  it.each([
    ['into a directory that does not exist', (dir: string) => join(dir, 'gone', 'outage.json'), (dir: string) => `the directory ${join(dir, 'gone')} does not exist`],
    ['through a file', (dir: string) => join(dir, 'config.yaml', 'outage.json'), (dir: string) => `${join(dir, 'config.yaml')} is a file, not a directory`],
  ])('a link %s: exit 73 naming where it leads and why, the results printed, the link kept', async (_what, targetOf, why) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.yaml'), 'services: []\n');
    const link = join(dir, 'outage.json');
    symlinkSync(targetOf(dir), link);
    const r = await check(`json=${link}`);
    expect(r.stderr).toBe(`outage: cannot write the json report to ${link}: it is a symbolic link to ${targetOf(dir)}, and ${why(dir)}\n`);
    expect(r.code).toBe(73);
    expect(r.stdout).toMatch(/UP · 1 service/);
    expectLinkKept(link, targetOf(dir));
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'outage.json']);
  });

  it('a loop of links: exit 73, too many levels of symbolic links, both links kept', async () => {
    const dir = tempDir();
    symlinkSync('b.json', join(dir, 'a.json'));
    symlinkSync('a.json', join(dir, 'b.json'));
    const r = await check(`json=${join(dir, 'a.json')}`);
    expect(r.stderr).toBe(`outage: cannot write the json report to ${join(dir, 'a.json')}: too many levels of symbolic links\n`);
    expect(r.code).toBe(73);
    expectLinkKept(join(dir, 'a.json'), 'b.json');
    expectLinkKept(join(dir, 'b.json'), 'a.json');
  });

  it('two formats to one file, one path a link to the other: a usage error before anything runs, as for one path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.out'), 'earlier\n');
    symlinkSync('real.out', join(dir, 'alias.out'));
    const r = await runCli(['check', up.url, '--no-canaries', '--report', 'json=real.out', '--report', 'junit=alias.out'], { cwd: dir });
    expect(r.stderr).toBe(`outage: --report json=real.out and --report junit=alias.out both write ${join(dir, 'real.out')}: one would overwrite the other\n`);
    expect(r.code).toBe(64);
    expect(readFileSync(join(dir, 'real.out'), 'utf8')).toBe('earlier\n');
  });

  it('two formats to one file that is not there yet, one path a link to it: the same usage error, on the first run too', async () => {
    // `latest.json -> reports/run.json` before any run made reports/run.json: the JSON report was
    // written through the link, then the JUnit one over it, leaving only the JUnit report, exit 0.
    const dir = tempDir();
    mkdirSync(join(dir, 'reports'));
    symlinkSync('reports/run.json', join(dir, 'latest.json'));
    const r = await runCli(['check', up.url, '--no-canaries', '--report', 'json=latest.json', '--report', 'junit=reports/run.json'], { cwd: dir });
    expect(r.stderr).toBe(`outage: --report json=latest.json and --report junit=reports/run.json both write ${join(dir, 'reports', 'run.json')}: one would overwrite the other\n`);
    expect(r.code).toBe(64);
    expect(readdirSync(join(dir, 'reports'))).toEqual([]);
    expectLinkKept(join(dir, 'latest.json'), 'reports/run.json');
  });

  it('two formats through the descriptors outage has are not one file, whatever both lead to', async () => {
    const dir = tempDir();
    const log = join(dir, 'outage.log');
    const fd = openSync(log, 'a');
    try {
      // stdout and stderr both the log (`>> outage.log 2>&1`): each report is appended, nothing overwritten.
      const child = spawn(process.execPath, [BIN, 'check', up.url, '--no-canaries', '-q', '--report', 'junit=/dev/stdout', '--report', 'tap=/dev/stderr'], {
        env: { PATH: process.env.PATH, NO_COLOR: '1' },
        stdio: ['ignore', fd, fd],
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(code).toBe(0);
    } finally {
      closeSync(fd);
    }
    const text = readFileSync(log, 'utf8');
    expect(text).toContain('<testsuite name="outage"');
    expect(text).toContain('TAP version 14');
  });
});
