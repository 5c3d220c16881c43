/**
 * The addresses a service connects to. With no `resolvers` they are getaddrinfo's — hosts file,
 * nsswitch, search domains, a VPN's split DNS. With `resolvers` they are those servers' A and AAAA
 * answers. Either way the timing is RFC 8305's: an AAAA answer is used at once, an A answer after
 * waiting 50 ms for AAAA, and a family that answers later still joins the connection race.
 */
import { isIPv6 } from 'node:net';
import { budgetSpent } from '../core/budget.js';
import type { DnsRecord } from '../core/dns-record.js';
import { isLocalFailure, type Failure } from '../core/failure.js';
import { createAddressFeed, type AddressFeed } from './address-feed.js';
import { mostSevere } from './dns-answer.js';
import { isLocalhostName } from '../core/domain.js';
import type { NameResolver } from './dns-resolver.js';
import { localFailure, type LocalCause } from './open-file-limit.js';
import { systemSkipsAAAA } from './resolv-conf.js';
import { systemLookup, type SystemLookup } from './system-lookup.js';

/** RFC 8305 §3 "Resolution Delay": how long an A answer waits for AAAA before connecting. */
export const RESOLUTION_DELAY_MS = 50;

export type AddressType = 'A' | 'AAAA';

export interface FamilyAnswer {
  type: AddressType;
  records: DnsRecord[];
  /** CNAME hops the answer went through (known only when a DNS server was asked). */
  chain: string[];
  failure?: Failure;
  /** getaddrinfo's error code, when the system was asked and found nothing. */
  systemError?: string;
}

export interface AddressResolution {
  /** `system` asks getaddrinfo; `hosts` is a hosts-file or localhost name (localhost with configured resolvers too); `servers` asks the configured resolvers. */
  mode: 'system' | 'hosts' | 'servers';
  /** Resolves when connecting may start, or when resolution is over without an address. */
  ready: Promise<void>;
  /** Resolves when every family has answered, or at the deadline (the rest stay pending). */
  settled: Promise<void>;
  feed: AddressFeed;
  /** The families answered so far: A, then AAAA. */
  answers(): FamilyAnswer[];
  /** Families still unanswered. */
  pending(): AddressType[];
  /** Addresses handed to the connection so far (never 0.0.0.0 or ::). */
  usable(): string[];
  /** Why a lookup waited on outage's own limits (EMFILE…, or `busy`), if one did. */
  heldUp(): LocalCause | undefined;
}

