/**
 * What `outage serve` may be asked to probe, so that it never becomes an SSRF proxy. Two checks:
 * - before probing, the target as asked (`--allow-target` patterns: schemes, host globs, ports);
 * - before every socket opens (the address guard), the address actually connected to: link-local
 *   and cloud-metadata addresses are refused unless a pattern names them, and with CIDR patterns
 *   only their addresses are allowed. Checking the resolved address, not the name, is what stops
 *   a name that resolves to 169.254.169.254 (or that changes its answer: DNS rebinding).
 */
import { BlockList, isIPv4 } from 'node:net';
import { ipVersion } from '../core/ip-version.js';
import type { AddressGuard } from '../core/failure.js';
import { UsageError } from '../core/errors.js';

/** Link-local ranges, where every cloud's instance metadata service lives. */
const LINK_LOCAL = ['169.254.0.0/16', 'fe80::/10'];
/** Metadata services outside link-local: AWS over IPv6, Alibaba, Oracle. */
const METADATA_ADDRESSES = ['fd00:ec2::254', '100.100.100.200', '192.0.0.192'];
/** Names of metadata services (GCP, AWS): refused as targets even before they resolve. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

type Scheme = 'http' | 'https' | 'tcp';

interface Pattern {
  text: string;
  scheme?: Scheme;
  port?: number;
  /** A host glob (`*.example.com`), matched against the target's host name or IP literal. */
  host?: RegExp;
  /** A CIDR or an address: matched against the addresses connected to. */
  cidr?: BlockList;
}

/** What a /probe request asks for, as the policy sees it. */
export interface TargetAsked {
  scheme: Scheme;
  /** Host name (lower case, no trailing dot) or IP literal without brackets. */
  host: string;
  port: number;
}

export interface TargetPolicy {
  /** Why the target may not be probed, or undefined when it may. */
  refuse(target: TargetAsked): string | undefined;
  /** The guard for the connections of an allowed target. */
  guardFor(target: TargetAsked): AddressGuard;
  patterns: readonly string[];
}

