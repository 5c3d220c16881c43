/**
 * Values that cannot go on the wire, found when the config is read rather than when a request is
 * refused locally and the server is blamed (`http.protocol`). A header value holding a line break
 * (a Kubernetes secret mounted from a file ends in one) or a URL whose host holds a control
 * character is a configuration error naming the key path and the `${VAR}` it came from — never
 * the value, which is usually a credential.
 */
import type { ConfigProblem } from '../core/errors.js';
import type { Substitution } from './interpolate.js';
import { formatPath } from './path.js';

/** RFC 9110 §5.5: field values are visible ASCII, space, tab and obs-text (bytes 0x80-0xFF). */
const NOT_IN_HEADER_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/;
/** RFC 9110 §5.1: a field name is a token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters the URL parser does not remove (it drops tab, CR and LF, as browsers do). */
// eslint-disable-next-line no-control-regex
const URL_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

type Origins = ReadonlyMap<string, Substitution[]>;

/** Problems in the interpolated document, before the schema runs: `services`, `canaries` and `defaults`. */
export function unsendableValues(document: unknown, origins: Origins): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(document)) return problems;
  if (isObject(document.defaults)) checkUrl(document.defaults.proxy, ['defaults', 'proxy'], origins, problems);
  for (const key of ['services', 'canaries'] as const) {
    const list = document[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      if (isObject(item)) checkService(item, [key, index], origins, problems);
    });
  }
  return problems;
}

function checkService(service: Record<string, unknown>, at: (string | number)[], origins: Origins, problems: ConfigProblem[]): void {
  for (const key of ['url', 'proxy']) checkUrl(service[key], [...at, key], origins, problems);
  if (isObject(service.status)) checkUrl(service.status.url, [...at, 'status', 'url'], origins, problems);
  else checkUrl(service.status, [...at, 'status'], origins, problems);
  if (Array.isArray(service.hosts)) service.hosts.forEach((host: unknown, i) => checkUrl(host, [...at, 'hosts', i], origins, problems));
  const headers = isObject(service.http) ? service.http.headers : undefined;
  if (!isObject(headers)) return;
  for (const [name, value] of Object.entries(headers)) {
    const path = [...at, 'http', 'headers', name];
    if (!HEADER_NAME.test(name)) {
      problems.push({ path: formatPath(path), message: "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)" });
    } else if (typeof value === 'string' && NOT_IN_HEADER_VALUE.test(value)) {
      problems.push({ path: formatPath(path), message: why(value, NOT_IN_HEADER_VALUE, formatPath(path), origins, 'an HTTP header value cannot carry') });
    }
  }
}

/** A control character in a URL that does not parse: named, instead of the URL being quoted back. */
function checkUrl(value: unknown, at: (string | number)[], origins: Origins, problems: ConfigProblem[]): void {
  if (typeof value !== 'string' || !URL_CONTROL.test(value)) return;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  if (URL.canParse(withScheme)) return;
  const path = formatPath(at);
  problems.push({ path, message: why(value, URL_CONTROL, path, origins, 'the host of a URL cannot carry') });
}

/** Which character, where, and from which variable — without the value. */
function why(value: string, bad: RegExp, path: string, origins: Origins, cannot: string): string {
  const from = origins.get(path)?.find((o) => bad.test(o.value));
  const text = from?.value ?? value;
  const index = text.search(bad);
  const char = text.codePointAt(index) ?? 0;
  const trailing = /^\s*$/.test(text.slice(index)) && index > 0;
  const subject = from ? `\${${from.name}}` : 'the value';
  const hint = trailing && from ? ' (a secret read from a file often ends in a newline: strip it where the variable is set)' : '';
  return `${subject} ${trailing ? 'ends in' : 'holds'} ${describeChar(char)}, which ${cannot}${hint}`;
}

function describeChar(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0x0a || code === 0x0d) return `a line break (${hex})`;
  if (code === 0) return `a NUL (${hex})`;
  if (code < 0x20 || code === 0x7f) return `a control character (${hex})`;
  return `the character ${hex}, outside Latin-1`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
