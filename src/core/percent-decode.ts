/**
 * Percent-decoding as curl does it (lib/escape.c): `%` and two hex digits is that byte, any other
 * `%` is kept as it is; the bytes are read as UTF-8. Never throws, unlike decodeURIComponent.
 */
export function percentDecodeBytes(text: string): Buffer {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1] as number, raw[i + 2] as number), 16));
      i += 2;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

export function percentDecode(text: string): string {
  return text.includes('%') ? percentDecodeBytes(text).toString('utf8') : text;
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}
