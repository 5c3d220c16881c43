/**
 * Finding and reading the config file (cosmiconfig, module name `outage`), then validating it.
 * Every way reading can fail becomes a ConfigError (exit 78) naming the file, never a stack trace.
 * cosmiconfig (reader.ts) is loaded only to read a file: find.ts walks its search places without
 * it, so a run with no config file (a shell loop of ad-hoc checks) never pays for loading it.
 */
import type { CosmiconfigResult } from 'cosmiconfig';
import { basename, extname } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import { isCode, redactEnvironmentCredentials } from './code-config.js';
import { currentDirectory, GONE_DIRECTORY, isGoneDirectory, resolveFrom } from '../core/current-directory.js';
import { whyUnreadable } from '../core/file-errors.js';
import { configCandidates, metaConfigMayApply, NO_PERMISSION, NOT_HERE, type Unsearchable } from './find.js';
import { STDIN_NAME, type ResolvedConfig } from './service.js';
import { MAX_CONFIG_DEPTH, setKey } from './interpolate.js';
import { MAX_CONFIG_BYTES, readBounded, readSpecialFile, tooLarge } from './load-bounds.js';

export { SEARCH_PLACES } from './find.js';
export { MAX_CONFIG_BYTES } from './load-bounds.js';

/** `--config -`: the config comes from standard input, YAML or JSON. */
export const STDIN = '-';
/** How messages name a config read from standard input. */
export { STDIN_NAME } from './service.js';

export interface LoadOptions {
  /** Where the search starts; it walks up to the nearest package.json directory. */
  cwd?: string;
  /** `--config PATH`: read exactly this file; `-` reads standard input. */
  configPath?: string;
  /** Where `-` reads from (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  adHocTargets?: string[];
  /** A directory the search may not look in: an error (default), or passed over when nothing asked needs a config. */
  unsearchable?: Unsearchable;
}

export interface FoundConfig {
  raw: unknown;
  file: string;
}

export async function findConfig(options: LoadOptions = {}): Promise<FoundConfig | undefined> {
  // `-c "$OUTAGE_CONFIG"` with the variable unset: searching instead would check some other config, or the catalog.
  if (options.configPath === '') throw new UsageError('--config "": the path is empty (an unset variable?): name the config file, or - to read standard input', 'usage.config_path');
  if (options.configPath === STDIN) return readStdin(options.stdin ?? process.stdin);
  const cwd = options.cwd ?? currentDirectory();
  if (options.configPath) {
    const file = resolveFrom(cwd, options.configPath);
    if (file === undefined) throw new ConfigError([{ path: '', message: `not found: ${GONE_DIRECTORY}` }], options.configPath, 'config.not_found');
    try {
      const kind = await fileKind(file);
      if (kind !== 'file') return await readStream(file, kind === 'fifo');
      const { configExplorer, defaultLoaders, LOADERS } = await import('./reader.js');
      if (!(extname(file) in LOADERS) && extname(file) !== '') {
        // Files such as .outagerc.example: YAML is a superset of JSON, so read them as YAML.
        const content = await process.getBuiltinModule('node:fs/promises').readFile(file, 'utf8');
        return { raw: emptyToUndefined(await defaultLoaders['.yaml'](file, content), file), file };
      }
      // cosmiconfig looks for its own settings in the working directory even to read a file named
      // in full; with that directory gone, the file is read as cosmiconfig would read it, without.
      if (cwd === undefined) return { raw: emptyToUndefined(plainData(await readWithoutMetaConfig(file)), file), file };
      const result = await configExplorer({ metaConfig: metaConfigMayApply(currentDirectory() ?? cwd, 'skip') }).load(file);
      return { raw: emptyToUndefined(result?.isEmpty ? undefined : plainData(result?.config), file), file };
    } catch (error) {
      throw readError(error, file);
    }
  }
  // Nowhere to start the search from: no config, as in a directory that holds none.
  if (cwd === undefined) return undefined;
  let result;
  try {
    result = await search(cwd, options.unsearchable);
  } catch (error) {
    throw readError(error, (error as { filepath?: string }).filepath ?? cwd);
  }
  if (!result) return undefined;
  // Candidates were checked before they were read; one found by cosmiconfig's meta config is checked after.
  await fileKind(result.filepath);
  try {
    if (!result.isEmpty) result = { ...result, config: plainData(result.config) };
  } catch (error) {
    throw readError(error, result.filepath);
  }
  return { raw: emptyToUndefined(result.isEmpty ? undefined : result.config, result.filepath), file: result.filepath };
}

