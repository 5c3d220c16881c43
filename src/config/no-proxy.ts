/**
 * NO_PROXY matching, by curl's rules (lib/noproxy.c), so a host bypasses the proxy exactly when
 * curl would bypass it on the same machine:
 * - a comma (or blank) separated list; `*` alone matches every host;
 * - a name matches itself and its subdomains, with or without a leading dot: `example.com` and
 *   `.example.com` both match `example.com` and `www.example.com`, never `notexample.com`;
 *   trailing dots are ignored, case too;
 * - an IP address or CIDR range (`10.0.0.0/8`, `fd00::/8`, IPv6 without brackets) matches a
 *   target written as an IP address; names are never resolved to be compared;
 * - localhost and loopback addresses get no special treatment: list them to bypass the proxy.
 * Where curl has no rule, outage follows Go and the npm proxy-from-env package: `*.example.com`
 * means `.example.com`, and `host:port` (`[::1]:8080` for IPv6) matches that port only.
 */
import { BlockList } from 'node:net';
import { ipVersion } from '../core/ip-version.js';

export interface NoProxyRule {
  /** `*`: every host. */
  all?: true;
  /** A lower-case name without leading or trailing dots. */
  name?: string;
  /** An address or range. */
  addresses?: BlockList;
  port?: number;
}

export function parseNoProxy(text: string | undefined): NoProxyRule[] {
  if (!text) return [];
  if (text.trim() === '*') return [{ all: true }];
  return text
    .split(/[\s,]+/)
    .filter((token) => token.length > 0)
    .flatMap((token) => {
      const rule = parseRule(token);
      return rule ? [rule] : [];
    });
}

function parseRule(token: string): NoProxyRule | undefined {
  const { host, port } = splitPort(token);
  const [address = '', bits] = host.split('/');
  const family = ipVersion(address);
  if (family !== 0) {
    const type = family === 6 ? 'ipv6' : 'ipv4';
    const list = new BlockList();
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : Number(bits);
    // curl treats a nonsensical prefix as "cannot match"; so does a rule that is dropped.
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
    list.addSubnet(address, prefix, type);
    return { addresses: list, ...(port !== undefined ? { port } : {}) };
  }
  const name = host.toLowerCase().replace(/^\*\./, '.').replace(/^\.+|\.+$/g, '');
  if (name.length === 0) return undefined;
  return { name, ...(port !== undefined ? { port } : {}) };
}

/** `host:port`, `[v6]:port`, or a bare IPv6 address (whose colons are not a port). */
function splitPort(token: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(token);
  if (bracketed) return { host: bracketed[1] ?? '', ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  if (ipVersion(token.split('/')[0] ?? '') === 6) return { host: token };
  const withPort = /^(.*):(\d+)$/.exec(token);
  if (withPort && !withPort[1]?.includes(':')) return { host: withPort[1] ?? '', port: Number(withPort[2]) };
  return { host: token };
}

/** Whether `host` (a name, or an IP literal without brackets) at `port` bypasses the proxy. */
export function bypassesProxy(rules: readonly NoProxyRule[], host: string, port: number): boolean {
  if (rules.length === 0) return false;
  const family = ipVersion(host);
  const name = host.toLowerCase().replace(/\.+$/, '');
  return rules.some((rule) => {
    if (rule.all) return true;
    if (rule.port !== undefined && rule.port !== port) return false;
    if (family !== 0) return rule.addresses?.check(host, family === 6 ? 'ipv6' : 'ipv4') ?? false;
    return rule.name !== undefined && (name === rule.name || name.endsWith(`.${rule.name}`));
  });
}
