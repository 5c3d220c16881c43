/**
 * Writing the files a user asked for (reports, the starter config), and saying in words why one
 * could not be written: `the directory /missing does not exist`, not `ENOENT`.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GONE_DIRECTORY, relativeToGoneDirectory } from './current-directory.js';

/**
 * Why writing `path` failed, in words a user can act on. Through a symbolic link, what failed is
 * the file it leads to: `it is a symbolic link to /srv/x/outage.json, and the directory /srv/x
 * does not exist` (the link's own directory is there, and "no such file" would say nothing).
 */
export function whyNotWritten(error: unknown, path: string): string {
  const linkTarget = (error as { linkTarget?: string } | undefined)?.linkTarget;
  if (linkTarget !== undefined && linkTarget !== path) return `it is a symbolic link to ${linkTarget}, and ${whyPathNotWritten(error, linkTarget)}`;
  return whyPathNotWritten(error, path);
}

function whyPathNotWritten(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // open(2) says ENOTDIR or EISDIR for `reports/`; what to fix is the slash, not a part of the path.
  if (path.endsWith('/') && (code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENOENT')) return 'the path ends in /, so it names a directory, not a file';
  switch (code) {
    case 'ENOENT':
      // A relative path in a working directory that was deleted: that is what to fix.
      if (relativeToGoneDirectory(path)) return GONE_DIRECTORY;
      // open(2) says ENOENT when the directory is missing; name the directory, not the file.
      return existsSync(dirname(path)) ? 'no such file or directory' : `the directory ${nearestMissing(dirname(path))} does not exist`;
    case 'EACCES':
    case 'EPERM': {
      const directory = (error as { directory?: string }).directory;
      if (directory === undefined) return 'permission denied';
      return `permission denied to create a file in ${directory} (a report is written beside ${basename(path)}, then renamed over it, so no reader sees half of one)`;
    }
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return notADirectory(path);
    case 'EEXIST':
      return 'it already exists';
    case 'ENOSPC':
      return 'no space left on the device (disk full)';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    case 'EPIPE':
      return 'the process reading the named pipe closed it before the report was written';
    case 'ENXIO':
      // Only opened so (see writeFileAtomic): a named pipe with no reader, or a device not there.
      // Waited for the whole time, or told to stop waiting (Ctrl-C while the results are written).
      if ((error as { stoppedAfterMs?: number }).stoppedAfterMs !== undefined) {
        return `it is a named pipe that no process is reading (stopped waiting for one after ${((error as { stoppedAfterMs: number }).stoppedAfterMs / 1000).toFixed(1)} s: interrupted)`;
      }
      return `it is a named pipe that no process is reading (waited ${PIPE_READER_WAIT_MS / 1000} s for one)`;
  }
  // Node's message without the `ECODE: ` prefix and the `, open '/path'` suffix.
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

/** `/a/f is a file, not a directory` for `/a/f/b/x`: the part of the path that is in the way. */
function notADirectory(path: string): string {
  let part = path;
  while (dirname(part) !== part && !existsSync(part)) part = dirname(part);
  return statSync(part, { throwIfNoEntry: false })?.isDirectory() === false ? `${part} is a file, not a directory` : 'a part of the path is not a directory';
}

/** The outermost directory of `dir` that does not exist: `/missing` for `/missing/a/b`. */
function nearestMissing(dir: string): string {
  let missing = dir;
  while (dirname(missing) !== missing && !existsSync(dirname(missing))) missing = dirname(missing);
  return missing;
}

/**
 * Replaces `path` with `data` all at once: written to a temporary file in the same directory,
 * then renamed over it, so a reader (node_exporter's textfile collector, a CI step) sees the old
 * file or the new one, never half of one. A symbolic link is followed, and the file it points to
 * replaced, or created when it is not there yet (see linkEnd). What is not a regular file (a named
 * pipe, a terminal) is written in place, as before; `/dev/stdout` and the like never get here
 * (commands/output.ts writes them through the descriptor).
 */
export async function writeFileAtomic(path: string, data: string, stop?: AbortSignal): Promise<void> {
  // Loaded when a file is written, not with every run (node:crypto alone costs ~3 ms of start-up).
  const { lstat, realpath, stat, writeFile } = process.getBuiltinModule('node:fs/promises');
  // Not there (yet) is what a first run meets; anything else (a loop of links: ELOOP) is the answer.
  const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (existing && !existing.isFile()) {
    await (existing.isFIFO() ? writePipe(path, data, stop) : writeFile(path, data));
    return;
  }
  const target = existing ? await realpath(path) : linkEnd(path);
  try {
    await replaceFile(target, data, existing);
  } catch (error) {
    // Said of the file the link leads to (whyNotWritten), when PATH itself is the link.
    const link = await lstat(path).then((info) => info.isSymbolicLink(), () => false);
    throw link ? Object.assign(error as Error, { linkTarget: target }) : error;
  }
}

/**
 * Where a link to nothing (yet) leads: the path its chain of links ends at, created as a shell's
 * `>` and `curl -o` create it. Renamed over instead, the link itself became a regular file, and a
 * report sent through it elsewhere (a textfile directory linking to a mount) silently stayed here.
 * `path` itself when it is no link. (A few lstat calls, made synchronously: output.ts needs the
 * answer before anything is written, to tell two reports bound for one file apart.)
 */
export function linkEnd(path: string): string {
  let current = path;
  // stat(2) answered ENOENT, not ELOOP, so the chain ends within the kernel's 40 links.
  for (let hops = 0; hops < 40; hops++) {
    let link: boolean;
    try {
      link = lstatSync(current).isSymbolicLink();
    } catch {
      link = false;
    }
    if (!link) return current;
    // Relative to the directory the link is really in, as the kernel reads `..` in a link.
    current = resolve(realpathSync(dirname(current)), readlinkSync(current));
  }
  return current;
}

/** `target` (a regular file or nothing) replaced by `data` through a temporary file and a rename. */
async function replaceFile(target: string, data: string, existing: { mode: number } | undefined): Promise<void> {
  const { access, constants, rename, unlink, writeFile } = process.getBuiltinModule('node:fs/promises');
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  // rename(2) would replace a file its owner made read-only; refuse, as writing in place would.
  if (existing) await access(target, constants.W_OK);
  // Not ending in `.prom`: the textfile collector reads only *.prom, so it never sees this one.
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  unfinished(temporary);
  try {
    await writeFile(temporary, data, { flag: 'wx', mode: existing ? existing.mode & 0o777 : 0o666 }).catch((error: NodeJS.ErrnoException) => {
      // The file itself is writable (checked above): what is not is its directory, so say that.
      if (existing && (error.code === 'EACCES' || error.code === 'EPERM')) throw Object.assign(error, { directory: dirname(target) });
      throw error;
    });
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    inFlight.delete(temporary);
  }
}

/** Temporary files not yet renamed into place. */
const inFlight = new Set<string>();

/**
 * A temporary file is removed however the process ends while it is written (a second Ctrl-C
 * exits at once): half a report is never left beside the one it was to replace.
 */
function unfinished(temporary: string): void {
  if (!removalOnExit) {
    removalOnExit = true;
    process.on('exit', removeUnfinishedFiles);
  }
  inFlight.add(temporary);
}
let removalOnExit = false;

/** Removes the temporary files still being written; for an exit that no `exit` event precedes (a death by signal). */
export function removeUnfinishedFiles(): void {
  const { unlinkSync } = process.getBuiltinModule('node:fs');
  for (const temporary of inFlight) {
    try {
      unlinkSync(temporary);
    } catch {
      // Renamed into place or gone already: nothing half-written is left.
    }
  }
  inFlight.clear();
}

/**
 * A named pipe: opening one for writing waits until some process opens it for reading — forever
 * when its reader is gone, with the results not yet printed. Opened without waiting, which fails
 * (ENXIO) when nobody reads it, tried again for a bounded time, and written through a stream
 * that waits for the reader to take each part (the descriptor is non-blocking), as stdout into a
 * pipe is written.
 */
async function writePipe(path: string, data: string, stop?: AbortSignal): Promise<void> {
  const { constants, openSync } = process.getBuiltinModule('node:fs');
  const { Socket } = process.getBuiltinModule('node:net');
  // O_NONBLOCK: this open never waits, so the synchronous call costs nothing. A reader started
  // beside outage (`outage check --report json=p & jq . < p`) may come a moment late: it is
  // looked for again for a few seconds before the pipe counts as unread.
  const fd = await openForReader(() => openSync(path, constants.O_WRONLY | constants.O_NONBLOCK), stop);
  await new Promise<void>((resolve, reject) => {
    const pipe = new Socket({ fd, readable: false, writable: true });
    pipe.once('error', (error) => {
      pipe.destroy();
      reject(error);
    });
    pipe.end(data, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** How long a named pipe's reader is waited for (see writePipe). */
export const PIPE_READER_WAIT_MS = 3000;

/** Waits for a reader until one comes, the time is up, or `stop` says to wait no longer. */
async function openForReader(open: () => number, stop?: AbortSignal): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      return open();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() >= started + PIPE_READER_WAIT_MS) throw error;
      if (stop?.aborted) throw Object.assign(error as Error, { stoppedAfterMs: Date.now() - started });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 25);
        function done() {
          clearTimeout(timer);
          stop?.removeEventListener('abort', done);
          resolve();
        }
        stop?.addEventListener('abort', done, { once: true });
      });
    }
  }
}

/**
 * `mkdir -p`: creates `dir` and its missing parents, one at a time, and returns the outermost one
 * it created (undefined when `dir` existed). Not `mkdir(dir, { recursive: true })`: Node's loops
 * forever where mkdir(2) answers ENOENT under an existing parent (/proc, some FUSE mounts).
 */
export async function makeDirectories(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let part = resolve(dir); !existsSync(part) && dirname(part) !== part; part = dirname(part)) missing.unshift(part);
  const { mkdir } = process.getBuiltinModule('node:fs/promises');
  for (const part of missing) {
    // Created meanwhile by someone else is fine; a file in the way fails at the next step.
    await mkdir(part).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return missing[0];
}
