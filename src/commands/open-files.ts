/**
 * The one word a user gets about outage's open-file limit: when `ulimit -n` leaves sockets for
 * fewer services at once than asked, the scheduler runs fewer (net/open-file-limit.ts) and this
 * says so, once, on stderr — the results stay the same, only slower.
 */
import { concurrencyWithinLimit, openFileLimit } from '../net/open-file-limit.js';

export function noteOpenFileLimit(concurrency: number, services: number): void {
  const wanted = Math.min(concurrency, services);
  const allowed = concurrencyWithinLimit(wanted);
  if (allowed >= wanted) return;
  process.stderr.write(
    `outage: checking ${allowed} service${allowed === 1 ? '' : 's'} at a time, not ${wanted}: the open-file limit (ulimit -n) is ${openFileLimit()}. ` +
      'Raise it (ulimit -n 4096) to check more at once.\n',
  );
}
