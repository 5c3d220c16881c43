/** The hosts file and `localhost`, answered before any DNS server is asked, as getaddrinfo answers them. */
import { readFileSync } from 'node:fs';
import { isLocalhostName } from '../core/domain.js';

let hostsCache: Map<string, string[]> | undefined;

/**
 * /etc/hosts and `localhost` names, as getaddrinfo would answer them. glibc matches a hosts-file
 * name exactly but for case: `intranet.` is not `intranet`'s entry (getaddrinfo asks DNS for it,
 * and curl cannot resolve it), so the trailing dot is kept on both sides.
 */
export function hostsFileAddresses(name: string, type: 'A' | 'AAAA'): string[] | undefined {
  if (isLocalhostName(name)) return [type === 'A' ? '127.0.0.1' : '::1'];
  hostsCache ??= parseHostsFile(readHostsFile());
  const addresses = hostsCache.get(name.toLowerCase())?.filter((a) => a.includes(':') === (type === 'AAAA'));
  return addresses && addresses.length > 0 ? addresses : undefined;
}

function readHostsFile(): string {
  try {
    return readFileSync('/etc/hosts', 'utf8');
  } catch {
    return '';
  }
}

export function parseHostsFile(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    for (const host of names) {
      const key = host.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), address]);
    }
  }
  return map;
}
