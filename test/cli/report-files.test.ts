/**
 * Files outage writes (`--report FORMAT=PATH`, GITHUB_STEP_SUMMARY, `init`): replaced atomically,
 * and when one cannot be written, the path and the reason in words, exit 73 — never a bare errno.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';
import { seriesOf } from '../helpers/prometheus.js';
import { requires } from '../helpers/requires.js';

let up: TestServer;

beforeAll(async () => {
  up = await startHttp(ok);
});
afterAll(() => up.close());

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'outage-files-'));
}

/** No errno code (`ENOENT`, `EACCES`…) is what a user reads. */
function expectWords(r: CliResult): void {
  expect(r.stderr).not.toMatch(/\bE[A-Z]{3,}\b/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/**
 * The CLI as a user who may not write to `dir`: as root (which may write anywhere) it runs as
 * nobody; otherwise the directory is made read-only for the run.
 */
async function runWithoutWriteAccess(dir: string, args: string[], cwd = dir): Promise<CliResult> {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(dir, 0o555);
  try {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A spawn that fails (node not executable by that user) must fail the test, not hang it.
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, s) => resolve([c, s]));
    });
    return { code, signal, stdout, stderr, durationMs: 0, exitedAt: 0 };
  } finally {
    if (!asRoot) chmodSync(dir, 0o755);
  }
}

