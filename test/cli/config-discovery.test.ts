import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHttp(ok);
});
afterAll(() => server.close());

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-discovery-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const yaml = (name: string) => `services:\n  - name: ${name}\n    url: ${server.url}/\n`;
const json = (name: string) => JSON.stringify({ services: [{ name, url: `${server.url}/` }] });

const formats: [string, (n: string) => string][] = [
  ['.outagerc', yaml],
  ['.outagerc.json', json],
  ['.outagerc.yaml', yaml],
  ['.outagerc.yml', yaml],
  ['.outagerc.js', (n) => `module.exports = ${json(n)};`],
  ['.outagerc.cjs', (n) => `module.exports = ${json(n)};`],
  ['.outagerc.mjs', (n) => `export default ${json(n)};`],
  ['outage.config.js', (n) => `module.exports = ${json(n)};`],
  ['outage.config.mjs', (n) => `export default ${json(n)};`],
];

describe('config discovery', () => {
  it.each(formats)('finds %s', async (file, content) => {
    const dir = project({ [file]: content(`from ${file}`) });
    const r = await runCli(['check', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services[0].name).toBe(`from ${file}`);
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

  it('ad-hoc targets are checked with the config defaults', async () => {
    const dir = project({ '.outagerc.yaml': `defaults:\n  retries: 3\nservices: []\n` });
    const r = await runCli(['check', '--json', `${server.url}/adhoc`], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.services[0].name).toBe(`${server.url}/adhoc`);
    expect(r.code).toBe(0);
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
