/**
 * Statuses rank up < degraded < down < unknown: a run is as bad as its worst critical service.
 * `skipped` (a probe whose prerequisite failed) carries no rank of its own: the failure that
 * caused it already counts.
 */
export type Status = 'up' | 'degraded' | 'down' | 'unknown';
export type ProbeStatus = Status | 'skipped';

export const STATUSES: readonly Status[] = ['up', 'degraded', 'down', 'unknown'];

const RANK: Record<Status, number> = { up: 0, degraded: 1, down: 2, unknown: 3 };

export function rank(status: Status): number {
  return RANK[status];
}

export function worst(statuses: Iterable<ProbeStatus>): Status {
  let result: Status = 'up';
  for (const s of statuses) {
    if (s !== 'skipped' && RANK[s] > RANK[result]) result = s;
  }
  return result;
}

/** Which status makes the exit code non-zero (`--fail-on`). */
export type FailOn = 'degraded' | 'down' | 'never';

/** Nagios plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export function exitCodeFor(status: Status, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  if (failOn === 'down' && status === 'degraded') return 0;
  return RANK[status];
}

/**
 * The worst status among `items` and the first item that has it. Items come in dependency order
 * (dns → tcp → tls → http), so the first is the root cause, not one of its consequences.
 */
export function worstFirst<T extends { status: ProbeStatus }>(items: readonly T[]): { status: Status; cause: T | undefined } {
  const status = worst(items.map((i) => i.status));
  return { status, cause: items.find((i) => i.status === status) };
}
