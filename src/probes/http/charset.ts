/**
 * Body bytes to text the way a browser picks the encoding (WHATWG Encoding and HTML): a byte-order
 * mark first, then the Content-Type charset, then a `<meta charset>` or XML declaration in the
 * first 1024 bytes. Without any of those the body is UTF-8 — unless it is not valid UTF-8, when it
 * is read as windows-1252 (what a browser defaults to), so a latin1 page that declares nothing can
 * still pass a content check on its accented words.
 */
import { TextDecoder } from 'node:util';

export function decodeText(bytes: Uint8Array, contentType?: string): string {
  const bom = bomEncoding(bytes);
  if (bom) return decodeWith(decoderFor(bom) as TextDecoder, bytes);
  const declared = decoderFor(charsetParam(contentType)) ?? decoderFor(sniffDeclared(bytes));
  if (declared) return decodeWith(declared, bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeWith(decoderFor('windows-1252') as TextDecoder, bytes);
  }
}

/**
 * Node 20's windows-1252 decoder (also what `latin1`, `iso-8859-1` and `ascii` name) reads bytes
 * 0x80–0x9F as C1 controls, as ISO-8859-1 does, where the Encoding standard and every browser read
 * “ ” ‘ ’ – — € …: a content check for a curly-quoted phrase on such a page would fail on a page a
 * browser shows with it. Those 27 are mapped as the standard does; Node versions that decode them
 * right leave no C1 character to map.
 */
function decodeWith(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  return decoder.encoding === 'windows-1252' ? text.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c) : text;
}

// WHATWG index-windows-1252 for 0x80–0x9F; the five bytes it leaves undefined map to themselves.
const WINDOWS_1252_C1 = [...'\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178'];

/**
 * Decoders kept by label: making one looks its label up in the WHATWG table (~30 µs, once per
 * service at a thousand services). A decode() without `stream` starts afresh, so one can be shared,
 * a fatal one too after it throws. Only labels the table knows are kept, so a server cannot grow it.
 */
const decoders = new Map<string, TextDecoder>();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  // AWS Health serves its JSON as UTF-16 big-endian with a BOM.
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** A TextDecoder for an encoding label, or undefined for a missing or unknown one. */
function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (!label) return undefined;
  const key = label.trim().toLowerCase();
  let decoder = decoders.get(key);
  if (!decoder) {
    try {
      decoder = new TextDecoder(key);
    } catch {
      return undefined;
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

function charsetParam(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

/** `<meta charset=…>`, `<meta http-equiv=Content-Type content="…; charset=…">`, `<?xml … encoding=…?>`. */
function sniffDeclared(bytes: Uint8Array): string | undefined {
  const start = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?([\w.:-]+)/i.exec(start);
  // A page readable as ASCII is not UTF-16, whatever its meta says (HTML's prescan rule).
  if (meta) return /^utf-16/i.test(meta[1]!) ? 'utf-8' : meta[1];
  return /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(start)?.[1];
}
