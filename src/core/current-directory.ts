/**
 * The working directory, or undefined when it no longer exists (deleted or moved away while a
 * shell sat in it). A check of URLs needs no directory, as curl needs none: only the config search
 * and relative paths do, and those say so rather than fail as "a bug in outage".
 */
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
