/**
 * Admission control: a new service starts only while outage's own event loop is responsive.
 *
 * Every timing outage reports is taken by a callback on its one event loop. Start a thousand
 * connections at once and their handshakes queue behind each other on outage's CPU: the last
 * callback runs seconds after its bytes arrived, and a healthy service reads as `http.slow` —
 * outage's load reported as the target's latency, a false alarm. So starts are metered by the
 * loop's measured lag: a timer that should fire every SAMPLE_MS says how late it ran, and each
 * on-time tick lets a few more services start. A busy loop (handshakes being computed, reports
 * being built) starts nothing until it catches up; an idle one starts services as fast as the
 * ticks come. `--concurrency` stays the cap on services in flight; this only paces their starts.
 */

/** How often the loop is sampled while services wait to start. */
const SAMPLE_MS = 2;
/** A tick later than this means the loop is busy: start nothing on it. */
const MAX_LAG_MS = 20;
/** Services started per on-time tick (and at once, before the first tick). */
const BURST = 16;

export interface Admission {
  /** Resolves when one more service may start. */
  admit(): Promise<void>;
  /** Stops the sampling timer; waiters still queued are let through. */
  close(): void;
}

export function createAdmission(options: { sampleMs?: number; maxLagMs?: number; burst?: number } = {}): Admission {
  const sampleMs = options.sampleMs ?? SAMPLE_MS;
  const maxLagMs = options.maxLagMs ?? MAX_LAG_MS;
  const burst = options.burst ?? BURST;
  let tokens = burst;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let expected = 0;
  const waiting: (() => void)[] = [];

  const tick = () => {
    timer = undefined;
    const lag = performance.now() - expected;
    if (lag <= maxLagMs) tokens = burst;
    while (tokens > 0 && waiting.length > 0) {
      tokens--;
      waiting.shift()?.();
    }
    arm();
  };
  // The timer runs only while someone waits, so an idle run (or one service) costs nothing.
  const arm = () => {
    if (closed || timer || waiting.length === 0) return;
    expected = performance.now() + sampleMs;
    timer = setTimeout(tick, sampleMs);
  };

  return {
    admit() {
      if (closed) return Promise.resolve();
      if (tokens > 0 && waiting.length === 0) {
        tokens--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        arm();
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}
