/**
 * The working directory, which may no longer exist (deleted or moved away while a shell sat in
 * it). A check of URLs needs none, as curl needs none, and a config named by its full path is read
 * without it (config/load.ts); only what is relative to it does (the config search, relative
 * paths), and that says so rather than fail as "a bug in outage".
 */
import { isAbsolute, resolve } from 'node:path';

/** The working directory, or undefined when it no longer exists. */
export function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

export const GONE_DIRECTORY = 'the current directory no longer exists (deleted or moved): cd to one that does';

/** Whether an error is Node failing to read the working directory (path.resolve of a relative path). */
export function isGoneDirectory(error: unknown): boolean {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return code === 'ENOENT' && syscall === 'uv_cwd';
}

/** Whether `path` is relative to a working directory that no longer exists: why it was not found. */
export function relativeToGoneDirectory(path: string): boolean {
  return !isAbsolute(path) && currentDirectory() === undefined;
}

/** `path` from `dir` (undefined: the working directory, found gone); undefined where it cannot be. */
export function resolveFrom(dir: string | undefined, path: string): string | undefined {
  if (isAbsolute(path)) return path;
  return dir === undefined ? undefined : resolve(dir, path);
}
