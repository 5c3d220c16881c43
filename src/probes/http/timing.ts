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
  /**
   * When the final response's head was read, set only when interim responses (103 Early Hints,
   * 100) came first: then the first byte is the hint's, and the wait for the response is the
   * server's time too (curl's time_total and a browser's load count it), so TTFB runs to here.
   */
  finalHeadAt?: number;
}

/** The measured TTFB, or `fallback` (time around the request call) if nothing was observed. */
export function ttfbOf(timer: HopTimer, fallback: number): number {
  const firstByte = timer.finalHeadAt ?? timer.firstByteAt;
  return timer.sentAt !== undefined && firstByte !== undefined ? firstByte - timer.sentAt : fallback;
}

