/**
 * Body bytes to text the way a browser picks the encoding (WHATWG Encoding and HTML): a byte-order
 * mark first, then the Content-Type charset, then a `<meta charset>` or XML declaration in the
 * first 1024 bytes. Without any of those the body is UTF-8 — unless it is not valid UTF-8, when it
 * is read as windows-1252 (what a browser defaults to), so a latin1 page that declares nothing can
 * still pass a content check on its accented words.
 */

export function decodeText(bytes: Uint8Array, contentType?: string): string {
  const bom = bomEncoding(bytes);
  if (bom) return new TextDecoder(bom).decode(bytes);
  const declared = decoderFor(charsetParam(contentType)) ?? decoderFor(sniffDeclared(bytes));
  if (declared) return declared.decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  // AWS Health serves its JSON as UTF-16 big-endian with a BOM.
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** A TextDecoder for an encoding label, or undefined for a missing or unknown one. */
function decoderFor(label: string | undefined): { decode(bytes: Uint8Array): string } | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
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
