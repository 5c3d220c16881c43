/** What a certificate says, as reports carry it: names, validity, days left, fingerprint. */
import type { X509Certificate } from 'node:crypto';
import { DAY_MS } from '../core/duration.js';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  serialNumber: string;
  fingerprint256: string;
}

/**
 * What a certificate says, read once per certificate object: each field is a call into OpenSSL
 * (the fingerprint a SHA-256 of it), and one handshake lists the leaf and intermediate both as
 * presented and in the chain, while the trusted root is the same object for every service.
 */
const described = new WeakMap<X509Certificate, Omit<CertificateInfo, 'daysLeft'> & { validToMs: number }>();

export function certificateInfo(cert: X509Certificate, now = Date.now()): CertificateInfo {
  let info = described.get(cert);
  if (!info) {
    const validToMs = Date.parse(cert.validTo);
    info = {
      subject: shortName(cert.subject),
      issuer: shortName(cert.issuer),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(validToMs).toISOString(),
      serialNumber: cert.serialNumber,
      fingerprint256: cert.fingerprint256,
      validToMs,
    };
    described.set(cert, info);
  }
  const { subject, issuer, validFrom, validTo, serialNumber, fingerprint256, validToMs } = info;
  // Tenths of a day, rounded up: thresholds are "at or below N days", and rounding to nearest made
  // a certificate with under ~72 minutes left read 0.0 days — down under the default `down: 0d`
  // while it was still valid (curl and blackbox_exporter succeed until it expires).
  return { subject, issuer, validFrom, validTo, daysLeft: Math.ceil(((validToMs - now) / DAY_MS) * 10) / 10 || 0, serialNumber, fingerprint256 };
}

export function earliestExpiring(chain: CertificateInfo[]): CertificateInfo | undefined {
  return chain.reduce<CertificateInfo | undefined>((a, c) => (!a || Date.parse(c.validTo) < Date.parse(a.validTo) ? c : a), undefined);
}

export function shortName(dn: string): string {
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1];
  return cn ? `CN=${cn}` : dn.replace(/\n/g, ', ');
}
