/**
 * A config file's bytes as text. Only UTF-8 is read: bytes that are not (a file saved as Latin-1
 * or UTF-16) were decoded to U+FFFD and read as a valid config with a name or a header silently
 * changed. A byte order mark at the start (Windows Notepad writes one) is dropped, in JSON as YAML
 * already did: JSON.parse refused it as an "unexpected token".
 */
import { ConfigError } from '../core/errors.js';

const REPLACEMENT = '\uFFFD';

/** `bytes` decoded, or a config error saying where the first byte that is not UTF-8 is. */
export function configText(bytes: Uint8Array, file: string): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.includes(REPLACEMENT)) checkUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), text, file);
  return withoutByteOrderMark(text);
}

export function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Throws when `text` (decoded from `bytes`) replaced a byte that is not UTF-8; a U+FFFD written in
 * the file as its own three bytes is text like any other.
 */
export function checkUtf8(bytes: Buffer, text: string, file: string): void {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw notUtf8('not UTF-8 but UTF-16 (it starts with a UTF-16 byte order mark): save the file as UTF-8', file);
  }
  for (let index = text.indexOf(REPLACEMENT); index >= 0; index = text.indexOf(REPLACEMENT, index + 1)) {
    const offset = Buffer.byteLength(text.slice(0, index));
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw notUtf8(`not UTF-8: byte 0x${byte} at line ${line}, column ${column} (save the file as UTF-8)`, file);
  }
}

function notUtf8(message: string, file: string): ConfigError {
  return new ConfigError([{ path: '', message: `cannot be read: ${message}` }], file, 'config.parse');
}
