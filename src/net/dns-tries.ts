/**
 * Asking DNS servers one query: tries to the next server as each one times out, a try that timed
 * out still heard while the budget lasts, a server failure passed to the next server, and what
 * servers refused or left unanswered remembered across queries. dns-resolver.ts decides which
 * servers and names to ask; dns-wire.ts sends one exchange.
 */
import { formatBudget } from '../core/budget.js';
import type { DnsRecordType } from '../core/dns-record.js';
import type { Failure } from '../core/failure.js';
import { DnsTransportError, exchange, type DnsResponse, type DnsServer } from './dns-wire.js';
import { localFailure, roomForSocket, socketSlot, type LocalCause } from './open-file-limit.js';

/** Tries per query (each to the next server), so a lost UDP packet is retried while time remains. */
const TRIES = 4;

/** Server failures another server may not share, so the next one is asked (as c-ares does). */
const SERVER_FAILURES = new Set(['SERVFAIL', 'REFUSED', 'NOTIMP', 'FORMERR']);
/**
 * A server that refused (an ICMP port unreachable) and then stays silent is taken to be still
 * refusing: the kernel rate-limits those ICMP messages, so later refusals often never arrive.
 */
const REFUSAL_MEMORY_MS = 2000;
const refusedAt = new Map<string, number>();
/**
 * Servers that let a try time out, and when. resolv.conf's servers are meant to be alike, and a
 * laptop's first one is often gone (a VPN's, a previous network's): getaddrinfo waits out its
 * `timeout:` there on every lookup, and the queries that explain its answer (a family it did
 * not return) must not wait the same again, stretching a healthy check past its budget. A server
 * silent within this long is asked after the others; it is asked first again once it answers.
 */
const SILENCE_MEMORY_MS = 60_000;
/** Which servers one resolver's queries found silent, and which answered them (NameResolver.silentServers). */
export interface Seen {
  silent: Set<string>;
  answered: Set<string>;
}
const silentAt = new Map<string, number>();
const silentRecently = (server: DnsServer) => (silentAt.get(server.label) ?? -Infinity) > performance.now() - SILENCE_MEMORY_MS;

