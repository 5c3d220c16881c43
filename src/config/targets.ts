/**
 * Parsing of the three target forms: `https://…`/`http://…` URLs, `host:port` TCP targets, and
 * ad-hoc command-line targets that become services checked with the defaults.
 */
import { ipVersion } from '../core/ip-version.js';
import { domainToASCII } from 'node:url';
import type { Endpoint } from './service.js';
import { unbracket } from '../core/domain.js';
import { readUserInfo } from './user-info.js';

export interface UrlTarget {
  endpoint: Endpoint;
  /** `Basic …` from URL user-info, sent as a header and treated as a secret. */
  authorization?: string;
  secrets: string[];
}

export function parseUrlTarget(text: string): UrlTarget | string {
  const schemeless = missingScheme(text);
  if (schemeless !== undefined) return schemeless;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return whyNotUrl(text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `unsupported scheme "${url.protocol}" (use http:// or https://, or tcp: host:port)`;
  }
  if (!url.hostname) return 'URL has no host';
  if (url.port === '0') return 'port 0 is not within 1-65535';
  const credentials = readUserInfo(url);
  if (typeof credentials === 'string') return credentials;
  url.username = '';
  url.password = '';
  const host = unbracket(url.hostname);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { endpoint: { protocol, host, port, isIp: ipVersion(host) !== 0, url }, authorization: credentials?.authorization, secrets: credentials?.secrets ?? [] };
}

export function parseHostPort(text: string): Endpoint | string {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]\s/]+):(\d+)$/.exec(text);
  if (!match) return `${JSON.stringify(text)} is not host:port (IPv6 as [::1]:5432)`;
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${match[2]} is not within 1-65535`;
  const rawHost = match[1] ?? '';
  const version = ipVersion(rawHost);
  if (match[0].startsWith('[') && version !== 6) return `${JSON.stringify(rawHost)} is not an IPv6 address`;
  const host = version ? rawHost : domainToASCII(rawHost);
  if (!host) return `${JSON.stringify(rawHost)} is not a valid host name`;
  return { protocol: 'tcp', host, port, isIp: version !== 0 };
}

/**
 * A host, with user-info and port, at the start of text that has no `scheme://`: `localhost`, a
 * name or IPv4 address with a dot, or a bracketed IPv6 address — then a path, query, fragment or
 * nothing. A bare word (`mailto:ops`, a service name) is not taken for a host.
 */
const SCHEMELESS_URL = /^(?:[^\s/?#@]*@)?(?:localhost|\[[0-9a-f:.]+\]|[^\s/?#@:.[\]]+(?:\.[^\s/?#@:.[\]]+)+\.?)(?::\d*)?(?:[/?#]|$)/i;

/**
 * Why a URL typed without its scheme (`localhost:8080/health`, `api.example.com`) cannot be
 * checked, with both ways to write it; undefined for anything else. The URL parser called the
 * first "not a valid URL" and read `localhost:` in the second as an unsupported scheme. Neither
 * scheme is guessed: whether a service speaks TLS is what the check is about.
 */
export function missingScheme(text: string): string | undefined {
  if (text.includes('://') || !SCHEMELESS_URL.test(text) || !URL.canParse(`http://${text}`)) return undefined;
  const shown = redactUserInfo(text);
  return `${JSON.stringify(shown)} has no scheme: write https://${shown} or http://${shown}`;
}

/**
 * A service's `url`, as parseUrlTarget reads it; a bare `host:port` there (`db.internal:5432`) is
 * more often a TCP check than a web page, so the problem also names `tcp:`, which checks just that.
 */
export function parseServiceUrl(text: string): UrlTarget | string {
  const parsed = parseUrlTarget(text);
  const hostPort = typeof parsed === 'string' && missingScheme(text) !== undefined && /^[^/?#@]*:\d+$/.test(text);
  return hostPort ? `${parsed}, or tcp: ${text} for a TCP check` : parsed;
}

/** The part of an unparseable URL that is wrong, in the words the config and the command line use. */
function whyNotUrl(text: string): string {
  const invalid = `${JSON.stringify(redactUserInfo(text))} is not a valid URL`;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
  if (authority === undefined) return invalid;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const [, host = '', port] = /^(\[[^\]]*\]?|[^:]*)(?::(.*))?$/.exec(hostPort) ?? [];
  if (host === '') return 'URL has no host';
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port)) return `port ${JSON.stringify(port)} is not a number`;
    if (Number(port) > 65535) return `port ${port} is not within 1-65535`;
  }
  if (/\s/.test(host)) return `${invalid}: the host has a space in it`;
  return invalid;
}

/**
 * A positional argument that is not a configured service name: a URL (any `scheme://`, so an
 * unsupported scheme is named as such) or something shaped like host:port (so a bad port is
 * named, not taken for an unknown name).
 */
export function adHocService(text: string): { name: string; url?: string; tcp?: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { name: redactUserInfo(text), url: text };
  if (/^(\[[^\]\s]*\]|[^:[\]\s/]+):\d+$/.test(text)) return { name: text, tcp: text };
  return undefined;
}

/** A DNS server as `resolvers` and `--resolver` take it: an IP address, with a port after `:` (IPv6 in brackets). */
export function isResolverAddress(text: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return ipVersion(bracketed[1] ?? '') === 6 && validPort(bracketed[2]);
  if (ipVersion(text)) return true;
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text);
  return withPort !== null && ipVersion(withPort[1] ?? '') === 4 && validPort(withPort[2]);
}

function validPort(port: string | undefined): boolean {
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/**
 * URL credentials hidden, for names and messages: `https://***@host/`, and `***@host:5432` for
 * `user:password@host:5432`, which curl reads as a URL with credentials, so a user may type it.
 * A URL that parses has credentials up to the last @ before its path, as the parser reads them (a
 * password may hold an @). In one that does not, an @ may be anywhere in a credential (a password
 * holding a / ends the authority early), so all after the scheme is hidden: cut at any @, the
 * rest of a secret would no longer be recognised by the redactor that knows its whole value.
 */
export function redactUserInfo(text: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0];
  if (scheme === undefined) return text.replace(/^[^/@\s:]*:.*@/s, '***@');
  const rest = text.slice(scheme.length);
  if (!URL.canParse(text)) return rest.includes('@') ? `${scheme}***` : text;
  const end = /^[^/?#\\]*/.exec(rest)?.[0].lastIndexOf('@') ?? -1;
  return end < 0 ? text : `${scheme}***${rest.slice(end)}`;
}
