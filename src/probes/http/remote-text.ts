/** Text a remote server chose, made safe to put in a reason that every output format prints. */

/**
 * Remote text in a reason, safe to print anywhere: quoted, at most `max` characters, every
 * control, format or non-ASCII-printable character escaped, so it cannot move a cursor, reorder a
 * line (bidi overrides) or break out of its quotes.
 */
export function quoteText(text: string, max = 80): string {
  const chars = [...text];
  const cut = chars.length > max ? chars.slice(0, max) : chars;
  const escaped = cut
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === '"' || c === '\\') return `\\${c}`;
      if (code < 0x20 || (code >= 0x7f && code < 0xa0) || /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u.test(c)) {
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
      }
      return c;
    })
    .join('');
  return `"${escaped}${chars.length > max ? '…' : ''}"`;
}
