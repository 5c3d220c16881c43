/**
 * The concurrency cap of /probe. A request over the cap waits in a bounded queue rather than
 * being refused at once: Prometheus scrapes every target of a job at nearly the same moment, and a
 * short wait turns that burst into a steady stream, where an immediate 503 would lose samples. A
 * request is refused (503) only when the queue is full or it could not start within its own
 * scrape budget — then the scrape fails visibly (`up == 0`) instead of reporting a target down.
 */
export type Acquired = { ok: true; release(): void; /** It waited in the queue for its turn. */ queued: boolean } | { ok: false; why: 'full' | 'timeout' | 'gone' | 'closed' };

export interface Slots {
  /** Waits at most `waitMs` (no limit when undefined) for a free slot. */
  acquire(waitMs: number | undefined, gone: AbortSignal): Promise<Acquired>;
  describe(): string;
  waiting(): number;
  /**
   * Shutting down: every request still waiting is answered now (`closed`), and so is any later
   * one. Slots held keep running: a probe in flight is given the grace period, a probe not yet
   * started is not begun, as Go's http.Server.Shutdown never hands a closed listener's
   * connections to a handler.
   */
  close(): void;
}

export function createSlots(max: number, maxWaiting: number, onChange?: (running: number, waiting: number) => void): Slots {
  let running = 0;
  let closed = false;
  const queue: { grant: () => void; refuse: () => void }[] = [];
  const changed = () => onChange?.(running, queue.length);
  const release = () => {
    running -= 1;
    const next = queue.shift();
    if (next) next.grant();
    changed();
  };
  const slot = (queued: boolean): Acquired => {
    let released = false;
    return {
      ok: true,
      queued,
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  };
  return {
    describe: () => `${running} running, ${queue.length} waiting, at most ${max} at once`,
    waiting: () => queue.length,
    close() {
      closed = true;
      for (const entry of queue.splice(0)) entry.refuse();
      changed();
    },
    acquire(waitMs, gone) {
      if (closed) return Promise.resolve({ ok: false, why: 'closed' });
      if (running < max) {
        running += 1;
        changed();
        return Promise.resolve(slot(false));
      }
      if (queue.length >= maxWaiting) return Promise.resolve({ ok: false, why: 'full' });
      if (waitMs !== undefined && waitMs <= 0) return Promise.resolve({ ok: false, why: 'timeout' });
      return new Promise<Acquired>((resolve) => {
        const entry = {
          grant: () => {
            cleanup();
            running += 1;
            resolve(slot(true));
          },
          refuse: () => {
            cleanup();
            resolve({ ok: false, why: 'closed' });
          },
        };
        const timer = waitMs === undefined ? undefined : setTimeout(() => leave('timeout'), waitMs);
        const onGone = () => leave('gone');
        const cleanup = () => {
          clearTimeout(timer);
          gone.removeEventListener('abort', onGone);
        };
        const leave = (why: 'timeout' | 'gone') => {
          cleanup();
          const index = queue.indexOf(entry);
          if (index >= 0) queue.splice(index, 1);
          changed();
          resolve({ ok: false, why });
        };
        gone.addEventListener('abort', onGone, { once: true });
        queue.push(entry);
        changed();
      });
    },
  };
}
