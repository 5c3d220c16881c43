/**
 * TTFB as the wire sees it, as curl's time_starttransfer − time_pretransfer: from the moment undici
 * writes the request headers to the socket (its diagnostics channel) to the first response byte
 * readable on that socket. Timing around `request()` instead counted undici's own work — on a
 * process's first request, compiling its WebAssembly parser before the write and lazily compiled
 * code when the response is parsed: ~10 ms that is not the server's time.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Readable } from 'node:stream';

export interface HopTimer {
  /** Opening a connection to a new origin (a redirect hop), when the hop needed one. */
  connectMs?: number;
  sentAt?: number;
  firstByteAt?: number;
  headersAt?: number;
}

/** Sockets outage handed to undici → the timer of the hop currently using that socket. */
const socketTimers = new WeakMap<object, () => HopTimer | undefined>();
const requestTimers = new WeakMap<object, HopTimer>();
let subscribed = false;

function ensureSubscribed(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:client:sendHeaders', (message) => {
    const { request, socket } = message as { request: object; socket: object };
    const timer = socketTimers.get(socket)?.();
    if (!timer) return;
    timer.sentAt = performance.now();
    requestTimers.set(request, timer);
  });
  subscribe('undici:request:headers', (message) => {
    const timer = requestTimers.get((message as { request: object }).request);
    if (timer) timer.headersAt ??= performance.now();
  });
}

/**
 * Route the timing events of requests sent on `socket` to whatever hop `current()` returns. The
 * 'readable' listener only notes the time: it is added before undici's and reads nothing.
 */
export function timeSocket(socket: Readable, current: () => HopTimer | undefined): void {
  ensureSubscribed();
  socketTimers.set(socket, current);
  socket.on('readable', () => {
    const timer = current();
    if (timer?.sentAt !== undefined) timer.firstByteAt ??= performance.now();
  });
}

/** The measured TTFB, or `fallback` (time around the request call) if nothing was observed. */
export function ttfbOf(timer: HopTimer, fallback: number): number {
  const end = timer.firstByteAt ?? timer.headersAt;
  return timer.sentAt !== undefined && end !== undefined ? end - timer.sentAt : fallback;
}
