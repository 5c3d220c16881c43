/**
 * The last line of defence for secrets: every byte outage writes passes through a redactor that
 * replaces known secret values (env-interpolated values, URL credentials, auth header values)
 * with `***`. The report is redacted before any renderer sees it (so no escaping can hide a
 * secret from the match) and the rendered text again after.
 *
 * A secret reaches output in many spellings: the URL parser drops a trailing newline or
 * percent-encodes a space, a form encodes it with `+`, Basic auth wraps it in base64, JSON and XML
 * escape its quotes. `secretSpellings` lists them all, and the redactor matches every one.
 */
import { domainToASCII } from 'node:url';
import { DNS_RECORD_TYPES } from './dns-record.js';
import { FAILURE_CODES } from './failure.js';
import { escapeMarkdownText } from './markdown-text.js';
import { percentDecode } from './percent-decode.js';
import { PROBE_KINDS } from './probe-kind.js';
import { STATUSES } from './status.js';
import { STATUS_KINDS } from './vendor-status.js';

export type Redact = (text: string) => string;

/** Secrets (and spellings) shorter than this would turn ordinary words into `***`. */
export const MIN_SECRET_LENGTH = 3;
/** A base64 run found inside a longer one (`user:pass` around a password) must be this long. */
const MIN_BASE64_CORE = 8;

/** The redactor of a run with no secrets: one value, so that what it would leave alone is not walked. */
export const NO_SECRETS: Redact = (text) => text;

export function createRedactor(secrets: Iterable<string>): Redact {
  const plain = new Set<string>();
  const base64 = new Set<string>();
  for (const secret of new Set(secrets)) {
    for (const form of secretSpellings(secret)) plain.add(form);
    for (const core of base64Cores(secret)) base64.add(core);
  }
  for (const form of base64) plain.delete(form);
  if (plain.size === 0 && base64.size === 0) return NO_SECRETS;
  const matcher = new Matcher([...plain].map((text) => ({ text, base64: false })).concat([...base64].map((text) => ({ text, base64: true }))));
  return (text) => matcher.redact(text);
}

/**
 * Every spelling of a secret outage or a renderer could print: as given and trimmed (a file's
 * newline), as the URL parser keeps it (tab and newlines removed), percent-decoded as curl decodes
 * it, percent-encoded by each WHATWG encode set and encodeURIComponent, form-encoded, base64 (and
 * base64url) of it alone, lower- and upper-cased, punycoded as a host, and JSON-, XML- and
 * markdown-escaped. Hex digits of `%XX` match in either case (see Matcher).
 */
export function secretSpellings(secret: string): string[] {
  const bases = new Set<string>([secret]);
  const trimmed = secret.trim();
  bases.add(trimmed);
  // The URL parser strips leading and trailing C0 controls and spaces, and tab and newlines anywhere.
  // eslint-disable-next-line no-control-regex
  bases.add(secret.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''));
  for (const base of [...bases]) {
    bases.add(percentDecode(base));
    bases.add(percentDecode(base.replace(/\+/g, ' ')));
  }
  const forms = new Set<string>();
  for (const base of bases) {
    if (base.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodings(base)) forms.add(form);
  }
  // A value with surrounding whitespace is matched without it, so a line break after it stays.
  if (trimmed !== secret && trimmed.length >= MIN_SECRET_LENGTH) forms.delete(secret);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

function encodings(text: string): string[] {
  const safe = wellFormed(text);
  const component = encodeURIComponent(safe);
  // Twice encoded too: a server that puts a URL it was given into the query of another.
  const out = [text, safe, component, encodeURIComponent(component), encodeURI(safe), new URLSearchParams({ a: safe }).toString().slice(2)];
  out.push(...whatwgEncodings(safe));
  const bytes = Buffer.from(safe);
  out.push(bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, ''));
  // As a host name: lower-cased and punycoded. A `#`, `?`, `/` or `\` ends a host, so the host
  // spelling of `tok#1abc` is only `tok`, which would turn every "tok" of the output into ***.
  const host = /[#?/\\]/.test(safe) ? '' : domainToASCII(safe);
  if (host) out.push(host);
  // Lower- and upper-cased: a host is lower-cased, and a server that answers in capitals (an old
  // protocol's `-ERR UNKNOWN COMMAND 'TOKEN…'`) shouts back what it was sent.
  out.push(safe.toLowerCase(), safe.toUpperCase());
  for (const form of [...out]) out.push(...escapings(form));
  return out;
}

