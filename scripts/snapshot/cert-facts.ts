/**
 * The test PKI's certificates are made at the start of each run, so their dates and fingerprints
 * differ between runs. This reads each certificate once and names its dates by their offset from
 * that moment (`now+90d`) and its fingerprint by its CN: the names are the same in every run.
 */
import { X509Certificate } from 'node:crypto';
import type { TestPki } from '../../test/helpers/certs.js';

export interface CertFacts {
  /** Certificate validity bounds (ms, second precision) → `now+90d`. */
  times: Map<number, string>;
  /** YYYY-MM-DD → the bounds on that day, `now+90d`. */
  days: Map<string, string>;
  /** SHA-256 fingerprint → `<FINGERPRINT cn>`. */
  fingerprints: Map<string, string>;
}

/**
 * Certificates are valid for whole days before and after the moment they were made; several made
 * in one second share a bound, and their offset is still one.
 */
export function certFacts(pki: TestPki, madeAt: number): CertFacts {
  const pems = [pki.root.certPem, ...Object.values(pki).flatMap((v) => (typeof v === 'object' && v && 'cert' in v && typeof v.cert === 'string' ? [v.cert] : []))];
  const facts: CertFacts = { times: new Map(), days: new Map(), fingerprints: new Map() };
  const days = new Map<string, Set<string>>();
  for (const pem of pems) {
    for (const block of pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []) {
      const cert = new X509Certificate(block);
      const cn = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject;
      facts.fingerprints.set(cert.fingerprint256.toUpperCase(), `<FINGERPRINT ${cn}>`);
      for (const ms of [Date.parse(cert.validFrom), Date.parse(cert.validTo)]) {
        const offset = Math.round(((ms - madeAt) / 86_400_000) * 10) / 10;
        const label = `now${offset < 0 ? '-' : '+'}${Math.abs(offset)}d`;
        facts.times.set(ms, label);
        const day = new Date(ms).toISOString().slice(0, 10);
        if (!days.has(day)) days.set(day, new Set());
        days.get(day)!.add(label);
      }
    }
  }
  for (const [day, labels] of days) facts.days.set(day, [...labels].sort().join(' or '));
  return facts;
}