export function parsePattern(text: string): Pattern {
  const bad = (why: string) => new UsageError(`--allow-target ${JSON.stringify(text)}: ${why}`, 'usage.bad_allow_target');
  let rest = text.trim().toLowerCase();
  const pattern: Pattern = { text };
  const scheme = /^([a-z]+):\/\//.exec(rest);
  if (scheme) {
    if (!['http', 'https', 'tcp'].includes(scheme[1] as string)) throw bad('the scheme must be http://, https:// or tcp://');
    pattern.scheme = scheme[1] as Scheme;
    rest = rest.slice(scheme[0].length);
  }
  // A port after the host: `*.example.com:443`, `[fd00::1]:53`, `10.0.0.0/8:5432`; a bare IPv6
  // address or range (two colons or more) has none.
  const bracketed = /^\[([^\]]+)\](\/\d+)?(?::(\d+|\*))?$/.exec(rest);
  const single = !bracketed && (rest.match(/:/g) ?? []).length === 1 ? /^(.+):(\d+|\*)$/.exec(rest) : null;
  if (!bracketed && !single && (rest.match(/:/g) ?? []).length === 1) throw bad('the port must be a number or *');
  const portText = bracketed ? bracketed[3] : single?.[2];
  if (bracketed) rest = `${bracketed[1]}${bracketed[2] ?? ''}`;
  else if (single) rest = single[1] as string;
  if (portText !== undefined && portText !== '*') {
    pattern.port = Number(portText);
    if (pattern.port < 1 || pattern.port > 65535) throw bad('the port must be within 1-65535');
  }
  if (rest === '') throw bad('no host');
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(rest);
  if (cidr || ipVersion(rest)) {
    const address = cidr ? (cidr[1] as string) : rest;
    const family = ipVersion(address);
    if (!family) throw bad(`${address} is not an IP address`);
    const prefix = cidr ? Number(cidr[2]) : family === 4 ? 32 : 128;
    if (prefix > (family === 4 ? 32 : 128)) throw bad(`/${prefix} is too long for an IPv${family} address`);
    pattern.cidr = new BlockList();
    pattern.cidr.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return pattern;
  }
  if (!/^[a-z0-9*._-]+$/.test(rest)) throw bad('the host must be a name, a glob such as *.example.com, an IP address or a CIDR such as 10.0.0.0/8');
  pattern.host = new RegExp(`^${rest.replace(/[.+?^${}()|\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return pattern;
}

const forbidden = new BlockList();
for (const range of LINK_LOCAL) {
  const [address, prefix] = range.split('/') as [string, string];
  forbidden.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
}
for (const address of METADATA_ADDRESSES) forbidden.addAddress(address, isIPv4(address) ? 'ipv4' : 'ipv6');

/** `::ffff:169.254.169.254` is 169.254.169.254: an IPv4-mapped address is checked as IPv4. */
function plain(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1] as string, type: 'ipv4' };
  return { address, type: isIPv4(address) ? 'ipv4' : 'ipv6' };
}

function inList(list: BlockList, address: string): boolean {
  const { address: a, type } = plain(address);
  return ipVersion(a) !== 0 && list.check(a, type);
}

export function isForbiddenAddress(address: string): boolean {
  return inList(forbidden, address);
}

export function createTargetPolicy(patternTexts: readonly string[]): TargetPolicy {
  const patterns = patternTexts.map(parsePattern);
  const applies = (p: Pattern, t: TargetAsked) => (p.scheme === undefined || p.scheme === t.scheme) && (p.port === undefined || p.port === t.port);
  const hostPatterns = (t: TargetAsked) => patterns.filter((p) => p.host && applies(p, t) && p.host.test(t.host));
  const cidrPatterns = (t: TargetAsked) => patterns.filter((p) => p.cidr && applies(p, t));

  return {
    patterns: patternTexts,
    refuse(target) {
      const host = target.host.toLowerCase().replace(/\.$/, '');
      const named = hostPatterns({ ...target, host });
      if (METADATA_NAMES.has(host) && named.length === 0) return `${host} is a cloud metadata service; outage serve refuses it unless --allow-target names it`;
      // An IP literal is known now; a name is judged by the guard once it resolves.
      if (ipVersion(host) && isForbiddenAddress(host) && !cidrPatterns(target).some((p) => p.cidr && inList(p.cidr, host))) {
        return `${host} is link-local or a cloud metadata address; outage serve refuses it unless an --allow-target CIDR names it`;
      }
      if (patterns.length === 0) return undefined;
      if (named.length > 0) return undefined;
      const cidrs = cidrPatterns(target);
      // An IP literal is judged now; a name only once it resolves (the guard).
      if (cidrs.length > 0 && (!ipVersion(host) || cidrs.some((p) => p.cidr && inList(p.cidr, host)))) return undefined;
      return `${target.scheme}://${ipVersion(host) === 6 ? `[${host}]` : host}:${target.port} matches no --allow-target pattern (${patternTexts.join(', ')})`;
    },
    guardFor(target) {
      const host = target.host.toLowerCase().replace(/\.$/, '');
      const byName = patterns.length === 0 || hostPatterns({ ...target, host }).length > 0;
      const cidrs = cidrPatterns(target);
      const guard: AddressGuard = (address) => {
        if (cidrs.some((p) => p.cidr && inList(p.cidr, address))) return undefined;
        if (isForbiddenAddress(address)) {
          return { code: 'tcp.forbidden', reason: `${address} is link-local or a cloud metadata address; outage serve does not connect to it unless --allow-target names it` };
        }
        if (!byName) return { code: 'tcp.forbidden', reason: `${address} is outside every --allow-target range (${patternTexts.join(', ')})` };
        return undefined;
      };
      return Object.assign(guard, { addressOnly: !byName });
    },
  };
}
