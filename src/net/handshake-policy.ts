/**
 * The TLS versions and ciphers every probe offers. Node takes its defaults from flags that
 * NODE_OPTIONS may carry — `--tls-max-v1.2` (a workaround for an old TLS 1.3 bug), `--tls-min-v1.3`
 * (a hardening guide), `--tls-cipher-list=…` (for one legacy backend) — set for the user's other
 * Node programs. Taken as they were, a healthy server that speaks only the versions or ciphers
 * they left out was judged down with the server blamed ("server sent TLS alert"), where curl on
 * the same machine connects. So outage offers at least Node's built-in defaults (TLS 1.2 and 1.3,
 * Node's cipher list); a flag that widens them (`--tls-min-v1.0`, ciphers added) is kept.
 */
import { constants } from 'node:crypto';
import { DEFAULT_CIPHERS, DEFAULT_MIN_VERSION, type SecureVersion } from 'node:tls';

export interface HandshakePolicy {
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  ciphers: string;
}

/** Node's own defaults, before any flag. */
const NODE_MIN_VERSION: SecureVersion = 'TLSv1.2';
const NODE_MAX_VERSION: SecureVersion = 'TLSv1.3';

/** `given`: the defaults this process was started with (the flags applied). */
export function handshakePolicy(
  given: { minVersion: SecureVersion; ciphers: string } = { minVersion: DEFAULT_MIN_VERSION, ciphers: DEFAULT_CIPHERS },
  nodeCiphers: string = constants.defaultCoreCipherList,
): HandshakePolicy {
  // 'TLSv1' < 'TLSv1.1' < 'TLSv1.2' < 'TLSv1.3' as strings too.
  const minVersion = given.minVersion < NODE_MIN_VERSION ? given.minVersion : NODE_MIN_VERSION;
  // OpenSSL enables every cipher either list names (a `!` in the user's list still removes one for good).
  const ciphers = given.ciphers === nodeCiphers ? nodeCiphers : `${nodeCiphers}:${given.ciphers}`;
  return { minVersion, maxVersion: NODE_MAX_VERSION, ciphers };
}
