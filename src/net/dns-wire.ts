/**
 * One DNS question to one server, over UDP (TCP when the answer is truncated): a stub resolver's
 * transport. outage asks servers itself rather than through c-ares because c-ares accepts records
 * for names that were not asked (it dropped that check on purpose) and, once a server has
 * refused, can wait out whole per-try timeouts; here the caller sees every answer's owner names,
 * and a closed port fails in the time the refusal takes to arrive.
 */
import { connect as netConnect } from 'node:net';
import { ipVersion } from '../core/ip-version.js';
import * as packet from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { isLocalExhaustion } from './open-file-limit.js';
import { deadlineTimer } from '../core/budget.js';

export interface DnsServer {
  host: string;
  port: number;
  /** As the user wrote it (`1.1.1.1`, `127.0.0.1:5353`, `[::1]:53`), for messages. */
  label: string;
}

/** An answer record (OPT pseudo-records are not answers). */
export type RecordAnswer = Exclude<packet.Answer, packet.OptAnswer>;

export interface DnsResponse {
  rcode: string;
  answers: RecordAnswer[];
}

/**
 * Why no response came: the server's port was closed, the try timed out, the answer was
 * unreadable, the query was cancelled — or, ELOCAL, outage could not open a socket to ask
 * (`errno` says why: EMFILE…), which says nothing of the server.
 */
export class DnsTransportError extends Error {
  constructor(
    readonly code: 'ECONNREFUSED' | 'ETIMEOUT' | 'EBADRESP' | 'ECANCELLED' | 'ENETUNREACH' | 'ELOCAL',
    readonly errno?: string,
    /** Over TCP, after the UDP answer came truncated: the server answers, its TCP side does not. */
    readonly afterTruncation = false,
  ) {
    super(code);
  }
}

/** `1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:53` (the forms the config accepts). */
export function parseServer(label: string): DnsServer {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(label);
  if (bracketed) return { host: bracketed[1] as string, port: Number(bracketed[2] ?? 53), label };
  if (ipVersion(label)) return { host: label, port: 53, label };
  const withPort = /^(.+):(\d+)$/.exec(label);
  return withPort ? { host: withPort[1] as string, port: Number(withPort[2]), label } : { host: label, port: 53, label };
}

/**
 * EDNS0 with a 1232-byte UDP payload (the DNS Flag Day 2020 size, as c-ares, dig and
 * systemd-resolved send): answers up to that size need no TCP, which some networks block.
 */
const EDNS_UDP_PAYLOAD = 1232;

export async function exchange(server: DnsServer, name: string, type: RecordType, timeoutMs: number, signal: AbortSignal, edns = true): Promise<DnsResponse> {
  // node:crypto and node:dgram load with the first query: a check of addresses sends none.
  const id = process.getBuiltinModule('node:crypto').randomInt(0, 65536);
  const opt: packet.OptAnswer = { type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
  const additionals = edns ? [opt] : [];
  const query = packet.encode({ id, type: 'query', flags: packet.RECURSION_DESIRED, questions: [{ type, name }], additionals });
  const udp = await overUdp(server, query, timeoutMs, signal, (message) => matches(message, id, name, type));
  // TC: the answer did not fit a datagram; ask again over TCP, as every stub resolver does.
  if (!udp.flag_tc) return response(udp);
  try {
    return response(await overTcp(server, query, timeoutMs, signal, (message) => matches(message, id, name, type)));
  } catch (error) {
    // A refusal here is of DNS over TCP (firewalled, or not served), not of the server: it answered.
    if (error instanceof DnsTransportError && error.code === 'ECONNREFUSED') throw new DnsTransportError(error.code, error.errno, true);
    throw error;
  }
}

function response(decoded: Decoded): DnsResponse {
  // dns-packet decodes the rcode; its type declarations leave it out.
  const rcode = (decoded as Decoded & { rcode?: string }).rcode ?? 'NOERROR';
  return { rcode, answers: (decoded.answers ?? []).filter((a): a is RecordAnswer => a.type !== 'OPT') };
}

type Decoded = ReturnType<typeof packet.decode>;

/** A response to this query: same id and question. Anything else (stray, spoofed, late) is not. */
function matches(message: Buffer, id: number, name: string, type: RecordType): Decoded | undefined {
  let decoded: Decoded;
  try {
    decoded = packet.decode(message);
  } catch {
    return undefined;
  }
  const question = decoded.questions?.[0];
  if (decoded.type !== 'response' || decoded.id !== id || !question) return undefined;
  return question.type === type && sameName(question.name, name) ? decoded : undefined;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

/** Settles once: with a value, a transport error, at the try's timeout, or on cancel. */
function bounded<T>(timeoutMs: number, signal: AbortSignal, run: (settle: (result: T | DnsTransportError) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup: () => void = () => {};
    let done = false;
    const settle = (result: T | DnsTransportError) => {
      if (done) return;
      done = true;
      cancelTimer();
      signal.removeEventListener('abort', onAbort);
      cleanup();
      if (result instanceof DnsTransportError) reject(result);
      else resolve(result);
    };
    const onAbort = () => settle(new DnsTransportError('ECANCELLED'));
    // A try's timeout, like the budget's, first reads an answer that arrived while outage was busy.
    const cancelTimer = deadlineTimer(timeoutMs, () => settle(new DnsTransportError('ETIMEOUT')));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const stop = run(settle);
    if (done) stop();
    else cleanup = stop;
  });
}

function transportError(error: NodeJS.ErrnoException): DnsTransportError {
  if (isLocalExhaustion(error.code)) return new DnsTransportError('ELOCAL', error.code);
  if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') return new DnsTransportError('ECONNREFUSED');
  return new DnsTransportError(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes(error.code ?? '') ? 'ENETUNREACH' : 'ETIMEOUT');
}

function overUdp(server: DnsServer, query: Buffer, timeoutMs: number, signal: AbortSignal, accept: (m: Buffer) => Decoded | undefined): Promise<Decoded> {
  return bounded<Decoded>(timeoutMs, signal, (settle) => {
    const socket = process.getBuiltinModule('node:dgram').createSocket(ipVersion(server.host) === 6 ? 'udp6' : 'udp4');
    let closed = false;
    // Connected, so the kernel reports an ICMP port unreachable as ECONNREFUSED at once.
    socket.on('error', (error) => settle(transportError(error)));
    socket.on('message', (message) => {
      const decoded = accept(message);
      if (decoded) settle(decoded);
    });
    // A failed connect (no route to the server) comes to this callback, not to 'error'.
    socket.connect(server.port, server.host, (...args: unknown[]) => {
      const failed = args[0] as NodeJS.ErrnoException | undefined;
      if (closed) return;
      if (failed) return settle(transportError(failed));
      socket.send(query, (error) => error && settle(transportError(error)));
    });
    return () => {
      closed = true;
      try {
        socket.close();
      } catch {
        // Already closed by an error: nothing to release.
      }
    };
  });
}

function overTcp(server: DnsServer, query: Buffer, timeoutMs: number, signal: AbortSignal, accept: (m: Buffer) => Decoded | undefined): Promise<Decoded> {
  return bounded<Decoded>(timeoutMs, signal, (settle) => {
    const socket = netConnect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    socket.on('error', (error) => settle(transportError(error)));
    socket.on('connect', () => socket.write(Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query])));
    socket.on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      settle(accept(buffered.subarray(2, 2 + buffered.readUInt16BE(0))) ?? new DnsTransportError('EBADRESP'));
    });
    socket.on('end', () => settle(new DnsTransportError('EBADRESP')));
    return () => socket.destroy();
  });
}