export function resolveAddresses(name: string, resolver: NameResolver, deadline: AbortSignal): AddressResolution {
  // The attempt's deadline, or its end: a lookup still queued then is withdrawn.
  const signal = AbortSignal.any([deadline, resolver.cancelled]);
  const mode = resolver.isLocal(name) ? 'hosts' : resolver.servers !== 'system' ? 'servers' : 'system';
  const writer = createAddressFeed();
  const answers = new Map<AddressType, FamilyAnswer>();
  const waiting = new Set<AddressType>(['A', 'AAAA']);
  const usable: string[] = [];
  let heldA: string[] | undefined;
  let delay: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let markSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => (markSettled = resolve));
  let held: LocalCause | undefined;
  const hold = (cause: LocalCause) => (held = held === undefined || held === 'busy' ? cause : held);

  const push = (addresses: string[]) => {
    if (addresses.length === 0) return;
    usable.push(...addresses);
    writer.push(addresses);
    markReady();
  };
  const releaseA = () => {
    clearTimeout(delay);
    const held = heldA ?? [];
    heldA = undefined;
    return held;
  };
  const finish = () => {
    push(releaseA());
    writer.end();
    signal.removeEventListener('abort', finish);
    markReady();
    markSettled();
  };
  /** One family's answer, with RFC 8305's timing. */
  const arrive = (answer: FamilyAnswer) => {
    if (writer.ended) return;
    answers.set(answer.type, answer);
    waiting.delete(answer.type);
    const found = connectable(answer);
    if (answer.type === 'AAAA') push([...releaseA(), ...found]);
    else if (!waiting.has('AAAA') || found.length === 0) push(found);
    else {
      heldA = found;
      delay = setTimeout(() => push(releaseA()), RESOLUTION_DELAY_MS);
    }
    if (waiting.size === 0) finish();
  };
  /** getaddrinfo's answer for both families: the system's last word, in the system's order. */
  const arriveBoth = (found: SystemLookup) => {
    if (writer.ended) return;
    const a = fromSystem('A', found);
    // A failure for both does not undo an IPv4 answer already in (the fast path below).
    if (found.ok || !answers.get('A')?.records.length) answers.set('A', a);
    answers.set('AAAA', fromSystem('AAAA', found));
    waiting.clear();
    if (found.ok) releaseA();
    push(found.ok ? found.addresses.filter((address) => !isUnspecifiedAddress(address)) : []);
    finish();
  };

  if (signal.aborted) finish();
  else signal.addEventListener('abort', finish, { once: true });
  if (mode === 'servers') {
    for (const type of ['A', 'AAAA'] as const) {
      void resolver.query(name, type).then((r) => arrive(r.ok ? { type, records: r.records, chain: r.chain } : { type, records: [], chain: r.chain, failure: r }));
    }
  } else if (mode === 'hosts') {
    // The hosts file answers at once. `localhost` is loopback in both families (RFC 6761), as
    // curl and browsers answer it without asking.
    void (isLocalhostName(name) ? Promise.resolve<SystemLookup>({ ok: true, addresses: ['127.0.0.1', '::1'] }) : systemLookup(name, 0, signal, 'first', hold)).then(arriveBoth);
  } else {
    // getaddrinfo for both families is the system's answer, but it waits for the slower family
    // (5 s and more behind a resolver that drops AAAA): IPv4 alone, asked beside it, lets the
    // connection start on RFC 8305's timing meanwhile.
    void systemLookup(name, 4, signal, 'first', hold).then((found) => waiting.has('A') && arrive(fromSystem('A', found)));
    void systemLookup(name, 0, signal, 'background', hold).then(arriveBoth);
  }
  const ordered = () => (['A', 'AAAA'] as const).flatMap((type) => answers.get(type) ?? []);
  return { mode, ready, settled, feed: writer.feed, answers: ordered, pending: () => [...waiting], usable: () => [...usable], heldUp: () => held ?? resolver.heldUp() };
}

function connectable(answer: FamilyAnswer): string[] {
  return answer.records.map((r) => r.value).filter((address) => !isUnspecifiedAddress(address));
}

function fromSystem(type: AddressType, found: SystemLookup): FamilyAnswer {
  if (!found.ok) return { type, records: [], chain: [], systemError: found.code };
  // Addresses from getaddrinfo, so a colon is all that tells IPv6 (net.isIPv6 would compile its
  // large regular expression for it, see core/ip-version.ts).
  const v6 = type === 'AAAA';
  return { type, records: found.addresses.filter((a) => a.includes(':') === v6).map((value) => ({ type, value })), chain: [] };
}

/**
 * 0.0.0.0 and :: — what DNS filters answer for a blocked name. Connecting there reaches this
 * machine. IPv4-mapped too, however written: `::ffff:0.0.0.0`, or `::ffff:0:0` as URLs serialize it.
 */
export function isUnspecifiedAddress(address: string): boolean {
  if (!address.includes(':')) return address === '0.0.0.0';
  // Nearly every address holds a digit no unspecified one does (::1 its 1): settled here, not by
  // the regular expressions below, which V8 compiles at their first use (~0.4 ms of every check
  // of a name with an IPv6 address, localhost's included).
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i) | 0x20; // ASCII letters in lower case
    if ((c >= 0x31 && c <= 0x39) || (c >= 0x61 && c <= 0x65)) return false; // 1-9, a-e
  }
  const lower = address.toLowerCase();
  return (/^[0:]*:ffff:(?:0\.0\.0\.0|0{1,4}:0{1,4})$/.test(lower) || /^[0:]*$/.test(lower)) && isIPv6(address);
}