describe('--report files that cannot be written', () => {
  it.each([
    ['a missing directory', (dir: string) => join(dir, 'missing', 'deeper', 'report.xml'), (dir: string) => `the directory ${join(dir, 'missing')} does not exist`],
    ['a directory', (dir: string) => dir, () => 'it is a directory'],
    ['a full disk', () => '/dev/full', () => 'no space left on the device (disk full)'],
    ['a file in the way', (dir: string) => (writeFileSync(join(dir, 'file'), ''), join(dir, 'file', 'report.xml')), (dir: string) => `${join(dir, 'file')} is a file, not a directory`],
  ])('%s: the path and why, exit 73', async (_what, path, why) => {
    const dir = tempDir();
    const target = path(dir);
    const r = await runCli(['check', up.url, '--no-canaries', '--report', `junit=${target}`]);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write the junit report to ${target}: ${why(dir)}\n`);
    expectWords(r);
  });

  it('the results still reach stdout and the other reports are written: a CI log shows which services failed beside the error', async () => {
    const dir = tempDir();
    const bad = join(dir, 'missing', 'report.xml');
    const r = await runCli(['check', up.url, '--no-canaries', '--json', '--report', `junit=${bad}`, '--report', `tap=${join(dir, 'report.tap')}`]);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write the junit report to ${bad}: the directory ${join(dir, 'missing')} does not exist\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'up', services: [{ status: 'up' }] });
    expect(readFileSync(join(dir, 'report.tap'), 'utf8')).toMatch(/^ok 1 - http:/m);
  });

  it('every report states the code the process exits with, 73, whichever file failed and whenever it was written', async () => {
    // A script reads `exitCode` from the JSON it redirected, or a JUnit/TAP file, after the run:
    // it must not see 0 (or 2) where its shell saw 73. Files written before the failing one too.
    const dir = tempDir();
    const bad = join(dir, 'missing', 'report.xml');
    const [tap, json] = [join(dir, 'before.tap'), join(dir, 'after.json')];
    const r = await runCli(['check', up.url, '--no-canaries', '--json', '--report', `tap=${tap}`, '--report', `junit=${bad}`, '--report', `json=${json}`]);
    expect(r.code).toBe(73);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'up', exitCode: 73 });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ status: 'up', exitCode: 73 });
    expect(readFileSync(tap, 'utf8')).toMatch(/^# up: 1 service, exit code 73\n$/m);
  });

  it('under --format nagios the plugin code, 3: the UNKNOWN line alone on stdout, and the other reports state 3 too', async () => {
    const dir = tempDir();
    const bad = join(dir, 'missing', 'report.xml');
    const [before, after] = [join(dir, 'before.json'), join(dir, 'after.tap')];
    const r = await runCli(['check', up.url, '--no-canaries', '--format', 'nagios', '--report', `json=${before}`, '--report', `junit=${bad}`, '--report', `tap=${after}`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`OUTAGE UNKNOWN - cannot write the junit report to ${bad}: the directory ${join(dir, 'missing')} does not exist\n`);
    expect(JSON.parse(readFileSync(before, 'utf8'))).toMatchObject({ status: 'up', exitCode: 3 });
    expect(readFileSync(after, 'utf8')).toMatch(/^# up: 1 service, exit code 3\n$/m);
  });

  it.each([['a new name', 'reports/'], ['an existing directory', 'existing/']])('a path ending in / (%s): it names a directory, said so', async (_what, path) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'existing'));
    const r = await runCli(['check', up.url, '--no-canaries', '-q', '--report', `junit=${path}`], { cwd: dir });
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write the junit report to ${path}: the path ends in /, so it names a directory, not a file\n`);
  });

  it('permission denied: the path and why, exit 73', async () => {
    const dir = tempDir();
    const r = await runWithoutWriteAccess(dir, ['check', up.url, '--no-canaries', '--report', `tap=${join(dir, 'report.tap')}`]);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write the tap report to ${join(dir, 'report.tap')}: permission denied\n`);
  });

  it('a writable report file in a directory that is not: says it is the directory, not "permission denied" on a writable file', async () => {
    // A root-owned textfile directory with one file chowned to the monitoring user: the report is
    // written beside the file and renamed over it, which needs the directory.
    const dir = tempDir();
    // Searchable by the user the CLI runs as (nobody, under root); writable by its owner only.
    chmodSync(dir, 0o755);
    const file = join(dir, 'outage.prom');
    writeFileSync(file, '');
    chmodSync(file, 0o666);
    const r = await runWithoutWriteAccess(dir, ['check', up.url, '--no-canaries', '--report', `prometheus=${file}`]);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(
      `outage: cannot write the prometheus report to ${file}: permission denied to create a file in ${dir} (a report is written beside outage.prom, then renamed over it, so no reader sees half of one)\n`,
    );
    expectWords(r);
  });

  it('GITHUB_STEP_SUMMARY in a missing directory: the path and why, exit 73', async () => {
    const summary = join(tempDir(), 'gone', 'summary.md');
    const r = await runCli(['check', up.url, '--no-canaries', '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(`cannot append to GITHUB_STEP_SUMMARY (${summary}): the directory ${join(summary, '..')} does not exist\n`);
    expectWords(r);
  });
});

describe('--report values that cannot mean what they say', () => {
  it('two formats to one path is a usage error before anything runs: one would silently overwrite the other', async () => {
    const dir = tempDir();
    const r = await runCli(['check', up.url, '--no-canaries', '--report', 'junit=out.xml', '--report', `json=${join(dir, 'out.xml')}`], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(`outage: --report junit=out.xml and --report json=${join(dir, 'out.xml')} both write ${join(dir, 'out.xml')}: one would overwrite the other\n`);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the same format to the same path twice is written once', async () => {
    const dir = tempDir();
    const r = await runCli(['check', up.url, '--no-canaries', '-q', '--report', 'junit=out.xml', '--report', 'junit=./out.xml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['out.xml']);
    expect(readFileSync(join(dir, 'out.xml'), 'utf8')).toContain('<testsuite');
  });

  it('"-" is not a file named "-": a usage error that says how to get the format on stdout', async () => {
    const dir = tempDir();
    const r = await runCli(['check', up.url, '--no-canaries', '--report', 'tap=-'], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--report tap=-');
    expect(r.stderr).toContain('--format tap');
    expect(r.stderr).toContain('tap=/dev/stdout');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a report never replaces the config it checks: named with -c, found by search, or through a link', async () => {
    const dir = tempDir();
    const config = JSON.stringify({ services: [{ name: 'api', url: up.url }] });
    writeFileSync(join(dir, '.outagerc.json'), config);
    symlinkSync('.outagerc.json', join(dir, 'link.json'));
    for (const args of [
      ['-c', '.outagerc.json', '--report', 'json=.outagerc.json'],
      ['--report', `junit=${join(dir, '.outagerc.json')}`],
      ['-c', '.outagerc.json', '--report', 'json=link.json'],
    ]) {
      const r = await runCli(['check', '--no-canaries', ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(64);
      expect(r.stderr).toMatch(/^outage: --report \S+ would overwrite the config file \S*\.outagerc\.json: write the report elsewhere\n$/);
      expect(r.stdout).toBe('');
      expect(readFileSync(join(dir, '.outagerc.json'), 'utf8')).toBe(config);
    }
  });
});

describe('--report files are replaced atomically', () => {
  it('writes a new file and renames it over the old one, leaving no temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'outage.prom');
    writeFileSync(file, 'old contents\n');
    const before = statSync(file).ino;
    const r = await runCli(['check', up.url, '--no-canaries', '--report', `prometheus=${file}`]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# HELP probe_success /);
    // Writing in place keeps the inode (a reader could see it half-written); a rename replaces it.
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['outage.prom']);
  });

  it('follows a symbolic link, replacing the file it points to and keeping the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.json'), '{}');
    symlinkSync(join(dir, 'real', 'report.json'), join(dir, 'link.json'));
    const r = await runCli(['check', up.url, '--no-canaries', '--report', `json=${join(dir, 'link.json')}`]);
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real', 'report.json'), 'utf8')).status).toBe('up');
    expect(readdirSync(join(dir, 'real'))).toEqual(['report.json']);
  });

  it('writes what is not a regular file in place: a named pipe gets the report, and stays a pipe', async () => {
    const fifo = join(tempDir(), 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.on('data', (d) => (read += d));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = await runCli(['check', up.url, '--no-canaries', '--quiet', '--report', `json=${fifo}`]);
    // A reader left waiting (the pipe never opened for writing) must not outlive the test.
    const stop = setTimeout(() => reader.kill(), 5000);
    await closed;
    clearTimeout(stop);
    expect(r.code).toBe(0);
    expect(JSON.parse(read).status).toBe('up');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

/**
 * `outage check -q --report junit=/dev/stdout >> outage.log` in cron: /dev/stdout is the log file
 * the shell opened for appending. Opening the path again (truncating, or renaming a new file over
 * it) lost every earlier line of the log, and with it this run's summary line.
 */
describe('--report to a standard stream goes through the descriptor outage already has', () => {
  async function runInto(args: string[], stdio: ('ignore' | 'pipe' | number)[]): Promise<number | null> {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
  }
  const earlier = 'an earlier run\nanother earlier run\n';

  for (const [path, stream] of [
    ['/dev/stdout', 1],
    ['/dev/stderr', 2],
    ['/dev/fd/1', 1],
    ['/proc/self/fd/2', 2],
    ['/dev/fd/3', 3],
  ] as const) {
    it(`${path} appended to a log (>>) keeps the log's earlier lines and this run's other output`, async () => {
      const log = join(tempDir(), 'outage.log');
      writeFileSync(log, earlier);
      const fd = openSync(log, 'a');
      const stdio: ('ignore' | number)[] = ['ignore', 'ignore', 'ignore'];
      stdio[stream] = fd;
      // The summary line goes to stdout: into the log too when the report goes through stdout.
      if (stream !== 1) stdio[1] = fd;
      const code = await runInto(['check', up.url, '--no-canaries', '--quiet', '--report', `junit=${path}`], stdio).finally(() => closeSync(fd));
      expect(code).toBe(0);
      const text = readFileSync(log, 'utf8');
      expect(text.startsWith(earlier)).toBe(true);
      expect(text).toContain('<testsuite name="outage" tests="1" failures="0"');
      expect(text).toMatch(/^UP · 1 service: 1 up · /m);
      expect(readdirSync(dirname(log))).toEqual(['outage.log']);
    });
  }
});

describe('outage init', () => {
  it('creates missing parent directories, like mkdir -p, and the starter validates', async () => {
    const dir = tempDir();
    const r = await runCli(['init', 'sub/dir/outage.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Created the directory ${join(dir, 'sub', 'dir')}\nWrote ${join(dir, 'sub', 'dir', 'outage.yaml')}\nEdit its services, then run: outage check\n`);
    expect((await runCli(['validate', '-c', 'sub/dir/outage.yaml'], { cwd: dir })).code).toBe(0);
  });

  it.each([
    ['a file in the way', (dir: string) => (writeFileSync(join(dir, 'file'), ''), 'file/outage.yaml'), (dir: string) => `${join(dir, 'file')} is a file, not a directory`],
    ['a directory at the path', (dir: string) => (mkdirSync(join(dir, 'taken')), 'taken'), () => 'it is a directory'],
  ])('%s: the path and why, exit 73', async (_what, setup, why) => {
    const dir = tempDir();
    const path = setup(dir);
    const r = await runCli(['init', path], { cwd: dir });
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write ${join(dir, path)}: ${why(dir)}\n`);
    expectWords(r);
  });

  it('a path ending in / names a directory: no file of that name is written in its place', async () => {
    const dir = tempDir();
    const r = await runCli(['init', 'conf/'], { cwd: dir });
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write conf/: it names a directory (it ends in /); name the file, e.g. conf/.outagerc.yaml\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('permission denied: the path and why, exit 73, nothing created', async () => {
    const dir = tempDir();
    const r = await runWithoutWriteAccess(dir, ['init', 'sub/outage.yaml']);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`outage: cannot write ${join(dir, 'sub', 'outage.yaml')}: permission denied\n`);
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });
});

describe('prometheus textfiles', () => {
  requires({ tools: ['promtool'] }).it('two outage files in one directory give distinct series, each passing promtool', async () => {
    const dir = tempDir();
    const [a, b] = [join(dir, 'outage-a.prom'), join(dir, 'outage-b.prom')];
    // The same service in both: what node_exporter would merge into one set of series.
    const runs = await Promise.all([a, b].map((file) => runCli(['check', up.url, '--no-canaries', '--quiet', '--report', `prometheus=${file}`])));
    for (const r of runs) expect(r.code).toBe(0);
    const texts = [a, b].map((file) => readFileSync(file, 'utf8'));
    const merged = texts.flatMap(seriesOf);
    expect(merged.length).toBeGreaterThan(10);
    expect(new Set(merged).size).toBe(merged.length);
    expect(texts[0]).toMatch(/^probe_success\{service="http:\/\/127\.0\.0\.1:\d+",critical="true",outage_report="outage-a\.prom"\} 1$/m);
    for (const text of texts) {
      const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(promtool.stdout + promtool.stderr).toBe('');
    }
    expect(readdirSync(dir).sort()).toEqual(['outage-a.prom', 'outage-b.prom']);
  });
});