/** A config file read by the loader cosmiconfig would pick for it: package.json's `outage` key, an empty file as none. */
async function readWithoutMetaConfig(file: string): Promise<unknown> {
  const content = await process.getBuiltinModule('node:fs/promises').readFile(file, 'utf8');
  if (content.trim() === '') return undefined;
  const { defaultLoaders, LOADERS } = await import('./reader.js');
  // cosmiconfig's own JSON loader, whose errors say line and column as they do from a live cwd.
  if (basename(file) === 'package.json') return ((await defaultLoaders['.json'](file, content)) as { outage?: unknown } | null)?.outage;
  const extension = extname(file);
  const load = LOADERS[extension] ?? defaultLoaders.noExt;
  return load(file, content);
}

/**
 * cosmiconfig's search: the first place that holds a config, read by cosmiconfig. A place it reads
 * as nothing (a package.json without `outage`, a file holding null) or that is not there is passed
 * over, as its own search does; one outage may not read is an error (find.ts says why). Its meta
 * config (rare) gets its own search.
 */
async function search(cwd: string, unsearchable: Unsearchable = 'error'): Promise<CosmiconfigResult> {
  if (metaConfigMayApply(currentDirectory() ?? cwd, unsearchable)) return (await import('./reader.js')).configExplorer({ metaConfig: true }).search(cwd);
  let explorer: { load(file: string): Promise<CosmiconfigResult> } | undefined;
  for (const file of configCandidates(cwd, unsearchable)) {
    let result: CosmiconfigResult;
    try {
      // A FIFO or a device under a config's name is read with the bounds; a huge file is refused unread.
      const kind = await fileKind(file);
      if (kind !== 'file') return await readStreamAsResult(file, kind === 'fifo');
      explorer ??= (await import('./reader.js')).configExplorer({ metaConfig: false });
      result = await explorer.load(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (NOT_HERE.has(code)) continue;
      throw NO_PERMISSION.has(code) || error instanceof ConfigError ? readError(error, file) : error;
    }
    if (result) return result;
  }
  return null;
}

/**
 * A JavaScript config's value copied into plain objects and arrays while its errors are still a
 * config error: a getter or a Proxy that throws (`bad token ${process.env.API_KEY}`) would
 * otherwise throw later, during validation, as an "internal error" that nothing redacted.
 */
function plainData(value: unknown, copies = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object' || value instanceof RegExp || value instanceof Date) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(plainData(item, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const key of Object.keys(value)) setKey(copy, key, plainData((value as Record<string, unknown>)[key], copies));
  return copy;
}

/** YAML is a superset of JSON, so one parser reads either; the size and time limits hold as for a pipe. */
async function readStdin(stream: NodeJS.ReadableStream): Promise<FoundConfig> {
  try {
    const text = await readBounded(stream, STDIN_NAME, 'the input');
    const { defaultLoaders } = await import('./reader.js');
    const raw = await defaultLoaders['.yaml'](STDIN_NAME, text);
    return { raw: emptyToUndefined(raw, STDIN_NAME), file: STDIN_NAME };
  } catch (error) {
    throw readError(error, STDIN_NAME);
  }
}

/**
 * Whether `file` is a regular file cosmiconfig may read whole: one over the size limit is refused
 * unread. A FIFO, a device or a socket has no size to check: it is read as a stream, within bounds.
 * A directory or a missing file is left to the reader, which says so.
 */
async function fileKind(file: string): Promise<'file' | 'fifo' | 'device'> {
  let stats;
  try {
    stats = await process.getBuiltinModule('node:fs/promises').stat(file);
  } catch {
    return 'file';
  }
  if (stats.isFile() && stats.size > MAX_CONFIG_BYTES) throw tooLarge(stats.size, file, 'the file');
  if (stats.isFile() || stats.isDirectory()) return 'file';
  return stats.isFIFO() || stats.isSocket() ? 'fifo' : 'device';
}

/** A config that is not a regular file (`-c <(kubectl …)`, a FIFO), read as YAML or JSON. */
async function readStream(file: string, fifo: boolean): Promise<FoundConfig> {
  const text = await readSpecialFile(file, fifo);
  const { defaultLoaders } = await import('./reader.js');
  const load = extname(file) === '.json' ? defaultLoaders['.json'] : defaultLoaders['.yaml'];
  return { raw: emptyToUndefined(await load(file, text), file), file };
}

async function readStreamAsResult(file: string, fifo: boolean): Promise<CosmiconfigResult> {
  const found = await readStream(file, fifo);
  return { config: found.raw, filepath: file };
}

export async function loadConfig(options: LoadOptions = {}): Promise<ResolvedConfig | undefined> {
  const found = await findConfig(options);
  if (!found) return undefined;
  const { validateConfig } = await import('./validate.js');
  return validateConfig(found.raw, { env: options.env, file: found.file, adHocTargets: options.adHocTargets });
}

function emptyToUndefined(raw: unknown, file: string): unknown {
  if (raw === undefined || raw === null) {
    const what = file === STDIN_NAME ? 'the input' : 'the file';
    throw new ConfigError([{ path: '', message: `${what} is empty: add a \`services:\` list (see .outagerc.example)` }], file, 'config.empty');
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ path: '', message: 'expected a mapping with `defaults` and `services` keys' }], file);
  }
  return raw;
}

