/**
 * Escaping for each kind of output. Much of what a report holds comes from the other side of the
 * network (certificate subjects, DNS TXT answers, redirect targets): it must never be able to
 * inject terminal escape sequences, XML, markdown or workflow commands.
 */

// C0 controls except newline, DEL, and C1 controls; written as \xNN so they stay visible.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Unicode line breaks besides \n that some parsers split on (NEL, line and paragraph separator). */
export const UNICODE_BREAKS = /[\u0085\u2028\u2029]/g;

/** One line for line-oriented formats (nagios, workflow commands, TAP descriptions). */
export function oneLine(text: string): string {
  return terminalSafe(text).replace(UNICODE_BREAKS, ' ').replace(/\s*\r?\n\s*/g, ' ').trim();
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text that is valid Unicode: a lone surrogate (half of an emoji, cut) becomes U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

// Characters XML 1.0 cannot hold at all, even escaped (most C0 controls, lone surrogates, U+FFFE/F).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element text: markup escaped, characters XML cannot hold replaced; newlines kept as they are. */
export function escapeXmlText(text: string): string {
  return text.replace(XML_INVALID, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: also quotes, and whitespace as character references so parsers keep it. */
export function escapeXml(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Text inside a markdown table cell: no pipes, newlines or raw HTML. */
export function markdownCell(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]])/g, '\\$1');
}
