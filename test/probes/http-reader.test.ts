/**
 * The response reader, without a network: a response reads the same however TCP happens to split
 * it (property), and any bytes at all give a response, a body and one end, or one
 * HttpProtocolError — never another exception, never a hang-free partial state that claims done.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpProtocolError } from '../../src/probes/http/response-head.js';
import { ResponseReader } from '../../src/probes/http/response-reader.js';

interface Outcome {
  status?: number;
  headers?: Record<string, string[]>;
  body: Buffer;
  ends: number;
  extra?: boolean;
  error?: string;
}

function read(method: string, pieces: Buffer[], closeAtEnd: boolean): Outcome {
  const out: Outcome = { body: Buffer.alloc(0), ends: 0 };
  const reader = new ResponseReader(method, {
    head: (head) => {
      out.status = head.status;
      out.headers = head.headers;
    },
    data: (chunk) => {
      out.body = Buffer.concat([out.body, chunk]);
    },
    end: (extra) => {
      out.ends++;
      out.extra = extra;
    },
  });
  try {
    for (const piece of pieces) reader.push(piece);
    if (closeAtEnd) reader.finish();
  } catch (error) {
    if (!(error instanceof HttpProtocolError)) throw error;
    out.error = error.message;
  }
  return out;
}

/** Split `bytes` at the given cut points (any order, duplicates allowed). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  return pieces;
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((n) => !['content-length', 'transfer-encoding', 'connection'].includes(n.toLowerCase()));
const value = fc.stringMatching(/^[!-~]([ !-~]{0,30}[!-~])?$/);
const message = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
  interim: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
  headers: fc.array(fc.tuple(token, value), { maxLength: 8 }),
  body: fc.uint8Array({ maxLength: 3000 }),
  framing: fc.constantFrom('length', 'chunked', 'close'),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
  eol: fc.constantFrom('\r\n', '\n'),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
});

type Message = typeof message extends fc.Arbitrary<infer T> ? T : never;

function serialise(m: Message): Buffer {
  const { eol } = m;
  const body = Buffer.from(m.body);
  const interim = m.interim.map((s) => `HTTP/1.1 ${s} Info${eol}${eol}`).join('');
  const headers = m.headers.map(([n, v]) => `${n}: ${v}${eol}`).join('');
  const framing = m.framing === 'length' ? `Content-Length: ${body.length}${eol}` : m.framing === 'chunked' ? `Transfer-Encoding: chunked${eol}` : '';
  const head = Buffer.from(`${interim}HTTP/1.1 ${m.status} X${eol}${headers}${framing}${eol}`, 'latin1');
  if (m.framing !== 'chunked') return Buffer.concat([head, body]);
  const parts: Buffer[] = [head];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const size = Math.min(m.chunkSizes[i % m.chunkSizes.length]!, body.length - at);
    parts.push(Buffer.from(`${size.toString(16)};ext=${i}${eol}`), body.subarray(at, at + size), Buffer.from(eol));
    at += size;
  }
  parts.push(Buffer.from(`0${eol}Trailer-Field: t${eol}${eol}`));
  return Buffer.concat(parts);
}

describe('response reader (property)', () => {
  it('a valid response reads the same, whatever the line ends and however it is split', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = serialise(m);
        const outcome = read('GET', split(bytes, m.cuts), m.framing === 'close');
        expect(outcome.error).toBeUndefined();
        expect(outcome.status).toBe(m.status);
        expect(outcome.body.equals(Buffer.from(m.body))).toBe(true);
        expect(outcome.ends).toBe(1);
        expect(outcome.extra).toBe(false);
        for (const [name, v] of m.headers) expect(outcome.headers?.[name.toLowerCase()]).toContain(v);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('any bytes give a response or an HttpProtocolError, and the same one however they are split', () => {
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc.array(fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.0 404', '\r\n', '\n', '\r', ' ', 'Content-Length: 3', 'Content-Length: x', 'Transfer-Encoding: chunked', '5', ';', 'abc', '0', ':', '\0'), { maxLength: 30 }).map((p) => Buffer.from(p.join(''), 'latin1')),
    );
    fc.assert(
      fc.property(noise, fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom('GET', 'HEAD'), (bytes, cuts, method) => {
        // An error's text may quote fewer bytes when fewer had arrived: compare that there is one.
        // `extra` covers only bytes arriving with the end; later ones are the client's to notice.
        const outcome = (o: Outcome) => ({ ...o, error: o.error !== undefined, extra: undefined });
        const whole = read(method, [bytes], true);
        const pieces = read(method, split(bytes, cuts), true);
        expect(outcome(pieces)).toEqual(outcome(whole));
        expect(whole.ends).toBeLessThanOrEqual(1);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});

describe('response reader', () => {
  it('a response split inside a CRLF of the head end still reads', () => {
    const bytes = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    for (let cut = 1; cut < bytes.length; cut++) {
      const outcome = read('GET', [bytes.subarray(0, cut), bytes.subarray(cut)], false);
      expect([outcome.status, outcome.body.toString(), outcome.ends]).toEqual([200, 'ok', 1]);
    }
  });
});
