/**
 * Reading a response body within bounds: at most `max` raw bytes and `max` decoded bytes, then the
 * stream is destroyed — a 2 GB or trickling body costs no more than the first megabyte. Decoded as
 * `curl --compressed` decodes (gzip, zlib and raw deflate, br, and zstd where Node has it), each
 * coding undone in reverse order, then to text by its charset (charset.ts). A body cut at the cap
 * decodes as far as it goes; a body that was complete but does not decode is reported as corrupt,
 * never silently matched on what decoded before the damage.
 */
import type { Readable, Transform } from 'node:stream';
import { decodeText } from './charset.js';
import { gzipMembersEnd } from './gzip-members.js';
import { quoteText } from './remote-text.js';

export { decodeText } from './charset.js';

export interface BodyRead {
  rawBytes: number;
  /** From the call to the last raw byte read: the transfer as the wire saw it, decoding excluded. */
  readMs: number;
  truncated: boolean;
  text: string;
  /** Set when the stream failed before `max` bytes or its end. */
  error?: unknown;
  /** Why the body could not be decoded (corrupt, or an unknown coding): the text is then unreliable. */
  problem?: string;
  /**
   * The problem is a coding outage does not know, left undone: the text is the body as sent, which
   * is what browsers show for a coding they do not know either (`Content-Encoding: UTF-8`).
   */
  asSent?: boolean;
}

export interface BodyCodings {
  /** Codings in the order the server applied them (Content-Encoding, then Transfer-Encoding's). */
  codings: string[];
  contentType?: string;
}

export async function readBody(body: Readable, max: number, { codings, contentType }: BodyCodings): Promise<BodyRead> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  let rawBytes = 0;
  let truncated = false;
  let error: unknown;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const take = Math.min(chunk.length, max - rawBytes);
      chunks.push(take < chunk.length ? chunk.subarray(0, take) : chunk);
      rawBytes += take;
      if (rawBytes >= max) {
        truncated = true;
        break;
      }
    }
  } catch (caught) {
    error = caught;
  } finally {
    discardBody(body);
  }
  const readMs = performance.now() - started;
  let decoded: Decoded = { bytes: Buffer.concat(chunks), truncated: truncated || error !== undefined };
  for (const coding of [...codings].reverse()) {
    decoded = await undo(coding, decoded, max);
    if (decoded.problem) break;
  }
  const { problem, asSent } = decoded;
  return { rawBytes, readMs, truncated: truncated || decoded.truncated, text: decodeText(decoded.bytes, contentType), error, problem, ...(asSent ? { asSent } : {}) };
}

/**
 * Stop reading a body. A destroyed body may emit 'error', and an 'error' without a listener would
 * crash the process, so one is always attached first.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

interface Decoded {
  bytes: Buffer;
  /** Cut short (by the size cap or a failed read): an unfinished stream is then no fault. */
  truncated: boolean;
  problem?: string;
  asSent?: boolean;
}

function decoderFor(coding: string, bytes: Buffer, truncated: boolean): Transform | undefined {
  // Loaded for the first encoded body, not at start-up (~1 ms of every check).
  const zlib = process.getBuiltinModule('node:zlib');
  // A stream cut by the cap ends mid-block: flush what decoded instead of failing on its end.
  const finishFlush = truncated ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.Z_FINISH;
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush });
    case 'deflate':
      // "deflate" should be zlib (RFC 9110 §8.4.1.2), but servers send raw deflate too; curl and
      // browsers accept both, told apart by the zlib header's check bits.
      return isZlibHeader(bytes) ? zlib.createInflate({ finishFlush }) : zlib.createInflateRaw({ finishFlush });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: truncated ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.BROTLI_OPERATION_FINISH });
    case 'zstd': {
      // Node 22.15+ and 23.8+; on older Node a zstd body is a coding outage cannot decode.
      const create = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      return create?.();
    }
    default:
      return undefined;
  }
}

function isGzip(coding: string): boolean {
  return coding === 'gzip' || coding === 'x-gzip';
}

function isZlibHeader(bytes: Buffer): boolean {
  return bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
}

function undo(coding: string, input: Decoded, max: number): Promise<Decoded> {
  // `none` is curl's other name for identity (PHP's `header('Content-Encoding: none')` idiom).
  if (coding === 'identity' || coding === 'none' || input.bytes.length === 0) return Promise.resolve(input);
  const decoder = decoderFor(coding, input.bytes, input.truncated);
  if (!decoder) return Promise.resolve({ ...input, problem: `the body is encoded as ${quoteText(coding, 40)}, which outage cannot decode`, asSent: true });
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (result: Omit<Decoded, 'bytes'>) => {
      if (finished) return;
      finished = true;
      decoder.destroy();
      resolve({ bytes: Buffer.concat(out).subarray(0, max), ...result });
    };
    decoder.on('data', (chunk: Buffer) => {
      out.push(chunk);
      size += chunk.length;
      // A decompression bomb stops at the cap, like the raw body.
      if (size >= max) finish({ truncated: true });
    });
    decoder.on('end', () => finish({ truncated: input.truncated }));
    decoder.on('error', (error: Error) => {
      // Junk after the last whole gzip member: decoded as browsers decode it, the junk ignored.
      const membersEnd = finished || input.truncated || !isGzip(coding) ? undefined : gzipMembersEnd(input.bytes, max);
      if (membersEnd !== undefined) {
        finished = true;
        decoder.destroy();
        resolve(undo(coding, { ...input, bytes: input.bytes.subarray(0, membersEnd) }, max));
        return;
      }
      finish({ truncated: input.truncated, problem: `the ${coding} body is corrupt (${error.message})` });
    });
    decoder.end(input.bytes);
  });
}