export async function askServers(
  servers: DnsServer[],
  name: string,
  type: DnsRecordType,
  { tryTimeoutMs, timeoutMs }: { tryTimeoutMs: number; timeoutMs: number },
  signal: AbortSignal,
  hold: (cause: LocalCause) => void,
  seen: Seen,
): Promise<DnsResponse | DnsTransportError> {
  const endsAt = performance.now() + timeoutMs;
  servers = [...servers.filter((server) => !silentRecently(server)), ...servers.filter(silentRecently)];
  const unusable = new Map<DnsServer, DnsTransportError>();
  const tried = new Set<DnsServer>();
  let fallback: DnsResponse | undefined;
  let lastError = new DnsTransportError('ETIMEOUT');
  // A try that times out is not dropped: the next one is sent beside it, and whichever answers
  // first within the budget counts, as glibc and dig take a late answer. Dropping each try made a
  // resolver answering every query in 2.5 s "no answer" under a 10 s budget (2 s tries).
  // Every try ends with the query: at its answer, its budget, or the attempt's end (cancel()).
  const done = new AbortController();
  const end = () => done.abort();
  signal.addEventListener('abort', end, { once: true });
  if (signal.aborted) end();
  const until = done.signal;
  const outstanding = new Set<Promise<Outcome>>();
  /** The try sent last: the one glibc would be listening to. */
  let latest: Promise<Outcome> | undefined;
  const stopTry = new Map<Promise<Outcome>, AbortController>();
  // A try still heard holds a socket: when a new one cannot get one (the open-file limit), the
  // oldest earlier try is given up for it, rather than the new try held up by outage's own limits.
  const makeRoomFor = (asking: AbortController, cause: LocalCause) => {
    const oldest = [...outstanding].find((t) => stopTry.get(t) !== asking);
    if (oldest === undefined) return hold(cause);
    outstanding.delete(oldest);
    stopTry.get(oldest)?.abort();
  };
  /** The outcome's verdict: the response to return, or undefined to go on. */
  const settle = (outcome: Outcome): DnsResponse | DnsTransportError | undefined => {
    const { server, result } = outcome;
    if (!(result instanceof DnsTransportError)) {
      refusedAt.delete(server.label);
      silentAt.delete(server.label);
      seen.answered.add(server.label);
      // A late answer to a try already given up on, while a newer try is still out: glibc and
      // c-ares, which stop listening once they move on, would have heard only the newer one. Its
      // records are taken at once (a slow resolver's answer is an answer); its SERVFAIL, REFUSED
      // or NXDOMAIN waits for the tries still out and counts only if none of them answers.
      if (outcome.attempt !== latest && result.rcode !== 'NOERROR' && outstanding.size > 0) {
        fallback ??= result;
        return undefined;
      }
      if (!SERVER_FAILURES.has(result.rcode) || tried.size === servers.length) return result;
      fallback = result;
      return undefined;
    }
    // Cancelled, or no socket to be had before the end: no other server would change either.
    if (result.code === 'ECANCELLED' || result.code === 'ELOCAL') return result;
    if (result.afterTruncation) {
      // Its TCP side refused: asking it again over UDP gets the same truncated answer.
      unusable.set(server, result);
    } else if (result.code === 'ECONNREFUSED') {
      refusedAt.set(server.label, performance.now());
      unusable.set(server, result);
    } else if (result.code === 'ENETUNREACH') {
      unusable.set(server, result);
    } else {
      lastError = result;
    }
    return undefined;
  };
  /** Its try's time is up with no answer: silent so far (still heard, should it answer). */
  const silentSoFar = (server: DnsServer, started: number) => {
    if ((refusedAt.get(server.label) ?? -Infinity) > started - REFUSAL_MEMORY_MS) {
      refusedAt.set(server.label, performance.now());
      unusable.set(server, new DnsTransportError('ECONNREFUSED'));
      return;
    }
    silentAt.set(server.label, performance.now());
    seen.silent.add(server.label);
  };
  try {
    for (let i = 0; i < Math.max(TRIES, servers.length) && unusable.size < servers.length; i++) {
      const server = servers[i % servers.length] as DnsServer;
      if (unusable.has(server)) continue;
      tried.add(server);
      const started = performance.now();
      const own = new AbortController();
      const stopOwn = () => own.abort();
      until.addEventListener('abort', stopOwn, { once: true });
      const attempt: Promise<Outcome> = tryServer(server, name, type, endsAt - started, own.signal, (cause) => makeRoomFor(own, cause)).then((result) => {
        until.removeEventListener('abort', stopOwn);
        return { server, result, attempt };
      });
      outstanding.add(attempt);
      latest = attempt;
      stopTry.set(attempt, own);
      for (;;) {
        const next = await firstOf(outstanding, started + tryTimeoutMs - performance.now());
        if (next === undefined) {
          silentSoFar(server, started);
          break;
        }
        // Given up to make room (makeRoomFor): its cancellation says nothing of the server.
        if (!outstanding.delete(next.attempt)) continue;
        const verdict = settle(next);
        if (verdict !== undefined) return verdict;
        // This try failed outright: on to the next; an earlier one's failure leaves it waiting.
        if (next.attempt === attempt) break;
      }
    }
    // Every try sent: the ones still out may yet answer, until the budget ends.
    while (outstanding.size > 0 && unusable.size < servers.length) {
      const next = (await firstOf(outstanding, Infinity)) as Outcome;
      if (!outstanding.delete(next.attempt)) continue;
      const verdict = settle(next);
      if (verdict !== undefined) return verdict;
    }
  } finally {
    signal.removeEventListener('abort', end);
    end();
  }
  if (fallback) return fallback;
  const reasons = [...unusable.values()];
  if (unusable.size === servers.length) return reasons.find((e) => e.code === 'ECONNREFUSED') ?? reasons[0] ?? lastError;
  return lastError;
}

