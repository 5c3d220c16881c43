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
}

/** The measured TTFB, or `fallback` (time around the request call) if nothing was observed. */
export function ttfbOf(timer: HopTimer, fallback: number): number {
  return timer.sentAt !== undefined && timer.firstByteAt !== undefined ? timer.firstByteAt - timer.sentAt : fallback;
}
