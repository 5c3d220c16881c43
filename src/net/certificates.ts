/**
 * Certificate chains, and what Node's verification result means. A refused certificate ends an
 * attempt like a refused connection, so the failure is classified here, as net/connect.ts classifies
 * errno; thresholds such as days left are the judge's (src/probes/tls/judge.ts).
 *
 * `presented` is what the server sent; `chain` is the path verification
 * follows to a trust anchor, preferring trusted roots over presented certificates (OpenSSL's
 * trusted-first rule). Expiry is judged on `chain`: an expired cross-signed root that the server
 * still sends does not limit the service, but an expired intermediate on the path does.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { indexAnchors, type AnchorIndex } from './anchor-index.js';
import { purposeProblem } from './certificate-purpose.js';
import { peerX509 } from './server-identity.js';
import { verificationFailure } from './verification-failure.js';
import { certificateInfo, shortName, type CertificateInfo } from './certificate-info.js';
import { pemToDer, rootsWith, trustStore } from './trust-store.js';
import { selfIssued } from './der-name.js';
import { handshakePolicy } from './handshake-policy.js';
import type { ClientCertificate } from '../config/service.js';
import type { Failure } from '../core/failure.js';

export { certificateInfo, earliestExpiring, type CertificateInfo } from './certificate-info.js';

export interface CertificateInspection {
  authorizationError?: string;
  presented: CertificateInfo[];
  chain: CertificateInfo[];
  /** Set when verification failed: expired, not yet valid, wrong host, untrusted. */
  failure?: Failure;
}

/** Codes for a chain whose CA is not trusted: what an unread NODE_EXTRA_CA_CERTS would have trusted. */
const ISSUER_UNKNOWN = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/** Everything the handshake tells about the server's certificates, judged against `host`. */
export function inspectCertificates(socket: TLSSocket, host: string, extraCa?: string): CertificateInspection {
  const now = Date.now();
  const presentedX509 = presentedCertificates(socket);
  const presented = presentedX509.map((c) => certificateInfo(c, now));
  const chainX509 = buildVerifiedChain(presentedX509, trustAnchors(extraCa), now);
  const chain = chainX509.map((c) => certificateInfo(c, now));
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  // OpenSSL's own words for the error, as curl prints them ("path length constraint exceeded").
  const said = authorizationError ? opensslReason(socket) : undefined;
  if (authorizationError === 'INVALID_PURPOSE' || authorizationError === 'INVALID_CA') {
    const problem = purposeProblem(chainX509, (c) => shortName(c.subject));
    return { authorizationError, presented, chain, failure: { code: 'tls.untrusted', reason: problem ? `${problem} (${said ?? authorizationError})` : `certificate not trusted (${said ?? authorizationError})` } };
  }
  const failure = verificationFailure(authorizationError === 'UNSPECIFIED' ? (said ?? authorizationError) : authorizationError, chain, presented, host, now, presentedX509[0], said);
  const unread = authorizationError && ISSUER_UNKNOWN.has(authorizationError) ? trustStore().extraProblem : undefined;
  if (failure && unread) failure.reason += `; ${unread}, so none of the CAs it was to add is trusted`;
  return { authorizationError, presented, chain, failure };
}

/**
 * OpenSSL's own words for a verification error Node has no code for, which it reports as
 * `UNSPECIFIED`: a SHA-1 or MD5 signature ("CA signature digest algorithm too weak"), a key too
 * small, an unsuitable purpose. Node keeps the message on the socket's native handle.
 */
function opensslReason(socket: TLSSocket): string | undefined {
  try {
    const handle = (socket as unknown as { ssl?: { verifyError?: () => Error | null } }).ssl;
    return handle?.verifyError?.()?.message || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Native X509Certificate objects straight from the socket: no DER re-parsing, no JS copies. Node
 * links them in the order the server sent them, each certificate once here: a repeat is skipped,
 * not an end, since a server configured with cert.pem and fullchain.pem together sends its leaf
 * twice before the intermediates, and OpenSSL still verifies through them.
 */
const MOST_SENT = 256;
function presentedCertificates(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cert: X509Certificate | undefined = peerX509(socket);
  // Bounded should the list ever link back on itself; OpenSSL follows no chain deeper than 100.
  for (let sent = 0; cert && sent < MOST_SENT; sent++) {
    if (!seen.has(cert.fingerprint256)) {
      seen.add(cert.fingerprint256);
      out.push(cert);
    }
    cert = cert.issuerCertificate;
  }
  return out;
}

const anchorCache = new Map<string, AnchorIndex>();

/** Trust anchors by name: the trust store's roots (trust-store.ts), NODE_EXTRA_CA_CERTS, and `tls.ca`. */
export function trustAnchors(extraPem = ''): AnchorIndex {
  let index = anchorCache.get(extraPem);
  if (!index) {
    index = indexAnchors(rootsWith(extraPem));
    anchorCache.set(extraPem, index);
  }
  return index;
}

function buildVerifiedChain(presented: X509Certificate[], anchors: AnchorIndex, now = Date.now()): X509Certificate[] {
  const leaf = presented[0];
  if (!leaf) return [];
  const chain = [leaf];
  // A leaf that is itself trusted (pinned in `tls.ca`) is the whole verified chain, as for OpenSSL's
  // partial chain and Go: what the server sends above it is not on the path and does not limit it.
  if (!issuedBy(leaf, leaf) && anchors.trusts(leaf)) return chain;
  let current = leaf;
  // Every step takes one presented certificate or ends, so any depth is followed (a chain of
  // fourteen with an intermediate expiring in three days is still judged on that intermediate).
  for (let depth = 0; depth <= presented.length && !issuedBy(current, current); depth++) {
    // A trusted root before anything presented, as OpenSSL does: a server may send its own copy of
    // the root under the same name spelt another way (a UTF8String CN for a PrintableString one)
    // and expiring sooner, and the handshake verified against the trusted copy, not that one.
    const anchor = best(anchors.issuersOf(current).filter((a) => issuedBy(current, a)), now);
    if (anchor) {
      if (anchor.fingerprint256 !== current.fingerprint256) chain.push(anchor);
      break;
    }
    const next = best(presented.filter((p) => !chain.includes(p) && issuedBy(current, p)), now);
    if (!next) break;
    chain.push(next);
    current = next;
  }
  return chain;
}

/**
 * Whether `parent` signed `child`, remembered per pair: a run checks many services behind the same
 * intermediates and roots, and a signature check is the costly part of building a chain.
 */
const issuedCache = new Map<string, boolean>();
function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  let issued = issuedCache.get(key);
  if (issued === undefined) {
    try {
      issued = child.checkIssued(parent) && child.verify(parent.publicKey);
    } catch {
      issued = false;
    }
    // Bounded: under `outage serve` a server may present a new certificate at every scrape.
    if (issuedCache.size >= 4096) issuedCache.clear();
    issuedCache.set(key, issued);
  }
  return issued;
}

function best(candidates: X509Certificate[], now: number): X509Certificate | undefined {
  const valid = (c: X509Certificate) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo);
  return [...candidates].sort((a, b) => Number(valid(b)) - Number(valid(a)) || Date.parse(b.validTo) - Date.parse(a.validTo))[0];
}