/**
 * Why no address could be connected to. A name answered only with 0.0.0.0 or :: is blocked; the
 * configured servers' failures carry their rcode; the system's (getaddrinfo's ENOTFOUND, which
 * covers NXDOMAIN, NODATA and a dangling CNAME alike) are classified by asking its DNS servers.
 */
export async function explainNoAddress(resolution: AddressResolution, name: string, resolver: NameResolver, signal: AbortSignal): Promise<Failure> {
  const answers = resolution.answers();
  const blocked = answers.flatMap((a) => a.records.map((r) => r.value)).filter(isUnspecifiedAddress);
  if (blocked.length > 0) {
    const by = resolution.mode === 'hosts' ? 'the hosts file' : 'a DNS filter (Pi-hole, corporate DNS)';
    return { code: 'dns.blocked', reason: `${name} resolves to ${[...new Set(blocked)].join(' and ')}: blocked by ${by}` };
  }
  if (resolution.pending().length > 0) {
    // Unanswered because outage could not ask in time (no file for a socket): the resolver's silence is not known.
    const held = resolution.heldUp();
    if (held) return localFailure(`${name}: no address`, held);
    const spent = budgetSpent(signal);
    const who = resolution.mode === 'servers' ? `resolver ${(resolver.servers as string[]).join(', ')}` : 'the system resolver (getaddrinfo)';
    return { code: 'dns.timeout', reason: `${name}: no address from ${who} ${spent ?? 'before it was stopped'}` };
  }
  const failures = answers.flatMap((a) => (a.failure ? [{ ...a.failure, type: a.type }] : []));
  if (resolution.mode === 'servers' && failures.length > 0) return mostSevere(failures, name, ['A', 'AAAA']);
  if (resolution.mode !== 'system') return { code: 'dns.nodata', reason: `${name} has no address` };
  return classifySystemFailure(answers, name, resolver);
}

/** getaddrinfo found nothing: its DNS servers, asked directly, say why (SERVFAIL, NXDOMAIN, a dangling CNAME…). */
async function classifySystemFailure(answers: FamilyAnswer[], name: string, resolver: NameResolver): Promise<Failure> {
  const asked = await Promise.all((['A', 'AAAA'] as const).map(async (type) => ({ type, result: await resolver.query(name, type) })));
  const failures = asked.flatMap(({ type, result }) => (result.ok ? [] : [{ type, code: result.code, reason: result.reason }]));
  const errors = [...new Set(answers.flatMap((a) => (a.systemError ? [a.systemError] : [])))].join(', ') || 'no address';
  // Its servers could not be asked for want of a socket: nothing says the name is missing.
  const local = failures.find((f) => isLocalFailure(f.code));
  if (local) return { code: local.code, reason: local.reason };
  if (failures.length === asked.length) return mostSevere(failures, name, ['A', 'AAAA']);
  // DNS answers, yet the system does not use the answer (nsswitch without dns, a name that only
  // resolves through search domains DNS cannot see…): the system's word is the one that counts.
  const temporary = errors.includes('EAI_AGAIN');
  return {
    code: temporary ? 'dns.timeout' : 'dns.nxdomain',
    reason: `${name}: the system resolver finds no address (getaddrinfo ${errors}), though its DNS servers answer`,
  };
}

/**
 * The families that failed while the other answered, once resolution is settled (call it after
 * `settled`). The configured servers' failures are theirs as answered. The system's: getaddrinfo
 * for both families hides one family's failure behind the other's answer, so a family missing
 * from it is asked again alone; EAI_AGAIN (SERVFAIL, a resolver timeout) is a failure, while "no
 * such record" (ENOTFOUND, EAI_NODATA) is a name without that family: normal. A family still
 * unanswered at the deadline timed out, unless outage stopped it (an interrupt, its own limits).
 * A hosts-file name never fails partly.
 */
