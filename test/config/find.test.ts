/**
 * outage finds its config file without loading cosmiconfig (src/config/find.ts), and must find the
 * very file cosmiconfig 9's own search finds. Each layout below is searched both ways, from the
 * directory given, and the outcomes compared: the same file, the same config, the same empty file,
 * or an error about the same file.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig, SEARCH_PLACES } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Files by path (a trailing `/` makes a directory; `->target` a symlink); returns the root. */
function layout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'outage-find-'));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(name.endsWith('/') ? path : dirname(path), { recursive: true });
    if (name.endsWith('/')) continue;
    if (content.startsWith('->')) symlinkSync(content.slice(2), path);
    else writeFileSync(path, content);
  }
  return root;
}

type Outcome = { file: string; empty: boolean; config?: unknown } | { error: string } | null;

/** What cosmiconfig 9's own search finds, with the options outage used before it had find.ts. */
async function cosmiconfigFinds(cwd: string): Promise<Outcome> {
  try {
    const explorer = cosmiconfig('outage', { searchPlaces: SEARCH_PLACES, loaders: { '.ts': defaultLoaders['.ts'] }, searchStrategy: 'project', ignoreEmptySearchPlaces: false, cache: false });
    const result = await explorer.search(cwd);
    if (!result) return null;
    return result.isEmpty ? { file: result.filepath, empty: true } : { file: result.filepath, empty: false, config: result.config };
  } catch (error) {
    return { error: (error as { filepath?: string }).filepath ?? cwd };
  }
}

async function outageFinds(cwd: string): Promise<Outcome> {
  try {
    const found = await findConfig({ cwd });
    return found ? { file: found.file, empty: false, config: found.raw } : null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error.code === 'config.empty') return { file: error.file ?? '', empty: true };
    return { error: error.file ?? '' };
  }
}

/** Both searches run from `cwd`, which is also the working directory (cosmiconfig reads its meta config there). */
async function both(root: string, cwd = ''): Promise<[Outcome, Outcome]> {
  const dir = join(root, cwd);
  const before = process.cwd();
  process.chdir(dir);
  try {
    return [await outageFinds(dir), await cosmiconfigFinds(dir)];
  } finally {
    process.chdir(before);
  }
}

const service = (name: string) => ({ services: [{ name, url: 'http://127.0.0.1:9/' }] });
const yaml = (name: string) => `services:\n  - name: ${name}\n    url: http://127.0.0.1:9/\n`;
const pkg = (extra: object = {}) => JSON.stringify({ name: 'x', ...extra });

