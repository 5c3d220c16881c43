/**
 * outage's own open files, so that running out of them is never a target's failure.
 *
 * Every socket outage opens holds a slot here: connections (connect.ts), DNS queries (dns-wire.ts)
 * and getaddrinfo, which opens its own (system-lookup.ts). The slots are what the soft open-file
 * limit (`ulimit -n`, read from /proc/self/limits on Linux) leaves after the files already open
 * and a reserve for the files outage reads and writes (modules loaded on demand, CA bundles,
 * reports). Should the system still answer EMFILE, ENFILE, ENOBUFS or ENOMEM — another process
 * filling the system's file table, a platform where the limit cannot be read — the slots shrink to
 * the sockets open now, and whoever failed waits for one of them to close (or a short pause) and
 * tries again, within its attempt's budget. Slots come back one at a time once a second has
 * passed without exhaustion.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Failure } from '../core/failure.js';

/**
 * Errnos that say this process or machine ran out of something: never the target's doing. EAGAIN
 * reaches a socket only from the kernel's own tables (routing cache, ephemeral ports on some
 * systems); a resolver's "try again" is EAI_AGAIN, another code.
 */
const EXHAUSTION = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EAGAIN']);

export function isLocalExhaustion(code: string | undefined): code is string {
  return code !== undefined && EXHAUSTION.has(code);
}

/**
 * Files kept free for everything that is not a socket — above all a module loaded on demand (the
 * HTML parser for `http.assets`), whose files Node's loader opens all at once.
 */
const FILE_RESERVE = 32;
/** Sockets a service holds at once in the common case: a lookup, then its connection. */
const SOCKETS_PER_SERVICE = 2;
/** Pauses between tries while exhausted and no socket of ours is open to wait for. */
const PAUSE_MIN_MS = 10;
const PAUSE_MAX_MS = 500;
/** Quiet time after an exhaustion before slots are given back. */
const RECOVERY_MS = 1000;

export interface SocketSlot {
  /** The socket is closed: its file is free again. Idempotent. */
  release(): void;
  /** Opening the socket failed for want of files or memory (EMFILE…): fewer slots, and a pause before the next try. */
  exhausted(): void;
}

interface Limits {
  /** The soft RLIMIT_NOFILE; undefined where it cannot be read. */
  soft: number | undefined;
  /** Slots at most: Infinity when the limit is unknown (exhaustion alone then shrinks them). */
  ceiling: number;
}

let limits: Limits | undefined;
let capacity = Infinity;
let inUse = 0;
let pausedUntil = 0;
let pauseMs = 0;
let lastExhausted = -Infinity;
let wakeTimer: NodeJS.Timeout | undefined;
const waiters = new Set<() => void>();

/** The soft open-file limit, as `ulimit -n` shows it; undefined off Linux or when unlimited. */
export function openFileLimit(): number | undefined {
  return readLimits().soft;
}

function readLimits(): Limits {
  if (limits) return limits;
  let soft: number | undefined;
  try {
    const row = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    soft = row ? Number(row[1]) : undefined;
  } catch {
    soft = undefined;
  }
  limits = { soft, ceiling: soft === undefined ? Infinity : Math.max(1, soft - openNow(soft) - FILE_RESERVE) };
  capacity = limits.ceiling;
  return limits;
}

/** Files open in this process now; when even that cannot be read, assume the limit is reached. */
function openNow(soft: number): number {
  try {
    // The listing's own directory handle is counted too, and is closed again.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return soft;
  }
}

/** How many services may run at once without running out of open files. */
export function concurrencyWithinLimit(requested: number): number {
  const { ceiling } = readLimits();
  return Math.max(1, Math.min(requested, Math.floor(ceiling / SOCKETS_PER_SERVICE)));
}

/** A slot now, or undefined when they are all taken (or outage is pausing after an exhaustion). */
export function takeSocketSlot(): SocketSlot | undefined {
  readLimits();
  if (inUse >= capacity || performance.now() < pausedUntil) return undefined;
  inUse++;
  let held = true;
  const free = () => {
    if (!held) return false;
    held = false;
    inUse--;
    return true;
  };
  return {
    release() {
      if (!free()) return;
      // A file just closed: whoever waits may try now.
      pausedUntil = 0;
      pauseMs = 0;
      if (capacity < readLimits().ceiling && performance.now() - lastExhausted > RECOVERY_MS) capacity++;
      wake();
    },
    exhausted() {
      if (!free()) return;
      lastExhausted = performance.now();
      capacity = Math.max(1, inUse);
      pauseMs = Math.min(PAUSE_MAX_MS, pauseMs === 0 ? PAUSE_MIN_MS : pauseMs * 2);
      pausedUntil = lastExhausted + pauseMs;
      clearTimeout(wakeTimer);
      // The timer's clock is not performance.now(): the pause is over when it fires.
      wakeTimer = setTimeout(() => {
        pausedUntil = 0;
        wake();
      }, pauseMs);
    },
  };
}

/** Resolves true when a slot may be free (one was released, or a pause ended), false when `signal` aborts first. */
export function roomForSocket(signal: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (room: boolean) => {
      waiters.delete(onRoom);
      signal.removeEventListener('abort', onAbort);
      resolve(room);
    };
    const onRoom = () => done(true);
    const onAbort = () => done(false);
    waiters.add(onRoom);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A slot, waiting for one while they are all taken (`onWait` is told); undefined when `signal` aborts first. */
export async function socketSlot(signal: AbortSignal, onWait?: () => void): Promise<SocketSlot | undefined> {
  for (;;) {
    const slot = takeSocketSlot();
    if (slot) return slot;
    onWait?.();
    if (!(await roomForSocket(signal))) return undefined;
  }
}

function wake(): void {
  if (performance.now() < pausedUntil || inUse >= capacity) return;
  for (const waiter of [...waiters]) waiter();
}

/**
 * Whether this process is out of files now (or was, since `since`): a failed getaddrinfo says
 * only "not found" when it could not open a socket or /etc/hosts, so this tells the two apart.
 */
export function exhaustedSince(since: number): boolean {
  if (lastExhausted >= since) return true;
  const { soft } = readLimits();
  if (soft === undefined) return false;
  // getaddrinfo needs a file for /etc/hosts and a socket for DNS: two free are the least it needs.
  return soft - openNow(soft) < 2;
}

/**
 * Why a socket could not be had: an errno the system gave, or `busy` when every slot stayed taken;
 * or LOOKUPS_BUSY, why a lookup could not start.
 */
export type LocalCause = string;

/** Every thread getaddrinfo runs on was held by other names' lookups (a silent resolver holds each for its whole timeout). */
export const LOOKUPS_BUSY = 'lookups';

/** `local.resources`: what outage could not do (`what`), and for want of what. */
export function localFailure(what: string, cause: LocalCause): Failure {
  const soft = readLimits().soft;
  const limit = soft === undefined ? '' : `; ulimit -n is ${soft}`;
  let why: string;
  if (cause === 'busy') why = `no free socket: all ${inUse} that outage may open were in use${limit}`;
  else if (cause === LOOKUPS_BUSY) why = "no free thread for the system resolver (getaddrinfo): other names' lookups held them all";
  else if (cause === 'ENOMEM' || cause === 'ENOBUFS') why = `this machine is short of memory for sockets (${cause})`;
  else if (cause === 'ENFILE') why = 'this machine ran out of open files (ENFILE)';
  else if (cause === 'EAGAIN') why = 'the system refused a socket for now (EAGAIN)';
  else why = `outage ran out of open files (${cause}${limit})`;
  return { code: 'local.resources', reason: `${what}: ${why}; not a failure of the target` };
}
