/**
 * What a refused certificate means, in words naming the certificate at fault: Node's verification
 * code (OpenSSL's, or its own for the host name) turned into a stable failure code and a reason.
 * The stricter name check browsers, curl and Go make (server-identity.ts) is applied here too.
 */
import type { X509Certificate } from 'node:crypto';
import { coveredNames, stricterNameFailure } from './server-identity.js';
import type { CertificateInfo } from './certificate-info.js';
import { DAY_MS, formatDuration } from '../core/duration.js';
import type { Failure } from '../core/failure.js';

/** Turn Node's verification result into a stable failure code naming the certificate at fault. */
export function verificationFailure(
  authorizationError: string | undefined,
  chain: CertificateInfo[],
  presented: CertificateInfo[],
  host: string,
  now: number,
  leaf?: X509Certificate,
  said?: string,
): Failure | undefined {
  const leafAltNames = leaf?.subjectAltName;
  // Node still accepts a name found only in the subject's CN, and a partial wildcard; browsers and
  // Go have not for years (RFC 6125 §6.4.4: a client must not look at the CN when the certificate
  // has subjectAltNames, and public CAs have issued them since 2017). Either fails as a name mismatch.
  const stricter = !authorizationError && presented[0] ? stricterNameFailure(host, leafAltNames) : undefined;
  if (stricter) return { code: 'tls.hostname_mismatch', reason: stricter };
  if (!authorizationError) return undefined;
  const all = [...chain, ...presented];
  const position = (c: CertificateInfo) => (c === all[0] ? 'server certificate' : c.subject === c.issuer ? 'root' : 'intermediate');
  // The top of the path OpenSSL followed, not the last certificate sent: a server may send its
  // root first or a stray CA last, and naming that one sends the reader to the wrong CA.
  const top = chain.at(-1) ?? presented.at(-1);
  switch (authorizationError) {
    case 'CERT_HAS_EXPIRED': {
      // By the time itself: `daysLeft` is rounded up to tenths, so one that lapsed in the last
      // 2.4 hours (when monitoring reports it) reads 0 and would go unnamed.
      const expired = all.find((c) => Date.parse(c.validTo) < now);
      if (!expired) return { code: 'tls.expired', reason: 'a certificate in the chain has expired' };
      const ago = now - Date.parse(expired.validTo);
      const when = ago < DAY_MS ? `${formatDuration(ago)} ago (${minuteStamp(expired.validTo)})` : `${Math.floor(ago / DAY_MS)}d ago (${expired.validTo.slice(0, 10)})`;
      return { code: 'tls.expired', reason: `${position(expired)} ${expired.subject} expired ${when}` };
    }
    case 'CERT_NOT_YET_VALID': {
      const early = all.find((c) => Date.parse(c.validFrom) > now);
      if (!early) return { code: 'tls.not_yet_valid', reason: 'a certificate in the chain is not valid yet' };
      const ahead = Date.parse(early.validFrom) - now;
      // Within a day it is most often this machine's clock running behind (curl and OpenSSL refuse
      // it alike, and browsers then say "your clock is behind"): the exact time says by how much.
      const when = ahead < DAY_MS ? `${early.validFrom.slice(0, 19).replace('T', ' ')} UTC, in ${formatDuration(ahead)} (is this machine's clock behind?)` : early.validFrom.slice(0, 10);
      return { code: 'tls.not_yet_valid', reason: `${position(early)} ${early.subject} is not valid until ${when}` };
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: 'tls.hostname_mismatch', reason: `certificate is not valid for ${host}${leafAltNames ? ` (it covers ${coveredNames(leafAltNames)})` : ''}` };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return { code: 'tls.untrusted', reason: `self-signed certificate (${presented[0]?.subject ?? 'unknown'})` };
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return { code: 'tls.untrusted', reason: `chain ends in an untrusted root (${top?.subject ?? 'unknown'})` };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return unknownLeafIssuer(presented[0]?.issuer ?? 'unknown', leaf);
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      // With PARTIAL_CHAIN (clientContext) OpenSSL reports a leaf whose issuer is nowhere this way too.
      if (chain.length <= 1) return unknownLeafIssuer(presented[0]?.issuer ?? 'unknown', leaf);
      return { code: 'tls.untrusted', reason: `issuer ${top?.issuer ?? ''} is not a trusted CA (incomplete chain or private CA)` };
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return { code: 'tls.untrusted', reason: `issuer ${top?.issuer ?? ''} is not a trusted CA (incomplete chain or private CA)` };
    default:
      return { code: 'tls.untrusted', reason: `certificate not trusted${said && said !== authorizationError ? `: ${said}` : ''} (${authorizationError})` };
  }
}

/**
 * The leaf's issuer is nowhere: not sent, not trusted. A public CA's leaf says where its issuer is
 * published (AIA caIssuers), so then an intermediate is most likely missing (a private CA may say
 * so too, hence the second half); without that it may as well be a private CA, and calling it an
 * incomplete chain sends the reader the wrong way.
 */
function unknownLeafIssuer(issuer: string, leaf?: X509Certificate): Failure {
  if (/CA Issuers/i.test(leaf?.infoAccess ?? '')) {
    return { code: 'tls.untrusted', reason: `incomplete chain: the server did not send the certificate of its issuer ${issuer} (or that issuer is a CA not trusted here)` };
  }
  return { code: 'tls.untrusted', reason: `issuer ${issuer} is not a trusted CA and the server sent no certificate for it (a private CA, or a missing intermediate)` };
}

/** `2026-11-24 19:39 UTC`: an ISO time to the minute, for a moment within the last day. */
function minuteStamp(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