// Most searches start in `sub`, below the files: in the directory it starts from, cosmiconfig also
// looks for its meta config, and outage then leaves the search to cosmiconfig whole.
const layouts: [string, Record<string, string>, string, string | null][] = [
  // [what, files, where the search starts, the file expected (relative), null for none]
  ['a config at the project root, searched from two levels down', { 'package.json': pkg(), '.outagerc.yaml': yaml('root'), 'a/b/': '' }, 'a/b', '.outagerc.yaml'],
  ['the nearest directory wins', { 'package.json': pkg(), '.outagerc.yaml': yaml('root'), 'a/.outagerc.json': JSON.stringify(service('a')), 'a/b/': '' }, 'a/b', 'a/.outagerc.json'],
  ['the search stops at the nearest package.json', { '.outagerc.yaml': yaml('above'), 'app/package.json': pkg(), 'app/src/': '' }, 'app/src', null],
  ['the search stops at a package.yaml', { '.outagerc.yaml': yaml('above'), 'app/package.yaml': 'name: x\n', 'app/src/': '' }, 'app/src', null],
  ['a package.json that is a directory ends the walk too', { '.outagerc.yaml': yaml('above'), 'app/package.json/': '', 'app/src/': '' }, 'app/src', null],
  ["package.json's outage key", { 'package.json': pkg({ outage: service('pkg') }), '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', 'package.json'],
  ['a package.json without outage is passed over', { 'package.json': pkg(), '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', '.outagerc.yaml'],
  ['outage: null is passed over', { 'package.json': pkg({ outage: null }), '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', '.outagerc.yaml'],
  ['a package.json that is a list is passed over', { 'package.json': '[1, 2]', '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', '.outagerc.yaml'],
  ['an empty .outagerc is found, empty', { 'package.json': pkg(), '.outagerc': '', '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', '.outagerc'],
  ['a blank package.json is an empty config', { 'package.json': '  \n', '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', 'package.json'],
  ['a package.json that is not JSON is an error', { 'package.json': '{ name: x', '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', 'package.json'],
  ['a package.json holding null is an error', { 'package.json': 'null', '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', 'package.json'],
  ['a search place that is a directory is passed over', { 'package.json': pkg(), '.outagerc/': '', '.outagerc.yml': yaml('yml'), 'sub/': '' }, 'sub', '.outagerc.yml'],
  ['a .config that is a file is passed over', { 'package.json': pkg(), '.config': 'not a directory', 'outage.config.cjs': `module.exports = ${JSON.stringify(service('cjs'))};`, 'sub/': '' }, 'sub', 'outage.config.cjs'],
  ['a file holding null is passed over', { 'package.json': pkg(), '.outagerc.json': 'null', '.outagerc.yaml': yaml('yaml'), 'sub/': '' }, 'sub', '.outagerc.yaml'],
  ['a dangling symlink is passed over', { 'package.json': pkg(), '.outagerc': '->nowhere', '.outagerc.yaml': yaml('yaml'), 'sub/': '' }, 'sub', '.outagerc.yaml'],
  // cosmiconfig's read error names no file: the message names the directory searched.
  ['a symlink loop is an error', { 'package.json': pkg(), '.outagerc': '->.outagerc', '.outagerc.yaml': yaml('yaml') }, '', ''],
  ['no config anywhere up to the project root', { 'package.json': pkg(), 'src/': '' }, 'src', null],
  ["cosmiconfig's meta config adds a search place", { 'package.json': pkg(), '.config/config.json': JSON.stringify({ cosmiconfig: { searchPlaces: ['monitoring.yaml'] } }), 'monitoring.yaml': yaml('meta') }, '', 'monitoring.yaml'],
  // cosmiconfig takes the key twice (package.json's, then the meta config's own): this adds nothing.
  ["a package.json's cosmiconfig key, read as cosmiconfig reads it", { 'package.json': pkg({ cosmiconfig: { searchPlaces: ['monitoring.yaml'] } }), 'monitoring.yaml': yaml('meta') }, '', null],
  ["a package.json's cosmiconfig.cosmiconfig key adds a search place", { 'package.json': pkg({ cosmiconfig: { cosmiconfig: { searchPlaces: ['monitoring.yaml'] } } }), 'monitoring.yaml': yaml('meta') }, '', 'monitoring.yaml'],
  ['a meta config may hold the config itself', { 'package.json': pkg(), '.config/config.yaml': `cosmiconfig: {}\noutage:\n${yaml('meta').replace(/^/gm, '  ')}` }, '', '.config/config.yaml'],
];

describe('finding the config file finds what cosmiconfig finds', () => {
  it.each(layouts)('%s', async (_what, files, cwd, expected) => {
    const root = layout(files);
    const [outage, reference] = await both(root, cwd);
    expect(outage).toEqual(reference);
    if (expected === null) expect(outage).toBeNull();
    else expect(outage && ('file' in outage ? outage.file : outage.error)).toBe(join(root, expected));
  });
});

// cosmiconfig's JSON parser fails on a byte order mark that npm and Node read past: where no meta
// config applies, outage reads such a package.json as npm does (the one place it differs).
describe('a package.json with a byte order mark is read as npm reads it', () => {
  const bom = (extra: object = {}) => `\uFEFF${pkg(extra)}`;
  it.each([
    ['its outage key, searched from below', { 'package.json': bom({ outage: service('bom') }), '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', 'package.json', 'bom'],
    ['without outage, passed over', { 'package.json': bom(), '.outagerc.yaml': yaml('rc'), 'sub/': '' }, 'sub', '.outagerc.yaml', 'rc'],
    ['in the working directory, where cosmiconfig looks for its meta config', { 'package.json': bom(), '.outagerc.yaml': yaml('rc') }, '', '.outagerc.yaml', 'rc'],
  ])('%s', async (_what, files, cwd, expected, name) => {
    const root = layout(files);
    const [outage, reference] = await both(root, cwd);
    expect(reference).toHaveProperty('error');
    expect(outage).toEqual({ file: join(root, expected), empty: false, config: service(name) });
  });
});

// cosmiconfig's search takes an imported file's ENOENT for the config not being there and looks on:
// a renamed base file would have outage check another config, or the public catalog, and pass.
describe('a config whose $import is missing is an error about that config, not passed over', () => {
  it.each([
    ['searched', { 'package.json': pkg(), '.outagerc.json': JSON.stringify({ $import: 'missing.json' }), '.outagerc.yaml': yaml('yaml'), 'sub/': '' }, 'sub'],
    ['with no other config', { 'package.json': pkg(), '.outagerc.yml': `$import: [base.yml]\n${yaml('rc')}` }, ''],
  ])('%s', async (_what, files, cwd) => {
    const root = layout(files);
    const [outage, reference] = await both(root, cwd);
    expect(reference && 'error' in reference, 'cosmiconfig passes it over').toBeFalsy();
    const config = Object.keys(files).find((name) => name.startsWith('.outagerc.'))!;
    expect(outage).toEqual({ error: join(root, config) });
  });
});
