import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHttp(ok);
});
afterAll(() => server.close());

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-discovery-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The CLI with `input` on its standard input, as `… | outage check -c -` gives it. */
function runWithStdin(args: string[], input: string, cwd: string): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started, exitedAt: performance.now() }));
  });
}

const yaml = (name: string) => `services:\n  - name: ${name}\n    url: ${server.url}/\n`;
const json = (name: string) => JSON.stringify({ services: [{ name, url: `${server.url}/` }] });
const cjs = (n: string) => `module.exports = ${json(n)};`;
const esm = (n: string) => `export default ${json(n)};`;
/** Real TypeScript: type annotations that only a TypeScript reader accepts. */
const ts = (n: string) => `interface Config { services: { name: string; url: string }[] }\nconst config: Config = ${json(n)};\nexport default config;\n`;

/** Every place, in cosmiconfig 9's order: ours are its defaults for the name `outage`. */
const formats: [string, (n: string) => string][] = [
  ['.outagerc', yaml],
  ['.outagerc.json', json],
  ['.outagerc.yaml', yaml],
  ['.outagerc.yml', yaml],
  ['.outagerc.js', cjs],
  ['.outagerc.ts', ts],
  ['.outagerc.cjs', cjs],
  ['.outagerc.mjs', esm],
  ['.config/outagerc', yaml],
  ['.config/outagerc.json', json],
  ['.config/outagerc.yaml', yaml],
  ['.config/outagerc.yml', yaml],
  ['.config/outagerc.js', cjs],
  ['.config/outagerc.ts', ts],
  ['.config/outagerc.cjs', cjs],
  ['.config/outagerc.mjs', esm],
  ['outage.config.js', cjs],
  ['outage.config.ts', ts],
  ['outage.config.cjs', cjs],
  ['outage.config.mjs', esm],
];

describe('config discovery', () => {
  it.each(formats)('finds %s', async (file, content) => {
    const dir = project({ [file]: content(`from ${file}`) });
    const r = await runCli(['check', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services[0].name).toBe(`from ${file}`);
  });

  it("searches exactly cosmiconfig's default places for `outage`", async () => {
    const { getDefaultSearchPlaces } = await import('cosmiconfig');
    const { SEARCH_PLACES } = await import('../../src/config/load.js');
    expect(SEARCH_PLACES).toEqual(getDefaultSearchPlaces('outage'));
    expect(SEARCH_PLACES).toEqual(['package.json', ...formats.map(([file]) => file)]);
  });

  it('takes the first place in that order when several exist', async () => {
    const dir = project({ 'outage.config.mjs': esm('last'), '.config/outagerc.yaml': yaml('middle'), '.outagerc.json': json('first') });
    expect(JSON.parse((await runCli(['check', '--json'], { cwd: dir })).stdout).services[0].name).toBe('first');
    const later = project({ 'outage.config.mjs': esm('last'), '.config/outagerc.yaml': yaml('middle') });
    expect(JSON.parse((await runCli(['check', '--json'], { cwd: later })).stdout).services[0].name).toBe('middle');
  });

  it('finds the outage key of package.json', async () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'x', outage: { services: [{ name: 'from package.json', url: server.url }] } }) });
    const r = await runCli(['check', '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout).services[0].name).toBe('from package.json');
  });

  it('searches up from a subdirectory to the project root', async () => {
    const dir = project({ 'package.json': '{"name":"x"}', '.outagerc.yaml': yaml('from the root') });
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const r = await runCli(['check', '--json'], { cwd: join(dir, 'sub', 'deeper') });
    expect(JSON.parse(r.stdout).services[0].name).toBe('from the root');
  });

  it('--config reads any file name as YAML or JSON (such as .outagerc.example)', async () => {
    const dir = project({ 'my.example': yaml('explicit') });
    const r = await runCli(['check', '--json', '--config', join(dir, 'my.example')]);
    expect(JSON.parse(r.stdout).services[0].name).toBe('explicit');
  });

  it('--config reads a TypeScript file', async () => {
    const dir = project({ 'monitoring.ts': ts('typed') });
    const r = await runCli(['check', '--json', '--config', join(dir, 'monitoring.ts')]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).services[0].name).toBe('typed');
  });

  it('a syntax error in a JavaScript config is said as one, found or named, never as a bug in Node', async () => {
    const broken = 'export default { services: [\n';
    for (const [name, extra] of [['outage.config.mjs', {}], ['.outagerc.js', { 'package.json': '{"type":"module"}' }], ['outage.config.cjs', {}]] as const) {
      const dir = project({ [name]: name.endsWith('.cjs') ? 'module.exports = { services: [\n' : broken, ...extra });
      for (const args of [['validate'], ['validate', '-c', join(dir, name)]]) {
        const r = await runCli(args, { cwd: dir });
        expect(r.code, `${name} ${args.join(' ')}: ${r.stderr}`).toBe(78);
        expect(r.stderr, name).toContain('cannot be read: Unexpected end of input');
        expect(r.stderr, name).not.toMatch(/not yet fully loaded|bug in Node/);
      }
    }
  });

  it('a JavaScript config that throws a string or a plain object is quoted, with its file', async () => {
    for (const [thrown, said] of [['"no token in the vault"', 'no token in the vault'], ['{ message: "vault sealed" }', 'vault sealed'], ['42', '42'], ['Object.freeze(new Error("vault frozen"))', 'vault frozen']]) {
      const dir = project({ 'outage.config.mjs': `throw ${thrown};\n` });
      const r = await runCli(['validate'], { cwd: dir });
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain(`Invalid configuration in ${join(dir, 'outage.config.mjs')} (1 problem)`);
      expect(r.stderr).toContain(`cannot be read: ${said}`);
    }
  });

  it('a JavaScript config that throws runs once', async () => {
    for (const name of ['outage.config.cjs', 'outage.config.js', 'outage.config.mjs']) {
      const dir = project({ [name]: 'console.error("config ran");\nthrow new Error("vault sealed");\n' });
      const r = await runCli(['validate'], { cwd: dir });
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain('cannot be read: vault sealed');
      expect(r.stderr.split('config ran').length - 1, `${name}: ${r.stderr}`).toBe(1);
    }
  });

  it('ad-hoc targets are checked with the config defaults', async () => {
    const dir = project({ '.outagerc.yaml': `defaults:\n  retries: 3\nservices: []\n` });
    const r = await runCli(['check', '--json', `${server.url}/adhoc`], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.services[0].name).toBe(`${server.url}/adhoc`);
    expect(r.code).toBe(0);
  });
});

