/**
 * A TypeScript config: Node that strips types imports it; older Node hands it to cosmiconfig's
 * compiler-based loader; with neither, the user is told what to do, never shown a
 * module-resolution error. Run in a plain Node process (the built loader), because vitest
 * itself would compile the TypeScript file and hide what Node does.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { requires } from '../helpers/requires.js';

const nodeStripsTypes = Boolean((process.features as { typescript?: string | false }).typescript);
const LOADER = new URL('../../dist/config/typescript-loader.js', import.meta.url).href;

/** Loads `file` with the built loader in a fresh Node, the fallback standing in for cosmiconfig's. */
async function load(file: string, fallback: 'no typescript package' | 'compiler', node: 'this Node' | 'older Node' = 'this Node'): Promise<{ config?: unknown; error?: string; name?: string }> {
  const fallbackCode =
    fallback === 'compiler'
      ? `async () => ({ services: ['from the compiler'] })`
      : `async () => { throw Object.assign(new Error("Cannot find package 'typescript' imported from /x/cosmiconfig/dist/loaders.js"), { code: 'ERR_MODULE_NOT_FOUND' }); }`;
  const code = `
    const { typescriptLoader } = await import(${JSON.stringify(LOADER)});
    try { console.log(JSON.stringify({ config: await typescriptLoader(${fallbackCode})(${JSON.stringify(file)}, '') })); }
    catch (e) { console.log(JSON.stringify({ error: e.message, name: e.name })); }`;
  // Node that strips types behaves as older Node with the feature turned off.
  const flags = node === 'older Node' && nodeStripsTypes ? ['--no-experimental-strip-types'] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--input-type=module', '-e', code], { encoding: 'utf8' });
  return JSON.parse(stdout);
}

function tsFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'outage-ts-')), 'outage.config.ts');
  writeFileSync(file, content);
  return file;
}

const typed = () => tsFile('const config: { services: string[] } = { services: ["slack"] };\nexport default config;\n');

describe('the TypeScript config loader', () => {
  // Node 20 cannot strip types: this one runs on Node ≥ 22.18 (CI's Node 24), the others everywhere.
  it.runIf(nodeStripsTypes)('Node that strips types imports the file itself', async () => {
    expect(await load(typed(), 'no typescript package')).toEqual({ config: { services: ['slack'] } });
  });

  it('older Node hands the file to the compiler when there is one', async () => {
    expect(await load(typed(), 'compiler', 'older Node')).toEqual({ config: { services: ['from the compiler'] } });
  });

  it('older Node without the typescript package says what to do', async () => {
    const { name, error } = await load(typed(), 'no typescript package', 'older Node');
    expect(name).toBe('TypeScriptUnavailable');
    expect(error).toMatch(/^this Node \(v\d+\.\d+\.\d+\) cannot run a TypeScript config: use Node 22\.18 or later, install the typescript package next to outage, or write the config as \.mjs, \.js, \.json or \.yaml$/);
  });

  it.runIf(nodeStripsTypes)('an error thrown by the config itself is its own, not a missing compiler', async () => {
    const throwing = tsFile('const reason: string = "vault unreachable";\nthrow new Error(reason);\n');
    expect(await load(throwing, 'no typescript package')).toMatchObject({ error: 'vault unreachable' });
  });

  it('a config with a syntax error is an error, whichever way Node reads it, never a valid config of no services', async () => {
    const broken = tsFile('export default { services: [\n');
    const r = await runCli(['validate', '-c', broken]);
    expect(r.code, r.stdout).toBe(78);
    expect(r.stdout).not.toContain('valid');
    expect(r.stderr).toMatch(/cannot be read: .*(expected|Unexpected|SyntaxError)/);
    if (!nodeStripsTypes) expect(r.stderr).toContain("']' expected. (line 2, column 1)");
  });

  it('a .mts or .cts config is run where Node runs it, and otherwise says what to do, never read as YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-mts-'));
    const typedConfig = 'const c: { services: { name: string; url: string }[] } = { services: [{ name: "a", url: "http://127.0.0.1:9/" }] };\n';
    writeFileSync(join(dir, 'outage.mts'), `${typedConfig}export default c;\n`);
    writeFileSync(join(dir, 'outage.cts'), `${typedConfig}module.exports = c;\n`);
    for (const extension of ['.mts', '.cts']) {
      const r = await runCli(['validate', '-c', join(dir, `outage${extension}`)]);
      if (nodeStripsTypes) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('valid, 1 service');
      } else {
        expect(r.code).toBe(78);
        expect(r.stderr).toContain(`cannot run a ${extension} config: use Node 22.18 or later, or write the config as .ts, .mjs, .js, .json or .yaml`);
      }
      expect(r.stderr).not.toMatch(/mapping|indentation/);
    }
  });

  it('code TypeScript parses but JavaScript rejects is said as Node says it, naming the config, never as a bug in Node', async () => {
    for (const [code, said] of [
      ['let a = 1;\nlet a = 2;\nexport default { services: [] };\n', "Identifier 'a' has already been declared"],
      ['import x from "./missing.mjs";\nexport default x;\n', 'missing.mjs'],
    ] as const) {
      const file = tsFile(code);
      const r = await runCli(['validate', '-c', file]);
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain(`Invalid configuration in ${file} (1 problem)`);
      expect(r.stderr).toContain(said);
      expect(r.stderr).not.toMatch(/not yet fully loaded|bug in Node|outage\.config\.ts\.[0-9a-f-]{36}/);
      expect(readdirSync(dirname(file))).toEqual(['outage.config.ts']);
    }
  });

  it('`export = config` with `import x = require(...)` is the config, never an empty file', async () => {
    const file = tsFile('import helper = require("./helper.cjs");\nconst config = { services: [{ name: "api", url: `http://127.0.0.1:${helper.port}/` }] };\nexport = config;\n');
    writeFileSync(join(dirname(file), 'helper.cjs'), 'exports.port = 7;\n');
    const r = await runCli(['list', '-c', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('http://127.0.0.1:7/');
    expect(readdirSync(dirname(file)).sort()).toEqual(['helper.cjs', 'outage.config.ts']);
  });

  // A config on a read-only mount (a Kubernetes ConfigMap, a container image) under a mount
  // namespace of its own: root reads and writes through file modes, not through a read-only mount.
  requires({ root: true, tools: ['unshare', 'mount'] }).it('a config in a directory that cannot be written is read, its relative imports with it', () => {
    const file = tsFile('import { port } from "./helper.mjs";\nconst p: number = port;\nexport default { services: [{ name: "api", url: `http://127.0.0.1:${p}/` }] };\n');
    const dir = dirname(file);
    writeFileSync(join(dir, 'helper.mjs'), 'export const port = 7;\n');
    const script = 'mount --bind -o ro "$1" "$1" && ! touch "$1/probe" 2>/dev/null && exec "$2" "$3" list -c "$4"';
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, process.execPath, BIN, file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('http://127.0.0.1:7/');
    expect(r.stderr).not.toMatch(/EACCES|EROFS|cannot be read/);
    expect(readdirSync(dir).sort()).toEqual(['helper.mjs', 'outage.config.ts']);
  });
});