/** What the URL serializer makes of the text in each part of a URL (special and not). */
function whatwgEncodings(text: string): string[] {
  const out: string[] = [];
  for (const base of ['http://h/', 'x://h/']) {
    const url = new URL(base);
    url.password = text;
    out.push(url.password);
    url.password = '';
    url.pathname = `/${text}`;
    out.push(url.pathname.slice(1));
    url.search = `?${text}`;
    out.push(url.search.slice(1));
    url.hash = `#${text}`;
    out.push(url.hash.slice(1));
  }
  return out;
}

/** The escapes renderers apply: JSON strings, XML text and attributes, markdown, terminal controls. */
function escapings(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const jsonAscii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const xmlText = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xmlAttr = xmlText.replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const xmlNumeric = xmlText.replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  const markdown = text.replace(/[\\`*_[\]|<>#!()~{}+.-]/g, '\\$&');
  // eslint-disable-next-line no-control-regex
  const terminal = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  // The markdown renderer's own spelling (`p@&#8203;ss`, `a\\_b.c`), beside the fully escaped one; and
  // as it is written after a letter, where `GH-1` and `www.` get no zero-width space (`\b`).
  return [json, jsonAscii, xmlText, xmlAttr, xmlNumeric, markdown, markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), escapeMarkdownText(text), escapeMarkdownText(`a${text}`).slice(1), terminal];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Half an emoji becomes U+FFFD, as the URL parser and UTF-8 encoding make it. */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}


/**
 * The base64 of any text holding the secret holds one of three runs, one per alignment of the
 * secret on base64's 3-byte groups: `Basic base64(user:pass)` holds one for the password whatever
 * the user. Only runs long enough not to occur by chance are kept; a match is widened to the
 * whole base64 word around it (see Matcher), so no neighbouring character leaks a bit of it.
 */
function base64Cores(secret: string): string[] {
  const cores: string[] = [];
  for (const text of new Set([secret, secret.trim()])) {
    const bytes = Buffer.from(wellFormed(text));
    for (let offset = 0; offset < 3; offset++) {
      const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
      const first = offset === 0 ? 0 : 1;
      const last = Math.floor(padded.length / 3);
      if (last <= first) continue;
      const core = padded.toString('base64').slice(4 * first, 4 * last);
      if (core.length < MIN_BASE64_CORE) continue;
      cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return cores;
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

/**
 * Many fixed strings matched at once: candidates are found by their first three characters, the
 * longest wins, left to right (a regular expression of thousands of alternatives is slow on a
 * large report). Text and patterns are compared with `%XX` hex folded to lower case.
 */
class Matcher {
  private readonly byPrefix = new Map<number, { text: string; base64: boolean }[]>();

  constructor(patterns: { text: string; base64: boolean }[]) {
    for (const pattern of patterns) {
      const folded = foldHex(pattern.text);
      const key = prefixKey(folded, 0);
      const list = this.byPrefix.get(key) ?? [];
      list.push({ text: folded, base64: pattern.base64 });
      this.byPrefix.set(key, list);
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.text.length - a.text.length);
  }

  redact(text: string): string {
    const folded = foldHex(text);
    let out = '';
    let copied = 0;
    let cut = folded.indexOf(CUT);
    for (let i = 0; i + MIN_SECRET_LENGTH <= folded.length; ) {
      const candidates = this.byPrefix.get(prefixKey(folded, i));
      let match = candidates?.find((p) => folded.startsWith(p.text, i));
      // Secrets cut short: remote text quoted in a reason is cut at 20-100 characters and ends in
      // `…` (a server on the wrong port that answers `-ERR unknown command '<what it was sent>'`
      // quotes a token back), so the text from here to the next ellipsis may be a secret's start.
      if (!match && candidates && cut !== -1) {
        if (cut < i) cut = folded.indexOf(CUT, i);
        const piece = cut - i >= MIN_SECRET_LENGTH ? folded.slice(i, cut) : '';
        const started = piece ? candidates.find((p) => p.text.length > piece.length && p.text.startsWith(piece)) : undefined;
        if (started) match = { text: piece, base64: started.base64 };
      }
      if (!match) {
        i++;
        continue;
      }
      let start = i;
      let end = i + match.text.length;
      if (match.base64) {
        while (start > copied && BASE64_CHAR.test(text[start - 1] as string)) start--;
        while (end < text.length && BASE64_CHAR.test(text[end] as string)) end++;
        // Padding ends a base64 word; a `=` before one is the text's (`key=…`).
        for (let pad = 0; pad < 2 && text[end] === '='; pad++) end++;
      }
      out += `${text.slice(copied, start)}***`;
      copied = end;
      i = end;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/** The ellipsis that ends remote text cut short (probes' quoteText, the Nagios line). */
const CUT = '\u2026';

/** The first three UTF-16 units at `i` as one number: no string made per position. */
function prefixKey(text: string, i: number): number {
  return text.charCodeAt(i) * 0x1_0000_0000 + text.charCodeAt(i + 1) * 0x1_0000 + text.charCodeAt(i + 2);
}

/** `%2f` and `%2F` are one byte: compared in one case. Keeps the length, so indexes carry over. */
function foldHex(text: string): string {
  return text.includes('%') ? text.replace(/%[0-9A-Fa-f]{2}/g, (m) => m.toLowerCase()) : text;
}

/**
 * outage's own words in a report — statuses, failure codes, probe kinds, record types — that
 * renderers look up: never redacted in the report (a secret that happens to be "down" must not
 * turn a status into `***` and break a lookup); the pass over the rendered text still covers them.
 */
const VOCABULARY: ReadonlySet<string> = new Set<string>([
  ...STATUSES,
  'skipped',
  'never',
  ...FAILURE_CODES,
  ...PROBE_KINDS,
  ...STATUS_KINDS,
  ...DNS_RECORD_TYPES,
  'none',
  'maintenance',
  'minor',
  'major',
  'critical',
]);

/**
 * The report with every string redacted, for renderers that escape text (a quote in JSON, `<` in
 * XML, `_` in markdown) or wrap it before the final pass could see it.
 */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return (VOCABULARY.has(value) ? value : redact(value)) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redact);
    return out as T;
  }
  return value;
}

/**
 * The redactor of the run in progress, for the one place that prints errors (src/cli.ts): an
 * error thrown after the config is loaded may quote a URL or a value holding a secret.
 */
let current: Redact = NO_SECRETS;

export function useForErrors(redact: Redact): void {
  current = redact;
}

export function redactError(text: string): string {
  return current(text);
}

/** Header values that are credentials: never printed, never forwarded to another origin. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

/**
 * Headers whose values are redacted although written into the config rather than taken from
 * `${VAR}`: the credential headers, and any name that says it carries one (`X-Auth-Token`,
 * `PRIVATE-TOKEN`, `X-Signature`, `Api-Key`…). Only the four above are dropped on a redirect.
 */
export function isSecretHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || /auth|token|secret|key|pass|session|cookie|signature|credential/i.test(name);
}

/** The parts of a credential header worth redacting on their own: the token after a scheme, each cookie value. */
export function headerSecrets(value: string): string[] {
  const afterScheme = value.split(/\s+/).slice(1);
  const cookies = value.split(';').flatMap((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [] : [pair.slice(eq + 1).trim()];
  });
  // `Basic base64(user:pass)` written out: the password is as secret as the token.
  const basic = /^\s*Basic\s+([A-Za-z0-9+/_-]+=*)\s*$/i.exec(value)?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  // eslint-disable-next-line no-control-regex
  const credentials = decoded.includes(':') && !/[\u0000-\u001f\ufffd]/.test(decoded) ? [decoded, decoded.slice(decoded.indexOf(':') + 1)] : [];
  return [value, ...afterScheme, ...cookies, ...credentials];
}
