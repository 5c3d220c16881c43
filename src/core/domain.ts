/** Host and domain-name helpers shared by config, net, the probes and common-cause grouping. */
import { ipVersion } from './ip-version.js';

/**
 * An approximation without the public suffix list, good enough to group by provider: the last two
 * labels, or three under a two-letter country code with a short second level (co.uk, com.au).
 */
export function registrableDomain(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  const second = labels.at(-2) ?? '';
  const take = labels.length > 2 && (labels.at(-1) ?? '').length === 2 && second.length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}


/** A host as a URL writes it, without the brackets around an IPv6 literal: `[::1]` → `::1`. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The host of `host:port` as connections and resolvers are written: `203.0.113.5:443` →
 * `203.0.113.5`, `[2001:db8::5]:53` → `2001:db8::5`; an address without a port as it is (a bare
 * IPv6 address ends in what looks like one).
 */
export function withoutPort(address: string): string {
  if (ipVersion(address)) return address;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  return address.replace(/:\d+$/, '');
}

/** RFC 6761: `localhost` and `*.localhost` are loopback, answered without asking (as curl and browsers do). */
export function isLocalhostName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost');
}

/** localhost, 127.0.0.0/8, ::1 and their IPv4-mapped forms: a host whose traffic never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  if (isLocalhostName(host)) return true;
  const name = unbracket(host).toLowerCase();
  const version = ipVersion(name);
  if (version === 4) return name.startsWith('127.');
  return version === 6 && (name === '::1' || name.startsWith('::ffff:7f') || name.startsWith('::ffff:127.'));
}
