/**
 * Whether a string is an IP address, and which version: `net.isIP` without its cost. Node's IPv6
 * test is one large regular expression that V8 compiles on first use and again, to machine code,
 * on the second (~3.5 ms, then ~1 ms, of a one-URL check); every IPv6 address has a colon and no
 * host name or IPv4 address does, so a name is only ever tried as IPv4. Node's own TLS connect
 * and hostname check ask `net.isIP` too; the CLI gives them this one (commands/node-ip-test.ts).
 */
import { isIPv4, isIPv6 } from 'node:net';

export function ipVersion(text: string): 0 | 4 | 6 {
  if (text.includes(':')) return isIPv6(text) ? 6 : 0;
  return isIPv4(text) ? 4 : 0;
}
