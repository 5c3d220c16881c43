/**
 * DNS queries for probes, keeping the rcode (what tells SERVFAIL — Facebook 2021 — from NXDOMAIN,
 * which getaddrinfo blurs into one ENOTFOUND). With `resolvers` set it asks exactly those servers;
 * with none it asks the system's (those of /etc/resolv.conf), after /etc/hosts and `localhost`.
 * The addresses a service connects to come from address-resolution.ts, which with no `resolvers`
 * asks getaddrinfo; these queries then only classify a failure or report records.
 */
import { readFileSync } from 'node:fs';
import { dnsTryTimeout, formatBudget } from '../core/budget.js';
import type { DnsRecord, DnsRecordType } from '../core/dns-record.js';
import type { Failure } from '../core/failure.js';
import { isLocalhostName } from '../core/domain.js';
import { interpretResponse } from './dns-answer.js';
import { DnsTransportError, exchange, parseServer, type DnsResponse, type DnsServer } from './dns-wire.js';
import { localFailure, roomForSocket, socketSlot, type LocalCause } from './open-file-limit.js';
import { searchNames, systemDnsServers } from './resolv-conf.js';

export type QueryResult = { ok: true; records: DnsRecord[]; chain: string[]; source: 'dns' | 'hosts' } | ({ ok: false; chain: string[] } & Failure);

export interface NameResolver {
  readonly servers: string[] | 'system';
  /**
   * Through the system's servers an A or AAAA name goes through resolv.conf's search list, as
   * getaddrinfo asks it; every other type (the report's CNAME and NS walk too) is asked for the
   * name as written, as dig asks it.
   */
  query(name: string, type: DnsRecordType): Promise<QueryResult>;
  /** True when the name is answered locally (/etc/hosts, localhost), without asking any server. */
  isLocal(name: string): boolean;
  /** Abort every outstanding query, and any asked later (they fail with dns.timeout). */
  cancel(): void;
  /** Aborted by `cancel()`: the attempt is over, so lookups it queued can be withdrawn. */
  readonly cancelled: AbortSignal;
  /**
   * Why a query had to wait on outage's own limits (an errno such as EMFILE, or `busy`: every
   * socket slot taken); undefined when none did. A lookup unanswered at the deadline is then not
   * the resolver's silence.
   */
  heldUp(): LocalCause | undefined;
  /**
   * The servers that let a try of this resolver's time out and never answered it, while another
   * server did (getaddrinfo waits out resolv.conf's `timeout:` on such a one too). A server that
   * answered late, or the only one asked, is the name's slow DNS, not a dead nameserver.
   */
  silentServers(): string[];
}

/**
 * Every attempt cancels its resolver when it ends; abort() without a reason makes a DOMException,
 * stack trace and all (~15 µs, at every service). Nothing reads the reason: one will do.
 */
const ATTEMPT_OVER = new Error('the attempt is over');

/** Tries per query (each to the next server), so a lost UDP packet is retried while time remains. */
const TRIES = 4;

export function createNameResolver(servers: readonly string[], timeoutMs: number): NameResolver {
  const system = servers.length === 0;
  // The system's servers are read at the first query: node:dns need not load for a check of addresses.
  let asked: DnsServer[] | undefined;
  const tryTimeoutMs = dnsTryTimeout(timeoutMs);
  const controller = new AbortController();
  let held: LocalCause | undefined;
  const hold = (cause: LocalCause) => (held = held === undefined || held === 'busy' ? cause : held);
  const seen: Seen = { silent: new Set(), answered: new Set() };
  return {
    servers: system ? 'system' : [...servers],
    cancel: () => controller.abort(ATTEMPT_OVER),
    cancelled: controller.signal,
    heldUp: () => held,
    silentServers: () => {
      const silent = [...seen.silent].filter((label) => !seen.answered.has(label));
      return silent.length > 0 && [...seen.answered].some((label) => !seen.silent.has(label)) ? silent : [];
    },
    isLocal: (name) => system && (hostsFileAddresses(name, 'A') !== undefined || hostsFileAddresses(name, 'AAAA') !== undefined),
    async query(name, type) {
      if (system && (type === 'A' || type === 'AAAA')) {
        const fromHosts = hostsFileAddresses(name, type);
        if (fromHosts) return { ok: true, source: 'hosts', chain: [], records: fromHosts.map((value) => ({ type, value })) };
      }
      if (!isValidDnsName(name)) return { ok: false, chain: [], code: 'dns.nxdomain', reason: `${name} is not a valid DNS name` };
      asked ??= (system ? systemDnsServers() : [...servers]).map(parseServer);
      if (asked.length === 0) return { ok: false, chain: [], code: 'dns.timeout', reason: `${name}: no DNS server to ask (/etc/resolv.conf lists none)` };
      const to = asked;
      const askOne = async (candidate: string): Promise<QueryResult> => {
        const response = await ask(to, candidate, type, { tryTimeoutMs, timeoutMs }, controller.signal, hold, seen);
        if (response instanceof DnsTransportError) {
          return { ok: false, chain: [], ...transportFailure(response, candidate, to, { tryTimeoutMs, timeoutMs, system }) };
        }
        const read = interpretResponse(candidate, type, response);
        if (read.ok) return { ...read, source: 'dns' };
        return { ...read, reason: system ? read.reason : `${read.reason} via ${servers.join(', ')}` };
      };
      // Addresses are asked of the system's servers as getaddrinfo asks them, through resolv.conf's
      // search list; other types as dig asks them, the name as written (a search domain's
      // wildcard TXT or MX is not the name's).
      return system && (type === 'A' || type === 'AAAA') ? searched(name, askOne) : askOne(name);
    },
  };
}

