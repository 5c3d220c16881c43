/**
 * Whether descriptor N (`--report FORMAT=/dev/fd/N`) is one the shell gave outage to write to. A
 * number it did not give is free, or one of Node's own: libuv's epoll and eventfds, the pipes it
 * wakes itself through, the /dev/null it keeps in reserve. Opened by name, such a pipe took the
 * report — lost, with exit 0, or read by libuv as its own wake-ups until Node crashed (SIGSEGV,
 * exit 139, no message) — and the /dev/null swallowed it, exit 0.
 *
 * Told apart through /proc (Linux): Node's descriptors are anonymous inodes, opened for reading
 * only, or pipes whose read end this process holds (a pipe the shell passes, `3>&1 | tee`, has its
 * reader elsewhere). Without /proc nothing can be told, and the descriptor is used as given.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Throws, in words whyNotWritten (core/write-file.ts) passes on as they are, unless `fd` was given to outage to write to. */
export function checkPassedDescriptor(fd: number): void {
  if (fd !== 0 && !existsSync('/proc/self/fd')) return;
  const what = linkOf(fd);
  if (fd !== 0 && what !== undefined && !what.startsWith('anon_inode:') && !readOnly(fd) && !(what.startsWith('pipe:') && readEndHeld(what))) return;
  throw Object.assign(new Error(`descriptor ${fd} was not given to outage to write to (a shell gives one with ${fd}>file)`), { code: 'EBADF' });
}

/** `pipe:[123]`, `socket:[…]`, a path; undefined when the descriptor is not open. */
function linkOf(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** Opened for reading only: fdinfo's flags are octal, and the access mode their lowest two bits (0: O_RDONLY). */
function readOnly(fd: number): boolean {
  let info: string;
  try {
    info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch {
    return false;
  }
  const flags = /^flags:\s*([0-7]+)$/m.exec(info)?.[1];
  return flags !== undefined && (Number.parseInt(flags, 8) & 3) === 0;
}

/** A descriptor of this process reads the pipe: a report written into it would come back to this process. */
function readEndHeld(pipe: string): boolean {
  return readdirSync('/proc/self/fd').some((entry) => linkOf(Number(entry)) === pipe && readOnly(Number(entry)));
}
