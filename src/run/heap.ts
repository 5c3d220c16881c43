/**
 * V8 grows its heap by up to 4× the live size after a full collection, and a check of thousands
 * of services makes garbage fast enough (TLS handshakes, then a JSON report of ~4 KB a service)
 * that the heap reached ~220 MB around ~55 MB live: 5000 services at once peaked at ~330 MB RSS.
 * A fixed 25% growth collected more often and peaked at ~230 MB. A user's own V8 flag wins.
 *
 * Set only for runs that big, and only once they are known: a V8 flag set while Node runs makes it
 * refuse the code cache of every built-in module loaded afterwards (node:net, node:tls, … then
 * compiled from source), which cost a check of one service ~8 ms when the flag was set at start.
 */

/** From this many services in one run, garbage rather than what is live would make the peak. */
export const LARGE_RUN = 100;

let bounded = false;

export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  const given = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
  if (!/heap[-_]growing[-_]percent/.test(given)) process.getBuiltinModule('node:v8').setFlagsFromString('--heap-growing-percent=25');
}
