/**
 * TTFB as the wire sees it, as curl's time_starttransfer − time_pretransfer: from the moment the
 * request is handed to the socket to the first response byte read from it (client.ts notes both).
 * Parsing, decoding and outage's own start-up work fall outside it, so they are never counted as
 * the server's time.
 */

export interface HopTimer {
  /** Opening a connection to a new origin (a redirect hop), when the hop needed one. */
  connectMs?: number;
  sentAt?: number;
  firstByteAt?: number;
  /** When the final response's head was read: later than the first byte after a 103 or 100. */
  headAt?: number;
}

/** The measured TTFB, or `fallback` (time around the request call) if nothing was observed. */
export function ttfbOf(timer: HopTimer, fallback: number): number {
  return timer.sentAt !== undefined && timer.firstByteAt !== undefined ? timer.firstByteAt - timer.sentAt : fallback;
}

/**
 * How long the hop waited for its final response: to the end of its head. After an interim 103
 * Early Hints or 100 the first byte comes long before the response; the wait in between is the
 * server's time too (curl's time_total and a browser's load count it), and it is counted nowhere
 * else. `ttfb` when no head time was observed.
 */
export function responseWaitOf(timer: HopTimer, ttfb: number): number {
  return timer.sentAt !== undefined && timer.headAt !== undefined ? Math.max(ttfb, timer.headAt - timer.sentAt) : ttfb;
}
