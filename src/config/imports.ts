/**
 * cosmiconfig's `$import` (a file, or a list of files, merged under the config that names them).
 * cosmiconfig reads each whole with no bound: an import of /dev/zero took 600 MB before failing as
 * "Invalid string length", one of a FIFO nobody writes to hung for ever, and one of a directory was
 * said as if the config itself were one. Each import is checked before cosmiconfig reads it, as the
 * config file itself is (load-bounds.ts): a regular file within the size limit.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { whyUnreadable } from '../core/file-errors.js';
import { MAX_CONFIG_BYTES, tooLarge } from './load-bounds.js';

export function checkImports(file: string, loaded: unknown): void {
  if (loaded === null || typeof loaded !== 'object' || !Object.hasOwn(loaded, '$import')) return;
  const imports = (loaded as { $import: unknown }).$import;
  const problems: ConfigProblem[] = [];
  for (const named of Array.isArray(imports) ? imports : [imports]) {
    // Not a path: cosmiconfig says so itself.
    if (typeof named !== 'string') continue;
    const why = whyNotImported(resolve(dirname(file), named));
    if (why) problems.push({ path: '$import', message: `${JSON.stringify(named)}: ${why}` });
  }
  if (problems.length > 0) throw new ConfigError(problems, file, 'config.import');
}

function whyNotImported(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    // cosmiconfig's search took a missing import's ENOENT for a config that is not there and looked
    // on: a renamed base file had outage check another config, or the public catalog, and pass.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'not found' : `cannot be read: ${whyUnreadable(error as NodeJS.ErrnoException, path)}`;
  }
  if (stats.isDirectory()) return 'is a directory, not a file';
  if (!stats.isFile()) return 'is not a regular file (a FIFO, a device or a socket): only files can be imported';
  if (stats.size > MAX_CONFIG_BYTES) return tooLarge(stats.size, path, 'the file').problems[0]?.message;
  return undefined;
}
