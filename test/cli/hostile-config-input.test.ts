/**
 * Config input a careless or hostile user gives, end to end: a JavaScript config that never
 * settles, ends the process or prints; a config "file" that is a pipe or a device. Each must end
 * in a clear config error (78) without a stack trace, never hang and never pass as exit 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-hostile-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const SERVICES = '{ services: [{ name: "db", tcp: "127.0.0.1:1" }] }';
/** A short bound, so a test of the bound does not wait the default. */
const FAST = { OUTAGE_CONFIG_TIMEOUT: '1s' };

/** No report on stdout: nothing at all, or with --json the error document (exit 78, the stable code). */
function expectNoReport(stdout: string, args: string[], code: string): void {
  if (!args.includes('--json')) return void expect(stdout).toBe('');
  expect(JSON.parse(stdout)).toMatchObject({ status: 'error', exitCode: 78, error: { code } });
}

describe('a JavaScript config that misbehaves while it loads', () => {
  it('a promise that never settles is a config error within the bound, never exit 0 with nothing said', async () => {
    const configs: [string, string][] = [
      ['outage.config.cjs', 'module.exports = new Promise(() => {});\n'],
      ['outage.config.mjs', 'export default new Promise(() => { setInterval(() => {}, 1000); });\n'],
    ];
    for (const [name, code] of configs) {
      const dir = project({ [name]: code });
      for (const args of [['validate'], ['check', '--no-canaries', '--json']]) {
        const r = await runCli(args, { cwd: dir, env: FAST });
        expect(r.code, `${name} ${args[0]}: ${r.stderr}`).toBe(78);
        expect(r.stderr).toContain(`Invalid configuration in ${join(dir, name)}`);
        expect(r.stderr).toContain('did not finish loading within 1s');
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expectNoReport(r.stdout, args, 'config.load_timeout');
      }
    }
  });

  it('a bound that is not a duration is a usage error naming the variable', async () => {
    const dir = project({ 'outage.config.cjs': 'module.exports = new Promise(() => {});\n' });
    const r = await runCli(['validate'], { cwd: dir, env: { OUTAGE_CONFIG_TIMEOUT: 'soon' } });
    expect(r.code, r.stderr).toBe(64);
    expect(r.stderr).toBe('outage: OUTAGE_CONFIG_TIMEOUT="soon": not a duration such as 30s or 2m\n');
  });

  it('process.exit(0) is a config error, never a passed check', async () => {
    const configs: [string, string][] = [
      ['outage.config.cjs', 'process.exit(0);\n'],
      ['outage.config.mjs', 'export default new Promise(() => setTimeout(() => process.exit(0), 10));\n'],
    ];
    for (const [name, code] of configs) {
      const dir = project({ [name]: code });
      for (const args of [['validate'], ['check', '--no-canaries', '--json']]) {
        const r = await runCli(args, { cwd: dir });
        expect(r.code, `${name} ${args[0]}: ${r.stderr}`).toBe(78);
        expect(r.stderr).toContain('called process.exit(0) while loading');
        expectNoReport(r.stdout, args, 'config.exit');
      }
    }
  });

  it('what it prints goes to stderr: --json output stays JSON', async () => {
    const dir = project({ 'outage.config.cjs': `console.log("fetching token"); process.stdout.write("raw"); module.exports = ${SERVICES};\n` });
    const r = await runCli(['check', '--no-canaries', '--json', '--timeout', '1s'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('fetching token');
  });

  it('a secret in what it passes to process.exit is not printed', async () => {
    const dir = project({ 'outage.config.cjs': 'process.exit(process.env.API_TOKEN);\n' });
    const r = await runCli(['validate'], { cwd: dir, env: { API_TOKEN: 'tok-abcdef-123' } });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).not.toContain('tok-abcdef-123');
  });
});

describe('a config that is not a regular file', () => {
  it('a device that never ends (/dev/zero) is refused at the size limit, named or found', async () => {
    const dir = project({});
    symlinkSync('/dev/zero', join(dir, '.outagerc.yaml'));
    for (const args of [['validate', '-c', '/dev/zero'], ['validate']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain('a config may be at most 5.0 MB');
    }
  });

  it('a FIFO nobody writes to is a config error within the bound, never a hang', async () => {
    const dir = project({});
    const fifo = join(dir, '.outagerc.yaml');
    execFileSync('mkfifo', [fifo]);
    for (const args of [['validate', '-c', fifo], ['validate']]) {
      const r = await runCli(args, { cwd: dir, env: FAST });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain('no config read within 1s');
      expect(r.durationMs).toBeLessThan(8000);
    }
  });

  it('a pipe that delivers a config, as -c <(command) gives it, is read', async () => {
    const dir = project({});
    const r = await runCli(['validate', '-c', '/dev/stdin'], { cwd: dir });
    // stdin of runCli is closed: an empty input, said as one.
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('is empty');
  });

  it('a found config larger than the limit is refused before it is read whole', async () => {
    const dir = project({ '.outagerc.yaml': `# ${'x'.repeat(6 * 1024 * 1024)}\n` });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('the file is 6.0 MB; a config may be at most 5.0 MB');
  });
});

describe('text encodings', () => {
  const json = JSON.stringify({ services: [{ name: 'db', tcp: '127.0.0.1:1' }] });
  it('a byte order mark at the start (Windows Notepad) is read past, in JSON as in YAML, found or named', async () => {
    const bom = '\uFEFF';
    for (const [name, content] of [['.outagerc.json', bom + json], ['.outagerc.yaml', bom + 'services:\r\n  - { name: db, tcp: "127.0.0.1:1" }\r\n']] as const) {
      const dir = project({ [name]: content });
      for (const args of [['validate'], ['validate', '-c', join(dir, name)]]) {
        const r = await runCli(args, { cwd: dir });
        expect(r.code, `${name} ${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
    }
  });

  it('a package.json with a byte order mark, which npm and Node read, is read too: its outage key, or past it to the config', async () => {
    const bom = '\uFEFF';
    const withKey = project({});
    writeFileSync(join(withKey, 'package.json'), bom + JSON.stringify({ name: 'x', outage: { services: [{ name: 'from-package', tcp: '127.0.0.1:1' }] } }));
    const withoutKey = project({ '.outagerc.json': json });
    writeFileSync(join(withoutKey, 'package.json'), bom + JSON.stringify({ name: 'x' }));
    const cases: [string, string[], string][] = [
      [withKey, ['validate'], 'valid, 1 service'],
      [withKey, ['list', '--json'], 'from-package'],
      [withoutKey, ['validate'], '.outagerc.json: valid, 1 service'],
      [withoutKey, ['validate', '-c', '.outagerc.json'], 'valid, 1 service'],
      [withoutKey, ['list', '--json'], '"db"'],
    ];
    for (const [dir, args, expected] of cases) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr).toContain(expected);
    }
  });

  it('bytes that are not UTF-8 are a config error from a pipe too, with where they are', async () => {
    const dir = project({});
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const writer = import('node:fs/promises').then((fs) => fs.writeFile(fifo, Buffer.from('services:\n  - name: caf\xe9\n', 'latin1')));
    const r = await runCli(['validate', '-c', fifo], { cwd: dir });
    await writer;
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('not UTF-8: byte 0xE9 at line 2, column 14');
  });
});

describe('nesting too deep for a parser', () => {
  it('JSON and a JavaScript config nested 100,000 levels deep say so, not "Maximum call stack size exceeded"', async () => {
    const dir = project({
      'deep.json': `{"services": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      'deep.cjs': 'let o = {}; const top = o; for (let i = 0; i < 100000; i++) { o.x = {}; o = o.x; }\nmodule.exports = { services: [], deep: top };\n',
    });
    for (const name of ['deep.json', 'deep.cjs']) {
      const r = await runCli(['validate', '-c', join(dir, name)], { cwd: dir });
      expect(r.code, `${name}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain('nests too deeply to read (more than 64 levels are refused)');
      expect(r.stderr).not.toMatch(/call stack/);
    }
  });
});

describe("cosmiconfig's $import", () => {
  it('an import of a FIFO nobody writes to is refused at once, found or named, never a hang', async () => {
    const dir = project({ '.outagerc.yaml': '$import: ./pipe\nservices: []\n' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    for (const args of [['validate'], ['validate', '-c', join(dir, '.outagerc.yaml')]]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain('$import: "./pipe": is not a regular file');
    }
  });

  it('a missing import is a config error about that config, never the catalog or another config checked instead', async () => {
    const dir = project({ '.outagerc.yaml': '$import: ./base.yaml\nservices: [{ name: db, tcp: "127.0.0.1:1" }]\n' });
    for (const args of [['check', '--no-canaries', '--json'], ['list', '--json'], ['validate'], ['validate', '-c', join(dir, '.outagerc.yaml')]]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(78);
      expect(r.stderr).toContain('$import: "./base.yaml": not found');
      expectNoReport(r.stdout, args, 'config.import');
    }
  });

  it('an import over the size limit is refused before it is read', async () => {
    const dir = project({ '.outagerc.yaml': '$import: ./huge.yaml\nservices: []\n', 'huge.yaml': `# ${'x'.repeat(6 * 1024 * 1024)}\n` });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('$import: "./huge.yaml": the file is 6.0 MB; a config may be at most 5.0 MB');
  });

  it('a JavaScript config may import too, with the same checks; a good import is merged', async () => {
    const dir = project({ 'outage.config.cjs': 'module.exports = { $import: "./base.yaml", services: [{ name: "db", tcp: "127.0.0.1:1" }] };\n', 'base.yaml': 'defaults:\n  retries: 2\n' });
    const good = await runCli(['validate'], { cwd: dir });
    expect(good.code, good.stderr).toBe(0);
    writeFileSync(join(dir, 'outage.config.cjs'), 'module.exports = { $import: "/dev/zero", services: [] };\n');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('$import: "/dev/zero": is not a regular file');
  });
});
