/**
 * Why a file the user named could not be read, in words: an errno code alone (`ENOENT`, `EISDIR`)
 * told an operator little. The code stays in brackets, for searching and for scripts.
 */
import { GONE_DIRECTORY, relativeToGoneDirectory } from './current-directory.js';

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

export function whyUnreadable(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  if (code === 'ENOENT' && relativeToGoneDirectory(path)) return GONE_DIRECTORY;
  const words = WORDS[code];
  return words ? `${words} (${code})` : code;
}