export async function familyFailures(resolution: AddressResolution, name: string, resolver: NameResolver, signal: AbortSignal): Promise<(Failure & { type: AddressType })[]> {
  if (resolution.mode === 'hosts' || resolution.usable().length === 0) return [];
  const who = resolution.mode === 'servers' ? `resolver ${(resolver.servers as string[]).join(', ')}` : 'the system resolver (getaddrinfo)';
  // Only the deadline judges silence: not an interrupt, nor the end of an attempt that moved on.
  const unanswered = budgetSpent(signal) === undefined || resolution.heldUp() ? [] : resolution.pending();
  const timedOut = unanswered.map((type) => ({ type, code: 'dns.timeout' as const, reason: `${name}: no ${type} answer from ${who} ${budgetSpent(signal) ?? 'before it was stopped'}` }));
  const answers = resolution.answers();
  if (resolution.mode === 'servers') return [...answers.flatMap((a) => (a.failure ? [{ ...a.failure, type: a.type }] : [])), ...timedOut];
  // `options no-aaaa`: the system never asks for AAAA, so its absence is nothing to judge.
  const asks = (type: AddressType) => type === 'A' || !systemSkipsAAAA();
  const missing = await Promise.all(answers.filter((a) => a.records.length === 0 && asks(a.type)).map((a) => systemFamilyFailure(a, name, resolver, signal)));
  return [...missing.flat(), ...timedOut.filter((failure) => asks(failure.type))];
}

/**
 * A family the system found nothing for while the other answered. Its DNS servers, asked
 * directly, say "no such record" for an IPv4-only name at once (no lookup thread is taken); only
 * when they fail is getaddrinfo asked for that family alone, whose EAI_AGAIN is the failure.
 */
async function systemFamilyFailure(answer: FamilyAnswer, name: string, resolver: NameResolver, signal: AbortSignal): Promise<(Failure & { type: AddressType })[]> {
  const { type } = answer;
  const asked = await resolver.query(name, type);
  if (answer.systemError === undefined && (asked.ok || asked.code === 'dns.nodata' || asked.code === 'dns.nxdomain')) return [];
  let held = false;
  const alone = answer.systemError ? undefined : await systemLookup(name, type === 'A' ? 4 : 6, signal, 'background', () => (held = true));
  // Asked alone, the family was still unanswered at the deadline (its servers silent too): a timeout.
  const cut = alone?.ok === false && alone.code === 'ECANCELLED' && !held && budgetSpent(signal) !== undefined;
  const error = answer.systemError ?? (alone?.ok === false ? (cut ? 'EAI_AGAIN' : alone.code) : undefined);
  if (error !== 'EAI_AGAIN') return [];
  const said = `${name}: the system resolver could not get the ${type} records (getaddrinfo EAI_AGAIN`;
  if (!asked.ok && (asked.code === 'dns.servfail' || asked.code === 'dns.refused')) return [{ type, code: asked.code, reason: `${said}; its DNS server, asked directly: ${asked.reason})` }];
  return [{ type, code: 'dns.timeout', reason: `${said})` }];
}

/** Resolve quietly for a connection (a redirect hop, `dns: false`): a feed to connect to, or why there is none. */
export async function resolveForConnect(name: string, resolver: NameResolver, signal: AbortSignal): Promise<{ ok: true; feed: AddressFeed } | { ok: false; failure: Failure }> {
  const resolution = resolveAddresses(name, resolver, signal);
  await resolution.ready;
  if (resolution.usable().length > 0) return { ok: true, feed: resolution.feed };
  return { ok: false, failure: await explainNoAddress(resolution, name, resolver, signal) };
}
