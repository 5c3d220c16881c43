/**
 * getaddrinfo, as every other program on this machine resolves a name: the hosts file, nsswitch
 * order, search domains, mDNS, a VPN's split DNS.
 *
 * Node runs it on libuv's thread pool, which runs at most half its threads' worth of lookups at
 * once (2 of the default 4), cannot cancel one, and cannot exit while one is running or queued:
 * behind a resolver that never answers, each lookup holds its thread until glibc gives up (10–15 s
 * with a stock resolv.conf). So lookups queue here, where an attempt that ends can withdraw those
 * not yet started; a lookup in flight is shared with whoever asks the same question (a `wait` loop
 * re-checking every 100 ms adds nothing); and lookups for both families at once — which wait out a
 * silent AAAA — always leave a thread to the IPv4 lookups that connections wait for.
 *
 * getaddrinfo opens files of its own (/etc/hosts, a socket to the DNS server), so each lookup holds
 * one of outage's socket slots (open-file-limit.ts). Without a free file it answers only "not
 * found", the same as for a name that does not exist: a lookup that fails while outage is out of
 * files is queued again instead, and whoever waits on it is told (`onHold`).
 */
import { exhaustedSince, LOOKUPS_BUSY, roomForSocket, takeSocketSlot, type LocalCause } from './open-file-limit.js';

export type SystemLookup = { ok: true; addresses: string[] } | { ok: false; code: string };

/** `first`: an answer a connection waits for. `background`: getaddrinfo for both families, which may wait out a silent family. */
export type LookupPriority = 'first' | 'background';

/**
 * libuv's own limit on concurrent lookups: half the pool, rounded up. The pool is sized as libuv
 * reads UV_THREADPOOL_SIZE (4 unset, else atoi(): `` and `abc` are 0, which it runs as 1 thread;
 * at most 1024): a guess larger than the pool hands libuv lookups it queues where none can be withdrawn.
 */
export function lookupThreads(poolSize: string | undefined): number {
  const parsed = poolSize === undefined ? 4 : Number.parseInt(poolSize, 10);
  // atoi's negative number is a huge unsigned count to libuv, cut to its maximum.
  const threads = Number.isNaN(parsed) || parsed === 0 ? 1 : parsed < 0 ? 1024 : Math.min(parsed, 1024);
  return (threads + 1) >> 1;
}

const THREADS = lookupThreads(process.env.UV_THREADPOOL_SIZE);
const BACKGROUND_THREADS = Math.max(1, THREADS - 1);

interface Job {
  key: string;
  name: string;
  family: 0 | 4 | 6;
  priority: LookupPriority;
  waiters: Set<(result: SystemLookup) => void>;
  /** Told when the lookup waits on outage's own limits. */
  holders: Set<(cause: LocalCause) => void>;
  started: boolean;
}

const jobs = new Map<string, Job>();
const queue: Job[] = [];
const running = { all: 0, background: 0 };

/**
 * Family 0 asks for both (and waits for both); 4 and 6 ask for one. Addresses in getaddrinfo's
 * order. `onHold` hears why the lookup waits on outage's own limits, if it does.
 */
export function systemLookup(
  name: string,
  family: 0 | 4 | 6,
  signal: AbortSignal,
  priority: LookupPriority = 'first',
  onHold?: (cause: LocalCause) => void,
): Promise<SystemLookup> {
  return new Promise<SystemLookup>((resolve) => {
    if (signal.aborted) return resolve({ ok: false, code: 'ECANCELLED' });
    const key = `${family} ${name.toLowerCase()}`;
    let job = jobs.get(key);
    if (!job) {
      job = { key, name, family, priority, waiters: new Set(), holders: new Set(), started: false };
      jobs.set(key, job);
      queue.push(job);
    } else if (priority === 'first') {
      job.priority = job.started ? job.priority : 'first';
    }
    const owner = job;
    const waiter = (result: SystemLookup) => {
      signal.removeEventListener('abort', withdraw);
      if (onHold) owner.holders.delete(onHold);
      resolve(result);
    };
    const withdraw = () => {
      // Withdrawn before it started: the question was never asked, so its silence says nothing.
      // Said as what it waited for: a lookup thread (other names' lookups held them all), or a socket.
      if (!owner.started) onHold?.(waitsForThread(owner) ? LOOKUPS_BUSY : 'busy');
      owner.waiters.delete(waiter);
      if (onHold) owner.holders.delete(onHold);
      if (!owner.started && owner.waiters.size === 0) {
        queue.splice(queue.indexOf(owner), 1);
        jobs.delete(owner.key);
      }
      resolve({ ok: false, code: 'ECANCELLED' });
    };
    job.waiters.add(waiter);
    if (onHold) job.holders.add(onHold);
    signal.addEventListener('abort', withdraw, { once: true });
    dispatch();
  });
}

/** Whether `job` would start now but for the lookups already running. */
function waitsForThread(job: Job): boolean {
  return running.all >= THREADS || (job.priority === 'background' && running.background >= BACKGROUND_THREADS);
}

function dispatch(): void {
  while (running.all < THREADS) {
    const index = queue.findIndex((job) => job.priority === 'first' || running.background < BACKGROUND_THREADS);
    if (index < 0) return;
    const slot = takeSocketSlot();
    if (!slot) return holdQueue('busy');
    const [job] = queue.splice(index, 1) as [Job];
    job.started = true;
    running.all++;
    if (job.priority === 'background') running.background++;
    const started = performance.now();
    // node:dns loads with the first lookup: a check of addresses makes none.
    void process.getBuiltinModule('node:dns/promises').lookup(job.name, { all: true, family: job.family, order: 'verbatim' })
      .then(
        (found): SystemLookup => ({ ok: true, addresses: found.map((a) => a.address) }),
        (error: NodeJS.ErrnoException): SystemLookup => ({ ok: false, code: error.code ?? String(error) }),
      )
      .then((result) => {
        running.all--;
        if (job.priority === 'background') running.background--;
        if (!result.ok && job.waiters.size > 0 && exhaustedSince(started)) {
          // Not an answer: getaddrinfo had no file to read the hosts file or ask DNS with.
          slot.exhausted();
          job.started = false;
          queue.unshift(job);
          return holdQueue('EMFILE');
        }
        slot.release();
        jobs.delete(job.key);
        for (const waiter of job.waiters) waiter(result);
        dispatch();
      });
  }
}

const never = new AbortController().signal;
let waitingForRoom = false;

/** Every queued lookup waits on outage's limits: tell whoever waits for them, and go on when a file frees. */
function holdQueue(cause: LocalCause): void {
  for (const job of queue) for (const hold of job.holders) hold(cause);
  if (waitingForRoom) return;
  waitingForRoom = true;
  void roomForSocket(never).then(() => {
    waitingForRoom = false;
    dispatch();
  });
}