/**
 * One client SecureContext per trust configuration and client identity, shared by every
 * connection: building one loads the whole root store, which per connection cost more than the
 * handshake itself. Without `tls.ca` or SSL_CERT_FILE/SSL_CERT_DIR it is Node's default store
 * (its roots plus NODE_EXTRA_CA_CERTS); otherwise the roots are given explicitly, because `ca`
 * replaces the default store rather than extending it. Sharing a context shares no sessions: a client only resumes when
 * handed a session, and outage never does. The identity is part of the key, hashed so that no key
 * or passphrase is kept as a map key.
 */
const contexts = new Map<string, SecureContext>();
export function clientContext(configCa?: string, identity?: ClientCertificate): SecureContext {
  const key = `${configCa ?? ''}\0${identity ? identityDigest(identity) : ''}`;
  let context = contexts.get(key);
  if (!context) {
    // A certificate outage is told to trust is a trust anchor even when it is not a self-signed root
    // (OpenSSL's PARTIAL_CHAIN, which curl and Go's verifier use): a `tls.ca` or NODE_EXTRA_CA_CERTS
    // holding only the issuing intermediate an enterprise hands out verifies as for curl --cacert.
    // Node builds a partial-chain store from its bundled roots alone, without NODE_EXTRA_CA_CERTS,
    // so the roots are then given explicitly when NODE_EXTRA_CA_CERTS holds an intermediate. Only
    // then: OpenSSL parses every given root (~20 ms for 144), and Node's own store is ready at once.
    const explicit = Boolean(configCa || trustStore().fromEnvironment || extraHoldsIntermediate());
    context = createSecureContext({
      ...handshakePolicy(),
      // An array, not one joined text: OpenSSL stops reading a text at its first damaged block, so
      // one bad root in a user's bundle would silently drop every root after it.
      ...(explicit ? { ca: [...rootsWith(configCa)], allowPartialTrustChain: true } : {}),
      ...(identity ? { cert: identity.cert, key: identity.key, passphrase: identity.passphrase } : {}),
    });
    contexts.set(key, context);
  }
  return context;
}

let extraIntermediate: boolean | undefined;
/** Whether NODE_EXTRA_CA_CERTS holds a certificate not issued by itself: one only a partial-chain store trusts. */
function extraHoldsIntermediate(): boolean {
  extraIntermediate ??= holdsIntermediate(trustStore().extra);
  return extraIntermediate;
}

/**
 * Whether any of `pems` is not issued by itself, told from the names in its DER as OpenSSL compares
 * them (der-name.ts). Parsing each certificate (~0.15 ms) cost every https check ~19 ms when
 * NODE_EXTRA_CA_CERTS named a system bundle of ~145 roots, as set-ups that add a company CA often
 * do. A block the walk cannot read is parsed; one that does not parse is no anchor for OpenSSL either.
 */
export function holdsIntermediate(pems: readonly string[]): boolean {
  return pems.some((pem) => {
    try {
      return !selfIssued(pemToDer(pem));
    } catch {
      try {
        const certificate = new X509Certificate(pem);
        return certificate.subject !== certificate.issuer;
      } catch {
        return false;
      }
    }
  });
}

const digests = new WeakMap<ClientCertificate, string>();
function identityDigest(identity: ClientCertificate): string {
  let digest = digests.get(identity);
  if (digest === undefined) {
    const { cert, key, passphrase } = identity;
    digest = createHash('sha256').update(cert).update('\0').update(key).update('\0').update(passphrase ?? '').digest('base64');
    digests.set(identity, digest);
  }
  return digest;
}
