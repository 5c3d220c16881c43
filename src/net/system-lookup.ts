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
 */
import { lookup } from 'node:dns/promises';

export type SystemLookup = { ok: true; addresses: string[] } | { ok: false; code: string };

/** `first`: an answer a connection waits for. `background`: getaddrinfo for both families, which may wait out a silent family. */
export type LookupPriority = 'first' | 'background';

/** libuv's own limit on concurrent lookups: half the pool (UV_THREADPOOL_SIZE, 4 by default), rounded up. */
const THREADS = Math.max(1, Math.floor((Number(process.env.UV_THREADPOOL_SIZE) || 4) + 1) >> 1);
const BACKGROUND_THREADS = Math.max(1, THREADS - 1);

interface Job {
  key: string;
  name: string;
  family: 0 | 4 | 6;
  priority: LookupPriority;
  waiters: Set<(result: SystemLookup) => void>;
  started: boolean;
}

const jobs = new Map<string, Job>();
const queue: Job[] = [];
const running = { all: 0, background: 0 };

/** Family 0 asks for both (and waits for both); 4 and 6 ask for one. Addresses in getaddrinfo's order. */
export function systemLookup(name: string, family: 0 | 4 | 6, signal: AbortSignal, priority: LookupPriority = 'first'): Promise<SystemLookup> {
  return new Promise<SystemLookup>((resolve) => {
    if (signal.aborted) return resolve({ ok: false, code: 'ECANCELLED' });
    const key = `${family} ${name.toLowerCase()}`;
    let job = jobs.get(key);
    if (!job) {
      job = { key, name, family, priority, waiters: new Set(), started: false };
      jobs.set(key, job);
      queue.push(job);
    } else if (priority === 'first') {
      job.priority = job.started ? job.priority : 'first';
    }
    const owner = job;
    const waiter = (result: SystemLookup) => {
      signal.removeEventListener('abort', withdraw);
      resolve(result);
    };
    const withdraw = () => {
      owner.waiters.delete(waiter);
      if (!owner.started && owner.waiters.size === 0) {
        queue.splice(queue.indexOf(owner), 1);
        jobs.delete(owner.key);
      }
      resolve({ ok: false, code: 'ECANCELLED' });
    };
    job.waiters.add(waiter);
    signal.addEventListener('abort', withdraw, { once: true });
    dispatch();
  });
}

function dispatch(): void {
  while (running.all < THREADS) {
    const index = queue.findIndex((job) => job.priority === 'first' || running.background < BACKGROUND_THREADS);
    if (index < 0) return;
    const [job] = queue.splice(index, 1) as [Job];
    job.started = true;
    running.all++;
    if (job.priority === 'background') running.background++;
    void lookup(job.name, { all: true, family: job.family, order: 'verbatim' })
      .then(
        (found): SystemLookup => ({ ok: true, addresses: found.map((a) => a.address) }),
        (error: NodeJS.ErrnoException): SystemLookup => ({ ok: false, code: error.code ?? String(error) }),
      )
      .then((result) => {
        running.all--;
        if (job.priority === 'background') running.background--;
        jobs.delete(job.key);
        for (const waiter of job.waiters) waiter(result);
        dispatch();
      });
  }
}
