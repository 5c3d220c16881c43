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
export function systemSkipsAAAA(): boolean {
  const options = readResolvConf()
    .split('\n')
    .flatMap((line) => {
      const [keyword, ...values] = line.replace(/[#;].*/, '').trim().split(/\s+/);
      return keyword === 'options' ? values : [];
    });
  // RES_OPTIONS is read after the file and adds to it, as in glibc.
  options.push(...(process.env.RES_OPTIONS ?? '').split(/\s+/));
  return options.includes('no-aaaa');
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