describe('--config - reads the config from standard input', () => {
  // In a directory with a config of its own, which `-` must not read.
  const elsewhere = () => project({ '.outagerc.yaml': yaml('from the file') });

  it.each([
    ['YAML', yaml],
    ['JSON', json],
  ])('%s', async (_format, content) => {
    const r = await runWithStdin(['check', '--json', '-c', '-'], content('from stdin'), elsewhere());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services.map((s: { name: string }) => s.name)).toEqual(['from stdin']);
  });

  it('validate and list read it too', async () => {
    const validate = await runWithStdin(['validate', '--config', '-'], yaml('piped'), elsewhere());
    expect(validate.stdout).toBe('✔ stdin: valid, 1 service\n');
    expect(validate.code).toBe(0);
    const list = await runWithStdin(['list', '--json', '-c', '-'], yaml('piped'), elsewhere());
    expect(JSON.parse(list.stdout).services[0].name).toBe('piped');
  });

  it.each([
    ['nothing', '', /^outage: Invalid configuration in stdin \(1 problem\):\n {2}the input is empty/],
    ['a YAML error', 'services: [\n', /^outage: Invalid configuration in stdin \(1 problem\):\n {2}cannot be read: .*\(line 2, column 1\)/],
    ['a bad value', 'defaults: { timeout: 5 }\nservices: []\n', /^outage: Invalid configuration in stdin \(1 problem\):\n {2}defaults\.timeout: 5: add a unit, 5s or 5000ms\n$/],
  ])('%s is a config error naming stdin', async (_label, input, pattern) => {
    const r = await runWithStdin(['check', '-c', '-'], input, elsewhere());
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(pattern);
  });
});

describe('config errors exit 78 with key paths and no stack trace', () => {
  const cases: [string, string, string, RegExp[]][] = [
    ['YAML syntax error', '.outagerc.yaml', 'services:\n  - name: a\n   url: [unclosed\n', [/cannot be read: .*\(line \d+, column \d+\)/]],
    ['JSON syntax error', '.outagerc.json', '{"services": [}', [/cannot be read:/]],
    ['a JS config that throws', '.outagerc.cjs', 'throw new Error("config exploded");', [/config exploded/]],
    ['an empty file', '.outagerc.yaml', '', [/the file is empty/]],
    ['several problems', '.outagerc.yaml', 'defaults:\n  timeout: fast\nservices:\n  - name: a\n    url: ftp://x\n  - url: https://y.test\n', [/defaults\.timeout: fast: not a duration/, /services\[0\]\.url: unsupported scheme/, /services\[1\]\.name: is required/, /3 problems/]],
    ['a list instead of a mapping', '.outagerc.yaml', '- a\n- b\n', [/expected a mapping/]],
  ];

  it.each(cases)('%s', async (_label, file, content, patterns) => {
    const dir = project({ [file]: content });
    const r = await runCli(['check'], { cwd: dir });
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^outage: Invalid configuration in /);
    for (const pattern of patterns) expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('a --config file that does not exist', async () => {
    const r = await runCli(['check', '--config', '/nonexistent/outage.yaml']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/\/nonexistent\/outage\.yaml.*\n.*file not found/);
  });
});

describe('--config with an empty path', () => {
  it.each([['check'], ['validate'], ['list']])('%s: a usage error, never a search that finds some other config (an unset $VAR in a script)', async (command) => {
    const dir = project({ '.outagerc.yaml': 'services:\n  - { name: other, url: "http://127.0.0.1:9/" }\n' });
    const r = await runCli([command, '--config', '', ...(command === 'check' ? ['--no-canaries'] : [])], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('outage: --config "": the path is empty (an unset variable?): name the config file, or - to read standard input\n');
    expect(r.stdout).toBe('');
  });
});
