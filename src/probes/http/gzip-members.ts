/**
 * Where the whole gzip members at the start of a body end. Node's gunzip reads any byte after a
 * member (other than NUL padding) as the start of another member and fails on it, where browsers
 * decode the members and ignore what follows: a PHP page whose ob_gzhandler output is followed by
 * a stray newline, or a proxy that appends a banner, shows normally in every browser.
 */

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;

/**
 * The length of the leading run of complete gzip members when what follows them cannot start a
 * member (so it is trailing junk, not a damaged member); undefined when the first member is not
 * whole or what follows looks like a member of its own (then it is corrupt, and said so).
 */
export function gzipMembersEnd(bytes: Buffer, maxOutput: number): number | undefined {
  let end = 0;
  for (;;) {
    const next = memberEnd(bytes, end, maxOutput);
    if (next === undefined) break;
    end = next;
  }
  if (end === 0 || end === bytes.length) return undefined;
  return bytes[end] === 0x1f && (end + 1 === bytes.length || bytes[end + 1] === 0x8b) ? undefined : end;
}

/** The end of the member starting at `start` (header, deflate data, 8-byte trailer), if it is whole. */
function memberEnd(bytes: Buffer, start: number, maxOutput: number): number | undefined {
  if (bytes.length - start < 18 || bytes[start] !== 0x1f || bytes[start + 1] !== 0x8b || bytes[start + 2] !== 8) return undefined;
  const flags = bytes[start + 3]!;
  let at = start + 10;
  if (flags & FLAG_EXTRA) at += 2 + bytes.readUInt16LE(at);
  if (flags & FLAG_NAME) at = bytes.indexOf(0, at) + 1;
  if (flags & FLAG_COMMENT) at = bytes.indexOf(0, at) + 1;
  if (flags & FLAG_HCRC) at += 2;
  if (at <= start || at >= bytes.length) return undefined;
  const zlib = process.getBuiltinModule('node:zlib');
  try {
    // The raw deflate stream stops at its own end; bytesWritten is how much input it used. The
    // output is only measured here (bounded like any body: a bomb throws and is no whole member);
    // the caller decodes the members again, their trailers checked.
    const { engine } = zlib.inflateRawSync(bytes.subarray(at), { info: true, maxOutputLength: maxOutput }) as unknown as { engine: { bytesWritten: number } };
    const end = at + engine.bytesWritten + 8;
    return end <= bytes.length ? end : undefined;
  } catch {
    return undefined;
  }
}
