/**
 * Where a redirect leads, by the URL standard: the `Location` bytes are UTF-8 (a non-UTF-8 byte is
 * sent on percent-encoded, as browsers and curl send it), resolved against the current URL. A
 * target outage cannot follow — not http(s), not a URL at all, or the unspecified address 0.0.0.0
 * — is `http.bad_redirect`, the
 * value quoted safely, never a crash.
 */
import { unbracket } from '../../core/domain.js';
import type { Failure } from '../../core/failure.js';
import { isUnspecifiedAddress } from '../../net/address-resolution.js';
import { quoteText } from './remote-text.js';

export type RedirectTarget = { ok: true; url: URL } | { ok: false; failure: Failure };

/** `locations`: every Location field of the response, as latin1 strings (one char per byte). */
export function redirectTarget(locations: string[], base: URL): RedirectTarget {
  const distinct = [...new Set(locations.map((l) => l.trim()))];
  if (distinct.length > 1) {
    return bad(`several different Location headers (${distinct.slice(0, 2).map((l) => quoteLocation(l)).join(', ')})`);
  }
  const location = distinct[0] ?? '';
  let next: URL;
  try {
    next = new URL(percentEncodeHighBytes(location), base);
  } catch {
    return bad(`redirect to an invalid URL ${quoteLocation(location)}`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return bad(`redirect to a non-HTTP URL ${quoteLocation(location)}`);
  // `http://0.0.0.0:8080/login` — an app building its redirects from its bind address — reaches
  // only the machine it is used on (on Linux, this one, where the app may well answer: a false
  // "up"); Chrome and Safari refuse it, and outage never connects to it from DNS either. A target
  // configured at such an address keeps following its own redirects.
  const host = unbracket(next.hostname);
  if (isUnspecifiedAddress(host) && host !== unbracket(base.hostname)) {
    return bad(`redirect to ${quoteLocation(location)}, the unspecified address, which reaches only the machine it is used on`);
  }
  // Credentials in a Location are not used: they would be the redirecting server's to give.
  next.username = '';
  next.password = '';
  return { ok: true, url: next };
}

/** A Location for a reason: user-info removed, decoded as UTF-8, escaped and truncated. */
export function quoteLocation(location: string): string {
  const text = Buffer.from(location, 'latin1').toString('utf8');
  return quoteText(text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1'), 100);
}

/**
 * Bytes ≥ 0x80 as %XX. For valid UTF-8 this is exactly what the URL parser makes of the decoded
 * text (it percent-encodes path, query and fragment as UTF-8, and percent-decodes a host before
 * IDNA); for other bytes it keeps them as they were instead of turning them into U+FFFD.
 */
function percentEncodeHighBytes(latin1: string): string {
  return latin1.replace(/[\x80-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function bad(reason: string): RedirectTarget {
  return { ok: false, failure: { code: 'http.bad_redirect', reason } };
}