/**
 * A name asked as glibc's res_search asks it (`host`, `getent` and getaddrinfo alike), so a DNS
 * check of `intranet` — or of `app.corp` under `ndots:2` — finds what every program here finds,
 * instead of being down `dns.nxdomain` for the bare name. Each candidate in turn until one answers;
 * NXDOMAIN, "no record" and SERVFAIL go on to the next, any other failure ends the search domains
 * (the name as given is still asked). Which failure is the name's is glibc's choice too: the name
 * as given, when it was asked first; else "no record" if any name had it, else SERVFAIL if any,
 * else the last.
 */
async function searched(name: string, askOne: (candidate: string) => Promise<QueryResult>): Promise<QueryResult> {
  const { names, asGivenFirst } = searchNames(name);
  const [only] = names;
  if (names.length === 1 && only !== undefined) return askOne(only);
  const failures: Extract<QueryResult, { ok: false }>[] = [];
  let stopped = false;
  for (const candidate of names) {
    if (stopped && candidate !== name) continue;
    if (!isValidDnsName(candidate)) continue;
    const result = await askOne(candidate);
    if (result.ok) return result;
    failures.push(result);
    if (!['dns.nxdomain', 'dns.nodata', 'dns.servfail'].includes(result.code)) stopped = true;
  }
  const first = asGivenFirst ? failures[0] : undefined;
  const chosen = first ?? failures.find((f) => f.code === 'dns.nodata') ?? failures.find((f) => f.code === 'dns.servfail') ?? failures.at(-1);
  if (!chosen) return { ok: false, chain: [], code: 'dns.nxdomain', reason: `${name} is not a valid DNS name` };
  return { ...chosen, reason: `${chosen.reason} (asked as ${names.join(', ')}: resolv.conf's search list)` };
}

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
interface Seen {
  silent: Set<string>;
  answered: Set<string>;
}
const silentAt = new Map<string, number>();
const silentRecently = (server: DnsServer) => (silentAt.get(server.label) ?? -Infinity) > performance.now() - SILENCE_MEMORY_MS;

async function ask(
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

function transportFailure(error: DnsTransportError, name: string, servers: DnsServer[], how: { tryTimeoutMs: number; timeoutMs: number; system: boolean }): Failure {
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

/** RFC 1035 limits: labels of 1–63 octets, 253 in all (the root's dot aside). */
function isValidDnsName(name: string): boolean {
  const bare = name.replace(/\.$/, '');
  return bare.length > 0 && bare.length <= 253 && bare.split('.').every((label) => label.length > 0 && label.length <= 63);
}

let hostsCache: Map<string, string[]> | undefined;

/**
 * /etc/hosts and `localhost` names, as getaddrinfo would answer them. glibc matches a hosts-file
 * name exactly but for case: `intranet.` is not `intranet`'s entry (getaddrinfo asks DNS for it,
 * and curl cannot resolve it), so the trailing dot is kept on both sides.
 */
export function hostsFileAddresses(name: string, type: 'A' | 'AAAA'): string[] | undefined {
  if (isLocalhostName(name)) return [type === 'A' ? '127.0.0.1' : '::1'];
  hostsCache ??= parseHostsFile(readHostsFile());
  const addresses = hostsCache.get(name.toLowerCase())?.filter((a) => a.includes(':') === (type === 'AAAA'));
  return addresses && addresses.length > 0 ? addresses : undefined;
}

function readHostsFile(): string {
  try {
    return readFileSync('/etc/hosts', 'utf8');
  } catch {
    return '';
  }
}

export function parseHostsFile(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    for (const host of names) {
      const key = host.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), address]);
    }
  }
  return map;
}
