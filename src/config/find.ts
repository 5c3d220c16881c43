/**
 * Where the config file is, found without loading cosmiconfig: its search is a walk of stats, but
 * loading it (its loaders, YAML and JSON parsers, import-fresh) cost ~6 ms of every start-up, most
 * of all for the runs that have no config file. This walk names the files cosmiconfig 9's search
 * (`searchStrategy: 'project'`) would try, in its order; load.ts has cosmiconfig read them, so what
 * a file means, and every way reading it fails, are cosmiconfig's as before.
 *
 * The walk skips only what cosmiconfig's search skips for certain: a place that does not exist, a
 * directory, and a package.json without an `outage` key. Anything it cannot judge (a package.json
 * that is not JSON) is left for cosmiconfig to read and judge. Unlike cosmiconfig, it does not skip
 * what it may not read: a config passed over for a permission is a check of something else (the
 * catalog's public services, or a config further up) that looks like a check of the user's own.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { whyUnreadable } from '../core/file-errors.js';

/** cosmiconfig 9's default search places for `outage`, in its order: a `searchPlaces` option replaces them, so all are listed. */
export const SEARCH_PLACES = [
  'package.json',
  '.outagerc',
  '.outagerc.json',
  '.outagerc.yaml',
  '.outagerc.yml',
  '.outagerc.js',
  '.outagerc.ts',
  '.outagerc.cjs',
  '.outagerc.mjs',
  '.config/outagerc',
  '.config/outagerc.json',
  '.config/outagerc.yaml',
  '.config/outagerc.yml',
  '.config/outagerc.js',
  '.config/outagerc.ts',
  '.config/outagerc.cjs',
  '.config/outagerc.mjs',
  'outage.config.js',
  'outage.config.ts',
  'outage.config.cjs',
  'outage.config.mjs',
];

/** Errors that mean "no config here", looking on at the next place (cosmiconfig also skips EACCES; see above). */
export const NOT_HERE = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

/** Errors that say a place may hold a config outage is not allowed to see. */
export const NO_PERMISSION = new Set(['EACCES', 'EPERM']);

/**
 * A directory outage may not search: an `error` (it may hold the config meant), or `skip`, when
 * nothing asked needs a config (URLs on the command line, as `sudo -u monitor outage check URL`
 * from root's home runs), as in a working directory that no longer exists.
 */
export type Unsearchable = 'error' | 'skip';

/**
 * cosmiconfig's "meta config": in the working directory, a `cosmiconfig` key in package.json or
 * package.yaml, or a .config/config.* file, may add search places or hold the config itself.
 */
const META_PLACES = ['package.yaml', '.config/config.json', '.config/config.yaml', '.config/config.yml', '.config/config.js', '.config/config.ts', '.config/config.cjs', '.config/config.mjs'];

/**
 * Whether cosmiconfig's meta config may apply in `dir` (cosmiconfig reads it in process.cwd()).
 * Then the search is left to cosmiconfig whole: such a file is rare, and its rules are its own.
 */
export function metaConfigMayApply(dir: string, unsearchable: Unsearchable = 'error'): boolean {
  if (META_PLACES.some((place) => isFileLike(join(dir, place), unsearchable))) return true;
  const pkg = readPackageJson(join(dir, 'package.json'));
  return pkg !== undefined && (pkg.unreadable || pkg.json === null || pkg.json.cosmiconfig != null);
}

/**
 * The files cosmiconfig's search would try, in its order: each search place in each directory
 * from `cwd` up to the first that holds a package.json or package.yaml (the project root), or up to
 * the filesystem root. A caller reads each in turn and stops at the first that holds a config.
 */
export function* configCandidates(cwd: string, unsearchable: Unsearchable = 'error'): Generator<string, void> {
  for (let dir = resolve(cwd); ; ) {
    if (isDirectory(dir)) {
      for (const place of SEARCH_PLACES) {
        const file = join(dir, place);
        if (place === 'package.json' ? packageJsonMayHold(file, unsearchable) : isFileLike(file, unsearchable)) yield file;
      }
    }
    if (exists(join(dir, 'package.json')) || exists(join(dir, 'package.yaml'))) return;
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** As cosmiconfig asks of a directory it searches: only "not found" means no; any other error is thrown. */
function isDirectory(dir: string): boolean {
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** As cosmiconfig asks whether a package file ends the walk: anything there, even a directory. */
function exists(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether reading `file` could give cosmiconfig anything: not where a read fails with an error its
 * search skips. Another error (a symlink loop, say) is cosmiconfig's to report, so that file is tried.
 */
function isFileLike(file: string, unsearchable: Unsearchable): boolean {
  let stats: Stats | undefined;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // The directory may not be searched (chmod 000, another user's): whether a config is there is unknown.
    if (NO_PERMISSION.has(code) && unsearchable === 'error') {
      const dir = dirname(file);
      throw new ConfigError([{ path: '', message: `cannot look for a config file in it: ${whyUnreadable(error, dir)}; name one with -c PATH` }], dir, 'config.not_found');
    }
    return !NOT_HERE.has(code);
  }
  return stats !== undefined && !stats.isDirectory();
}

/**
 * cosmiconfig takes a package.json's `outage` key; without one (or with null) it looks on. An
 * empty file is an empty config to it, and one that is not JSON an error: both are tried.
 */
function packageJsonMayHold(file: string, unsearchable: Unsearchable): boolean {
  if (!isFileLike(file, unsearchable)) return false;
  const pkg = readPackageJson(file);
  return pkg === undefined || pkg.unreadable || pkg.json === null || pkg.json.outage != null;
}

/** A package.json as JSON.parse reads it (without a byte-order mark, as cosmiconfig's parser); undefined when absent. */
function readPackageJson(file: string): { json: Record<string, unknown> | null; unreadable: boolean } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : { json: null, unreadable: true };
  }
  if (text.trim() === '') return { json: null, unreadable: true };
  try {
    const json: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    // A number or a list has no keys: cosmiconfig finds no `outage` in it either.
    return { json: json === null ? null : typeof json === 'object' ? (json as Record<string, unknown>) : {}, unreadable: false };
  } catch {
    return { json: null, unreadable: true };
  }
}
