/**
 * One-off set-up done before the first service starts, not inside its measured handshake: the
 * client TLS contexts (building one loads the whole root store, tens of ms, hundreds on a busy
 * machine) and the trust anchors the chain inspection indexes. Done lazily they ran inside the
 * first handshakes, and every service in flight at that moment had that stall added to its time.
 */
import type { ServiceSpec } from '../config/service.js';
import { clientContext, trustAnchors } from '../net/certificates.js';

export function prewarmTls(services: readonly ServiceSpec[]): void {
  // Both are cached by their callees; the sets only save re-hashing the same key thousands of times.
  const contexts = new Set<unknown>();
  const anchors = new Set<string>();
  for (const { tls } of services) {
    if (!tls) continue;
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
