/**
 * Parsing of the three target forms: `https://…`/`http://…` URLs, `host:port` TCP targets, and
 * ad-hoc command-line targets that become services checked with the defaults.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { Endpoint } from './service.js';

export interface UrlTarget {
  endpoint: Endpoint;
  /** `Basic …` from URL user-info, sent as a header and treated as a secret. */
  authorization?: string;
  secrets: string[];
}

export function parseUrlTarget(text: string): UrlTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(redactUserInfo(text))} is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `unsupported scheme "${url.protocol}" (use http:// or https://, or tcp: host:port)`;
  }
  if (!url.hostname) return 'URL has no host';
  const secrets: string[] = [];
  let authorization: string | undefined;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    secrets.push(...[user, pass, url.username, url.password, authorization].filter((s) => s.length > 0));
    url.username = '';
    url.password = '';
  }
  const host = stripBrackets(url.hostname);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { endpoint: { protocol, host, port, isIp: isIP(host) !== 0, url }, authorization, secrets };
}

export function parseHostPort(text: string): Endpoint | string {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]\s/]+):(\d+)$/.exec(text);
  if (!match) return `${JSON.stringify(text)} is not host:port (IPv6 as [::1]:5432)`;
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${match[2]} is not within 1-65535`;
  const rawHost = match[1] ?? '';
  const ipVersion = isIP(rawHost);
  if (match[0].startsWith('[') && ipVersion !== 6) return `${JSON.stringify(rawHost)} is not an IPv6 address`;
  const host = ipVersion ? rawHost : domainToASCII(rawHost);
  if (!host) return `${JSON.stringify(rawHost)} is not a valid host name`;
  return { protocol: 'tcp', host, port, isIp: ipVersion !== 0 };
}

/** A positional argument that is not a configured service name: a URL or host:port. */
export function adHocService(text: string): { name: string; url?: string; tcp?: string } | undefined {
  if (/^https?:\/\//i.test(text)) return { name: redactUserInfo(text), url: text };
  if (typeof parseHostPort(text) !== 'string') return { name: text, tcp: text };
  return undefined;
}

export function redactUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
