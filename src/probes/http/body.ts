/**
 * Reading a response body within bounds: at most `max` raw bytes and `max` decoded bytes, then the
 * stream is destroyed — a 2 GB or trickling body costs no more than the first megabyte. Decoding
 * tolerates a truncated stream (sync flush), since the cap usually cuts a compressed body mid-way.
 */
import type { Readable, Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface BodyRead {
  rawBytes: number;
  /** From the call to the last raw byte read: the transfer as the wire saw it, decoding excluded. */
  readMs: number;
  truncated: boolean;
  text: string;
  /** Set when the stream failed before `max` bytes or its end. */
  error?: unknown;
}

export async function readBody(body: Readable, max: number, contentEncoding?: string): Promise<BodyRead> {
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
  const raw = Buffer.concat(chunks);
  const decoded = await decode(raw, contentEncoding, max);
  return { rawBytes, readMs, truncated: truncated || decoded.truncated, text: decodeText(decoded.bytes), error };
}

/**
 * Text by its byte-order mark, as browsers do: AWS Health serves its JSON as UTF-16 big-endian
 * with a BOM, and a UTF-8 reading of that is noise. Without a BOM the body is UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder().decode(bytes);
}

/**
 * Stop reading a body. Undici's body emits 'error' (UND_ERR_ABORTED) when destroyed early, and an
 * 'error' without a listener would crash the process, so one is always attached first.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'deflate':
      return createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

function decode(raw: Buffer, encoding: string | undefined, max: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const decoder = decoderFor(encoding);
  if (!decoder || raw.length === 0) return Promise.resolve({ bytes: raw, truncated: false });
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (truncated: boolean) => {
      if (finished) return;
      finished = true;
      decoder.destroy();
      resolve({ bytes: Buffer.concat(out).subarray(0, max), truncated });
    };
    decoder.on('data', (chunk: Buffer) => {
      out.push(chunk);
      size += chunk.length;
      if (size >= max) finish(true);
    });
    decoder.on('end', () => finish(false));
    // A corrupt stream still yields what decoded before the damage; content checks run on that.
    decoder.on('error', () => finish(false));
    decoder.end(raw);
  });
}
