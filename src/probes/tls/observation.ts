/** What the TLS probe sees, and the part of it the report carries. */
import type { CertificateInfo } from '../../net/certificates.js';
import type { ObservationBase } from '../../core/observation.js';

export interface TlsObservation extends ObservationBase {
  kind: 'tls';
  protocol?: string;
  cipher?: string;
  alpn?: string;
  authorized: boolean;
  /** OpenSSL/Node verification code such as CERT_HAS_EXPIRED, when not authorized. */
  authorizationError?: string;
  /** Certificates as the server presented them, leaf first. */
  presented: CertificateInfo[];
  /** The chain that verification follows to a trust anchor (trusted roots preferred). */
  chain: CertificateInfo[];
  /** The earliest-expiring certificate of `chain`: what actually limits the service's life. */
  earliest?: CertificateInfo;
  /**
   * Days until `earliest` expires when the handshake was inspected, not rounded: thresholds compare
   * against this. `daysLeft` is rounded up to tenths for people to read, and `down: 6h` (0.25 days)
   * compared to it would miss a certificate with 5 hours left (0.3 days).
   */
  earliestDaysLeft?: number;
  verify: boolean;
}

export interface TlsDetails {
  protocol?: string;
  cipher?: string;
  alpn?: string;
  authorized: boolean;
  authorizationError?: string;
  daysLeft?: number;
  earliest?: { subject: string; validTo: string };
  chain: CertificateInfo[];
  /** Only when it differs from `chain` (an extra cross-signed root, a missing intermediate). */
  presented?: CertificateInfo[];
}
