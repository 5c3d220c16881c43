/**
 * The rules of the output-safety layer: what text outage did not write may look like once it is
 * printed. Reason phrases, headers, redirect targets, certificate subjects, DNS answers and
 * status-page titles all reach terminals and CI logs, and each of those reads some text as
 * instructions: escape sequences move the cursor or retitle the window, bidi overrides reorder
 * what a reader sees, a line that starts with `::` is a GitHub Actions workflow command (the
 * runner trims leading whitespace first), and `##[` or `##vso[` anywhere in a line is an Azure
 * Pipelines (and legacy Actions) logging command. Renderers reach these rules through
 * report/safe-report.ts, which applies them to every string of a report before any format sees it.
 */

// Any line break a reader may split on (CR alone splits lines for the Actions runner), with the
// blanks around it: remote text is always one line, and the renderers decide where lines end.
// eslint-disable-next-line no-control-regex
const BREAK = /[\t ]*(?:\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029])[\t ]*/g;
// C0 controls, DEL and C1 controls (NEL, CSI and OSC among them) that are left after the breaks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Invisible format characters: bidi marks, embeddings, overrides and isolates, zero-width space,
// word joiner, BOM, soft hyphen, tag characters. ZWNJ and ZWJ stay: scripts and emoji need them.
const FORMAT = /(?![\u200c\u200d])\p{Cf}/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The `#` that starts `##[` or `##vso[` (any case): escaping it leaves no command. */
export const LOGGING_COMMAND = /#(?=#(?:\[|vso\[))/gi;
// Whether a string needs any of the above; most do not, and the report has many strings.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Cs}]|##/u;

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const codePoint = (c: string) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`;

/**
 * One line of printable text from anything remote: line breaks become a space, tabs a space,
 * other controls and invisible format characters visible escapes (`\x1b`, `\u{202e}`), a lone
 * surrogate U+FFFD, and `##[` / `##vso[` `\x23#[`. Text that needs none of it comes back as is.
 */
export function safeLine(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(BREAK, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, hex)
    .replace(FORMAT, codePoint)
    .replace(LOGGING_COMMAND, '\\x23');
}

// A line that, leading blanks and colour codes aside, starts with `::`. Blanks as .NET's
// TrimStart sees them: any Unicode white space except the line break itself.
// eslint-disable-next-line no-control-regex
const COMMAND_LINE = /^((?:[^\S\n]|\u001b\[[0-9;]*m)*):(?=:)/gm;

/**
 * The last guard on finished text meant for people (the table, `-v`, `wait` and `watch` lines,
 * messages on stderr): wrapping or indentation can put any piece of a remote string at the start
 * of a line, so a line starting with `::` gets its first colon escaped (`\x3a:`), and `##[`
 * formed by joining pieces is escaped too. Never applied to `--format github`, whose own lines
 * are workflow commands (their remote parts are escaped there instead).
 */
export function guardLines(text: string): string {
  return text.replace(COMMAND_LINE, '$1\\x3a').replace(LOGGING_COMMAND, '\\x23');
}

/** A message of several lines (an error, a list of problems): each line made safe, then guarded. */
export function safeLines(text: string): string {
  return guardLines(text.split('\n').map(safeLine).join('\n'));
}

// For JSON text: everything JSON.stringify leaves raw that a terminal or log would act on.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}|#(?=#(?:\[|vso\[))/giu;

// The escape JSON.stringify writes for a lone surrogate (a pair it leaves raw). Escapes are read
// left to right, `\\` as one, so the letters after an escaped backslash (`\\ud800`) are no escape.
const ESCAPED_SURROGATE = /\\ud[89a-f]/;
const ESCAPE_PAIR_OR_SURROGATE = /\\(?:\\|u(d[89a-f][0-9a-f]{2}))/g;

/**
 * JSON text with no raw control, format character or logging command left in it, losslessly:
 * each is written as a `\uXXXX` escape, so parsing gives back exactly the same values.
 * (JSON.stringify already escapes C0 controls.) The one exception is a lone surrogate — half an
 * emoji, which only a JSON or JavaScript config can write: it becomes U+FFFD, as in every other
 * format and in UTF-8, because its `\ud800` escape is not I-JSON (RFC 7493) and jq 1.6 rejects
 * the whole document for it.
 */
export function safeJson(json: string): string {
  const whole = ESCAPED_SURROGATE.test(json) ? json.replace(ESCAPE_PAIR_OR_SURROGATE, (escape, surrogate?: string) => (surrogate ? '\\ufffd' : escape)) : json;
  return whole.replace(JSON_UNSAFE, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}