/** Out of files or memory while reading: outage's own limit (the CLI says so, exit 71), not the file's fault. */
const OWN_LIMITS = new Set(['EMFILE', 'ENFILE', 'ENOMEM']);

function readError(error: unknown, file: string): Error {
  if (error instanceof ConfigError || error instanceof UsageError) return error;
  const err = error as NodeJS.ErrnoException & { mark?: { line: number; column: number }; reason?: string };
  if (OWN_LIMITS.has(err.code ?? '')) return err;
  // cosmiconfig looks for its own settings in the working directory, even to read a file named in full.
  if (isGoneDirectory(err)) return new ConfigError([{ path: '', message: `cannot be read: ${GONE_DIRECTORY}` }], file, 'config.not_found');
  // A JavaScript config that reads a missing file of its own throws ENOENT too, naming that file.
  const aboutThisFile = err.path === undefined || err.path === file;
  if (err.code === 'ENOENT' && aboutThisFile) {
    return new ConfigError([{ path: '', message: 'file not found' }], file, 'config.not_found');
  }
  if (err.code === 'EISDIR' && aboutThisFile) return new ConfigError([{ path: '', message: 'is a directory, not a file' }], file, 'config.not_found');
  if (NO_PERMISSION.has(err.code ?? '') && aboutThisFile) return new ConfigError([{ path: '', message: `cannot be read: ${whyUnreadable(err, file)}` }], file, 'config.not_found');
  // JSON.parse and the copy of a JavaScript config's value recurse: 100,000 levels overflow the stack.
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new ConfigError([{ path: '', message: `the document nests too deeply to read (more than ${MAX_CONFIG_DEPTH} levels are refused)` }], file, 'config.too_large');
  }
  // js-yaml: reason + mark (0-based); parse-json: a code frame around the reason; JS: the thrown message.
  const where = err.mark ? ` (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : '';
  const message = err.reason ? `${err.reason}${where}` : (jsonError(String(err.message)) ?? firstLines(String(err.message ?? error)));
  return new ConfigError([{ path: '', message: `cannot be read: ${isCode(file) ? redactEnvironmentCredentials(message) : message}` }], file, 'config.parse');
}

/**
 * parse-json (via cosmiconfig) reports a position and a code frame; say it as line and column.
 * From Node 22, V8 itself says "(line N column M)" after the position, and no frame follows.
 */
function jsonError(message: string): string | undefined {
  if (!message.startsWith('JSON Error')) return undefined;
  const lines = message.split('\n');
  const reason = lines.find((l) => / in JSON at position \d+/.test(l))?.replace(/ in JSON at position \d+.*$/, '');
  const v8 = / in JSON at position \d+ \(line (\d+) column (\d+)\)/.exec(message);
  const line = v8?.[1] ?? /^>\s*(\d+)\s*\|/m.exec(message)?.[1];
  const caret = lines.find((l) => /^\s*\|\s*\^/.test(l));
  const column = v8 ? Number(v8[2]) : caret ? caret.indexOf('^') - caret.indexOf('|') - 1 : undefined;
  if (!reason) return undefined;
  return `${reason}${line ? ` (line ${line}${column ? `, column ${column}` : ''})` : ''}`;
}

function firstLines(message: string): string {
  return message.split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 6).join('\n    ');
}
