/**
 * A response head (status line and header fields) read as browsers and curl read it, and the body
 * framing it declares. Lenient where RFC 9112 lets a recipient be (bare LF line ends, obs-fold,
 * whitespace before a colon, a missing reason phrase, NUL or a bare CR inside a value), strict
 * where the body's length would become ambiguous — that is how request smuggling and response
 * splitting work, and a checker that guesses there reports a body the server never meant.
 */
import { quoteText } from './remote-text.js';

/** A response outage cannot read as HTTP: reported as `http.protocol` with this message. */
export class HttpProtocolError extends Error {
  readonly code = 'OUTAGE_HTTP_PROTOCOL';
}

/**
 * The answer did not begin with a status line. On a reused connection this may be bytes the
 * previous answer sent past its framing (a body to a HEAD), not this answer (client.ts).
 */
export class NoStatusLineError extends HttpProtocolError {}

/** Header names lower-cased; values as latin1 strings, one character per byte, in order. */
export type ResponseHeaders = Record<string, string[]>;

export interface ResponseHead {
  status: number;
  /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
  version: number;
  headers: ResponseHeaders;
}

/** How the body ends: not at all, after a length, with the last chunk, or at connection close. */
export type Framing =
  | { kind: 'none' }
  | { kind: 'length'; length: number; transferCodings: string[] }
  | { kind: 'chunked'; transferCodings: string[] }
  | { kind: 'close'; transferCodings: string[] };

/** Browsers accept about 256 KiB of response headers (Chrome's limit); Node's 16 KiB is far less. */
export const MAX_HEAD_BYTES = 256 * 1024;

const STATUS_LINE = /^HTTP\/(\d)(?:\.(\d))?[ \t]+(\d{3})(?![0-9])/i;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True while `start` (the first bytes of a response) can still begin a status line. */
export function couldBeStatusLine(start: Buffer): boolean {
  const prefix = start.subarray(0, 5).toString('latin1').toUpperCase();
  return 'HTTP/'.startsWith(prefix);
}

/** Parse a head whose lines are already split (line terminators removed). */
export function parseHead(lines: string[]): ResponseHead {
  const statusLine = lines[0] ?? '';
  const match = STATUS_LINE.exec(statusLine);
  if (!match) throw new HttpProtocolError(`not an HTTP status line: ${quoteText(statusLine)}`);
  const status = Number(match[3]);
  if (status < 100) throw new HttpProtocolError(`invalid status code ${status}`);
  const version = Number(match[1]) * 10 + Number(match[2] ?? 0);
  // No prototype: a server's `__proto__` or `constructor` header is a header like any other.
  const headers: ResponseHeaders = Object.create(null) as ResponseHeaders;
  let last: { name: string; values: string[] } | undefined;
  for (const raw of lines.slice(1)) {
    // RFC 9110 §5.5: a recipient may replace NUL and bare CR in a value with SP; they then frame nothing.
    const line = raw.replace(/[\0\r]/g, ' ');
    if (line[0] === ' ' || line[0] === '\t') {
      // obs-fold (RFC 9112 §5.2): a user agent replaces it with SP. Before any field: ignored.
      if (last) last.values[last.values.length - 1] += ` ${trimOws(line)}`;
      continue;
    }
    const colon = line.indexOf(':');
    // Whitespace before the colon is removed, as RFC 9112 §5.1 tells a proxy to; a line that is no
    // field at all (no colon, or a name that is not a token) is skipped, as browsers skip it.
    const name = colon > 0 ? trimOws(line.slice(0, colon)).toLowerCase() : '';
    if (!TOKEN.test(name)) {
      last = undefined;
      continue;
    }
    const values = (headers[name] ??= []);
    values.push(trimOws(line.slice(colon + 1)));
    last = { name, values };
  }
  return { status, version, headers };
}

/** The framing of a response's body, by RFC 9112 §6.3; ambiguity is an error, never a guess. */
export function framingOf(head: ResponseHead, method: string): Framing {
  const { status, headers } = head;
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return { kind: 'none' };
  // `identity` was HTTP/1.1's "no coding" (RFC 2616); old servers still send it.
  const codings = listValues(headers['transfer-encoding']).filter((c) => c !== 'identity');
  // A Content-Length with no value (`header('Content-Length: ' . $size)` with no size) is no length,
  // as Chrome and Go read it: the body runs to the close. curl alone refuses it.
  const lengths = headers['content-length']?.some((v) => v.trim() !== '') ? headers['content-length'] : undefined;
  if (codings.length > 0) {
    if (lengths) {
      throw new HttpProtocolError('both Content-Length and Transfer-Encoding: the body length is ambiguous (the request-smuggling pattern)');
    }
    // `chunked` repeated at the end is the header sent twice (Spring Boot and Go servers add their
    // own to the app's), not a body chunked twice: Chrome reads it so and curl ignores the duplicate.
    let end = codings.length;
    while (end > 0 && codings[end - 1] === 'chunked') end--;
    if (end === codings.length) return { kind: 'close', transferCodings: codings };
    const others = codings.slice(0, end);
    if (others.includes('chunked')) throw new HttpProtocolError('Transfer-Encoding applies chunked twice');
    return { kind: 'chunked', transferCodings: others };
  }
  if (lengths) {
    const values = lengths.flatMap((v) => v.split(',')).map((v) => v.trim());
    const invalid = values.find((v) => !/^\d{1,15}$/.test(v));
    if (invalid !== undefined) throw new HttpProtocolError(`invalid Content-Length ${quoteText(invalid)}`);
    // Equal duplicates (`Content-Length: 2, 2`) are one length (RFC 9110 §8.6); different ones are not.
    const distinct = [...new Set(values.map(Number))];
    if (distinct.length > 1) throw new HttpProtocolError(`conflicting Content-Length values (${distinct.join(' and ')})`);
    return { kind: 'length', length: distinct[0]!, transferCodings: [] };
  }
  return { kind: 'close', transferCodings: [] };
}

/** Whether the connection may carry another request after this response. */
export function keepsAlive(head: ResponseHead): boolean {
  const connection = listValues(head.headers.connection);
  if (connection.includes('close')) return false;
  return head.version >= 11 || connection.includes('keep-alive');
}

/** A comma-separated header's items, lower-cased, from every line of it. */
export function listValues(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
}

function trimOws(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}
