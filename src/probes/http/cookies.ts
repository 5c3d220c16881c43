/**
 * The cookie jar of one check (one attempt of one service), in memory only, as `curl -b ''` keeps
 * one: a site that sets a cookie and redirects to itself to see it come back (a login wall's or a
 * CDN's "cookie check") answers 200 on the second request instead of redirecting forever.
 * RFC 6265's rules for which cookie goes where: domain and path matching, Secure cookies only over
 * https, expiry by Max-Age and Expires, the `__Secure-`/`__Host-` prefixes. Cookies are never put
 * in an observation, so they can never be printed.
 */
import { ipVersion } from '../../core/ip-version.js';
import { unbracket } from '../../core/domain.js';

interface Cookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  expiresAt: number;
  created: number;
}

/** Browsers keep at least 50 cookies per domain and 3000 in all; a check needs far fewer. */
const MAX_COOKIES = 200;
const MAX_COOKIE_BYTES = 4096;

export class CookieJar {
  private cookies: Cookie[] = [];
  private counter = 0;

  /** Take the `Set-Cookie` fields of a response to a request for `url`. */
  store(url: URL, setCookies: string[] | undefined): void {
    for (const line of setCookies ?? []) {
      const cookie = parseSetCookie(line, url, this.counter++);
      if (!cookie) continue;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      // An expiry in the past deletes the cookie (how sites log out); otherwise it replaces the old one.
      if (cookie.expiresAt > Date.now()) this.cookies.push(cookie);
    }
    if (this.cookies.length > MAX_COOKIES) this.cookies = this.cookies.slice(-MAX_COOKIES);
  }

  /** The `Cookie` header value for a request to `url`, if any cookie matches. */
  header(url: URL): string | undefined {
    const host = hostOf(url);
    const now = Date.now();
    const matching = this.cookies
      .filter((c) => c.expiresAt > now)
      .filter((c) => (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)))
      .filter((c) => pathMatches(url.pathname, c.path))
      .filter((c) => !c.secure || url.protocol === 'https:')
      .sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    if (matching.length === 0) return undefined;
    return matching.map((c) => (c.name === '' ? c.value : `${c.name}=${c.value}`)).join('; ');
  }
}

function parseSetCookie(line: string, url: URL, created: number): Cookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  // A pair without `=` is a nameless cookie (RFC 6265bis), as browsers read it.
  const name = eq === -1 ? '' : pair.slice(0, eq).trim();
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  if ((name === '' && value === '') || name.length + value.length > MAX_COOKIE_BYTES) return undefined;
  const host = hostOf(url);
  const cookie: Cookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url.pathname), secure: false, expiresAt: Infinity, created };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const val = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
    else if (key === 'expires' && cookieDate(val) !== undefined) expires = cookieDate(val);
    else if (key === 'domain' && val !== '') {
      const domain = val.replace(/^\./, '').toLowerCase();
      // A cookie for another site, or for a whole top-level domain, is refused, as browsers refuse it.
      if (!domainMatches(host, domain) || (!domain.includes('.') && domain !== host)) return undefined;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'path' && val.startsWith('/')) cookie.path = val;
    else if (key === 'secure') cookie.secure = true;
  }
  // Max-Age wins over Expires; zero or negative means "delete now".
  if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
  else if (expires !== undefined) cookie.expiresAt = expires;
  const secureOrigin = url.protocol === 'https:';
  if (cookie.secure && !secureOrigin) return undefined;
  if (name.startsWith('__Secure-') && !(cookie.secure && secureOrigin)) return undefined;
  if (name.startsWith('__Host-') && !(cookie.secure && secureOrigin && cookie.hostOnly && cookie.path === '/')) return undefined;
  return cookie;
}

function hostOf(url: URL): string {
  return unbracket(url.hostname).toLowerCase();
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && ipVersion(host) === 0);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}

/** RFC 6265 §5.1.4: the request path up to, not including, its last `/`. */
function defaultPath(path: string): string {
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An Expires date by RFC 6265 §5.1.1, as browsers read it; undefined when it is none (the attribute
 * is then ignored and the cookie lasts the check). Not Date.parse: V8 reads `0` and `-1` as dates
 * in 2000 and 2001, so `Expires=0` would delete the cookie of a site's cookie check at once and
 * send the check round its redirect until too_many_redirects.
 */
export function cookieDate(text: string): number | undefined {
  let time: number[] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of text.split(/[\t\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/)) {
    if (token === '') continue;
    const hms = time ? null : /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D|$)/.exec(token);
    if (hms) time = hms.slice(1, 4).map(Number);
    else if (day === undefined && /^\d{1,2}(?:\D|$)/.test(token)) day = parseInt(token, 10);
    else if (month === undefined && MONTHS.includes(token.slice(0, 3).toLowerCase())) month = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    else if (year === undefined && /^\d{2,4}(?:\D|$)/.test(token)) year = parseInt(token, 10);
  }
  if (!time || day === undefined || month === undefined || year === undefined) return undefined;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year <= 69) year += 2000;
  const [hour = 0, minute = 0, second = 0] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return undefined;
  const at = Date.UTC(year, month, day, hour, minute, second);
  // 31 February is no date: Date.UTC would roll it over into March.
  return new Date(at).getUTCDate() === day ? at : undefined;
}
