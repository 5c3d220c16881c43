/**
 * One-off set-up done before the first service starts, not inside its measured handshake: the
 * client TLS contexts (building one loads the whole root store, tens of ms, hundreds on a busy
 * machine) and the trust anchors the chain inspection indexes. Done lazily they ran inside the
 * first handshakes, and every service in flight at that moment had that stall added to its time.
 * Also Node's IPv6 address test, which its TLS connect and hostname check run on every server
 * name: V8 compiles that large regular expression on first use (~3.5 ms) and again to machine
 * code on the second (~1 ms), and inside the first handshake that would be counted as the TLS time.
 * (The CLI spares that cost altogether, commands/node-ip-test.ts; a library user's process may not.)
 */
import { isIP } from 'node:net';
import type { ServiceSpec } from '../config/service.js';
import { clientContext, trustAnchors } from '../net/certificates.js';

export function prewarmTls(services: readonly ServiceSpec[]): void {
  // Both are cached by their callees; the sets only save re-hashing the same key thousands of times.
  const contexts = new Set<unknown>();
  const anchors = new Set<string>();
  let namesWarmed = false;
  for (const { tls, endpoint } of services) {
    if (!tls) continue;
    if (!namesWarmed && endpoint && !endpoint.isIp) {
      namesWarmed = true;
      isIP('localhost');
      isIP('localhost');
    }
    const ca = tls.ca ?? '';
    if (!contexts.has(tls.client ?? ca)) {
      contexts.add(tls.client ?? ca);
      clientContext(tls.ca, tls.client);
    }
    if (!anchors.has(ca)) {
      anchors.add(ca);
      trustAnchors(tls.ca);
    }
  }
}
