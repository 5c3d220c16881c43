/**
 * The system's DNS servers, for the queries outage sends itself (dns-resolver.ts). Node's
 * `dns.getServers()` (c-ares, which reads /etc/resolv.conf and the platform's own settings) drops
 * the zone of an IPv6 link-local server: `nameserver fe80::1%wlan0` — what a router announcing its
 * resolver over IPv6 (RDNSS) puts there, by NetworkManager and systemd-networkd — comes back as
 * `fe80::1`, an address no packet can be sent to without its interface. Every query then failed at
 * once, and a healthy DNS check was down `dns.timeout` while getaddrinfo, given the same file,
 * answered. The zones are taken back from /etc/resolv.conf itself.
 */
import { readFileSync } from 'node:fs';

export function systemDnsServers(): string[] {
  const servers = process.getBuiltinModule('node:dns').getServers();
  const zones = scopedNameservers(readResolvConf());
  if (zones.size === 0) return servers;
  return servers.map((server) => zones.get(canonicalIPv6(server)) ?? server);
}

/** `nameserver` lines naming a scoped IPv6 address: its canonical form without the zone → the address with it. */
export function scopedNameservers(text: string): Map<string, string> {
  const zones = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [keyword, value] = line.replace(/[#;].*/, '').trim().split(/\s+/);
    if (keyword !== 'nameserver' || !value) continue;
    const [address = '', zone] = value.split('%');
    if (zone && address.includes(':')) zones.set(canonicalIPv6(address), `${canonicalIPv6(address)}%${zone}`);
  }
  return zones;
}

/** One spelling per IPv6 address (`fe80:0::053` and `fe80::53` alike); anything else as given. */
function canonicalIPv6(address: string): string {
  if (!address.includes(':') || address.startsWith('[')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * glibc's `options no-aaaa` (2.36+; also in RES_OPTIONS): getaddrinfo never asks for AAAA, as set
 * by users whose resolver or network mishandles it. A family the system does not ask about is not
 * judged — the way a hosts-file name's missing family is not: asking DNS for it anyway found the
 * very resolver the option works around silent, and degraded every healthy name after waiting out
 * the whole budget.
 */
export function systemSkipsAAAA(conf: ResolvConf = systemResolvConf()): boolean {
  return options(conf).includes('no-aaaa');
}

/** The file's text and the environment that amends it (LOCALDOMAIN, RES_OPTIONS): tests pass their own. */
export interface ResolvConf {
  text: string;
  env: Record<string, string | undefined>;
}

function systemResolvConf(): ResolvConf {
  return { text: readResolvConf(), env: process.env };
}

/** `options` words, the file's then RES_OPTIONS's (read after the file and adding to it, as in glibc). */
function options(conf: ResolvConf): string[] {
  return [...keywordValues(conf.text, 'options'), ...(conf.env.RES_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
}

/** The values of every line starting with `keyword`, in order. */
function keywordValues(text: string, keyword: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => {
      const [word, ...values] = line.replace(/[#;].*/, '').trim().split(/\s+/);
      return word === keyword ? values : [];
    });
}

/**
 * The names glibc's res_search asks for `name`, in its order (resolv.conf(5)): a name with at
 * least `ndots` dots (1 by default) as given first, then with each search domain; one with fewer
 * dots with the search domains first, and as given last (a dotless one not at all under
 * `no-tld-query`, if there was a search domain to try). A trailing dot means the name as given, alone. `asGivenFirst` tells which of
 * the failures is the name's (dns-resolver.ts, `searched`).
 */
export function searchNames(name: string, conf: ResolvConf = systemResolvConf()): { names: string[]; asGivenFirst: boolean } {
  if (name.endsWith('.')) return { names: [name], asGivenFirst: true };
  const words = options(conf);
  const ndotsOption = words.findLast((word) => /^ndots:\d+$/.test(word));
  const ndots = ndotsOption ? Math.min(15, Number(ndotsOption.slice(6))) : 1;
  const domains = searchDomains(conf).filter((domain) => domain !== '.' && domain !== '');
  const dots = name.split('.').length - 1;
  const suffixed = domains.map((domain) => `${name}.${domain.replace(/\.$/, '')}`);
  if (dots >= ndots) return { names: [name, ...suffixed], asGivenFirst: true };
  // Not under no-tld-query — unless no search domain was tried, when glibc asks it even so.
  const asGiven = dots === 0 && words.includes('no-tld-query') && suffixed.length > 0 ? [] : [name];
  return { names: [...suffixed, ...asGiven], asGivenFirst: false };
}

/** LOCALDOMAIN, else the last `search` or `domain` line (they replace each other, the last one wins). */
function searchDomains(conf: ResolvConf): string[] {
  const fromEnv = conf.env.LOCALDOMAIN;
  if (fromEnv !== undefined) return fromEnv.split(/\s+/).filter(Boolean);
  const last = conf.text
    .split('\n')
    .map((line) => line.replace(/[#;].*/, '').trim().split(/\s+/))
    .findLast(([word]) => word === 'search' || word === 'domain');
  return last ? last.slice(1) : [];
}

let resolvConf: string | undefined;

/** Read once: the hosts file is too (dns-resolver.ts), and a run is one view of the system. */
function readResolvConf(): string {
  if (resolvConf !== undefined) return resolvConf;
  try {
    resolvConf = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    resolvConf = '';
  }
  return resolvConf;
}
