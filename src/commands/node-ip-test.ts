/**
 * Node's TLS connect and its hostname check ask `net.isIP` about every server name, through the
 * `node:net` module object; for a name its IPv6 test is one large regular expression that V8
 * compiles on first use and again to machine code on the second (~4–5 ms of CPU, a twentieth of
 * a one-URL https check). `ipVersion` gives the same answer for every string without it
 * (test/core/ip-version.test.ts), so the CLI hands it to Node's modules. Only the CLI: a process
 * that imports outage as a library keeps its `node:net` as it was.
 */
import { ipVersion } from '../core/ip-version.js';

type IsIp = (input: unknown) => number;

export function shareIpTestWithNode(): void {
  const net = process.getBuiltinModule('node:net') as { isIP: IsIp };
  const nodeIsIp = net.isIP;
  if ((nodeIsIp as { shared?: boolean }).shared) return;
  // Node's accepts anything and reads it as a string; outage's takes strings only.
  const shared: IsIp = (input) => (typeof input === 'string' ? ipVersion(input) : nodeIsIp(input));
  net.isIP = Object.assign(shared, { shared: true });
}