interface Outcome {
  server: DnsServer;
  result: DnsResponse | DnsTransportError;
  attempt: Promise<Outcome>;
}

/** One server asked until it answers, fails, `timeoutMs` passes or `until` ends it; never rejects. */
async function tryServer(server: DnsServer, name: string, type: DnsRecordType, timeoutMs: number, until: AbortSignal, hold: (cause: LocalCause) => void): Promise<DnsResponse | DnsTransportError> {
  const started = performance.now();
  try {
    const response = await exchangeHeld(server, name, type, Math.max(1, timeoutMs), until, true, hold);
    // A server too old for EDNS answers FORMERR: ask it again the 1987 way, as c-ares does.
    if (response.rcode !== 'FORMERR') return response;
    return await exchangeHeld(server, name, type, Math.max(1, timeoutMs - (performance.now() - started)), until, false, hold);
  } catch (error) {
    return error instanceof DnsTransportError ? error : new DnsTransportError('EBADRESP');
  }
}

/** The first outcome of `pending`, or undefined once `ms` have passed. */
function firstOf(pending: Set<Promise<Outcome>>, ms: number): Promise<Outcome | undefined> {
  if (ms <= 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(() => resolve(undefined), ms) : undefined;
    for (const p of pending) {
      void p.then((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    }
  });
}

/**
 * One exchange under a socket slot (open-file-limit.ts). Waiting for a slot costs no try: it is
 * not the server's time. A socket the system refused (EMFILE…) is opened again once one frees.
 */
async function exchangeHeld(
  server: DnsServer,
  name: string,
  type: DnsRecordType,
  tryTimeoutMs: number,
  signal: AbortSignal,
  edns: boolean,
  hold: (cause: LocalCause) => void,
): Promise<DnsResponse> {
  if (signal.aborted) throw new DnsTransportError('ECANCELLED');
  let cause: LocalCause = 'busy';
  for (;;) {
    const slot = await socketSlot(signal, () => hold(cause));
    if (!slot) throw new DnsTransportError('ELOCAL', cause);
    try {
      const response = await exchange(server, name, type, tryTimeoutMs, signal, edns);
      slot.release();
      return response;
    } catch (error) {
      if (!(error instanceof DnsTransportError && error.code === 'ELOCAL')) {
        slot.release();
        throw error;
      }
      cause = error.errno ?? 'EMFILE';
      slot.exhausted();
      hold(cause);
      if (!(await roomForSocket(signal))) throw error;
    }
  }
}

export function transportFailure(error: DnsTransportError, name: string, servers: DnsServer[], how: { tryTimeoutMs: number; timeoutMs: number; system: boolean }): Failure {
  const who = `resolver ${servers.map((s) => s.label).join(', ')}${how.system ? ' (system)' : ''}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      if (error.afterTruncation) {
        return { code: 'dns.refused', reason: `${name}: ${who} answered over UDP that the answer is truncated, and refused DNS over TCP (its TCP port closed or blocked), where the whole answer is` };
      }
      return { code: 'dns.refused', reason: `${name}: ${who} refused the connection (nothing listening on its DNS port)` };
    case 'ENETUNREACH':
      return { code: 'dns.timeout', reason: `${name}: ${who} unreachable (no route)` };
    case 'EBADRESP':
      return { code: 'dns.servfail', reason: `${name}: ${who} sent a malformed answer` };
    case 'ECANCELLED':
      return { code: 'dns.timeout', reason: `${name}: no answer from ${who} ${formatBudget(how.timeoutMs)}` };
    case 'ELOCAL':
      return localFailure(`${name}: cannot ask ${who}`, error.errno ?? 'busy');
    case 'ETIMEOUT': {
      const tries = Math.max(TRIES, servers.length);
      // Each try is heard until the budget ends: the budget is what the server had to answer in.
      return { code: 'dns.timeout', reason: `${name}: no answer from ${who} ${formatBudget(how.timeoutMs)} (${tries} tries)` };
    }
  }
}
