/**
 * Trust anchors found by name without parsing the whole root store. Parsing ~140 roots into
 * X509Certificate objects took ~30 ms (hundreds on a busy machine) on every https check, only to
 * find the one root that signed the chain. Each root's subject is instead read straight from its
 * DER (a few bytes' walk, no cryptography), and only the roots whose subject is byte for byte the
 * certificate's issuer are parsed. A name encoded differently (or a root this walk cannot read)
 * falls back to parsing every root and matching by name, as before.
 */
import { X509Certificate } from 'node:crypto';

interface Tlv {
  /** Offset of the tag byte. */
  at: number;
  tag: number;
  /** Offset of the first content byte, and one past the last. */
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw new RangeError('truncated DER');
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start++] ?? 0);
  }
  const end = start + length;
  if (end > der.length) throw new RangeError('truncated DER');
  return { at, tag, start, end };
}

/** The DER of a certificate's issuer and subject Names (RFC 5280 §4.1: tbsCertificate's 4th and 6th fields). */
export function certificateNames(der: Uint8Array): { issuer: string; subject: string } {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let field = readTlv(der, tbs.start);
  if (field.tag === 0xa0) field = readTlv(der, field.end); // the optional [0] version
  const signature = readTlv(der, field.end); // after the serial number
  const issuer = readTlv(der, signature.end);
  const validity = readTlv(der, issuer.end);
  const subject = readTlv(der, validity.end);
  if (certificate.tag !== 0x30 || tbs.tag !== 0x30 || issuer.tag !== 0x30 || subject.tag !== 0x30) throw new RangeError('not a certificate');
  const hex = (tlv: Tlv) => Buffer.from(der.subarray(tlv.at, tlv.end)).toString('hex');
  return { issuer: hex(issuer), subject: hex(subject) };
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
}

export interface AnchorIndex {
  /** The anchors whose subject is byte for byte `cert`'s issuer (and unreadable ones that match by name). */
  issuersOf(cert: X509Certificate): X509Certificate[];
  /**
   * Every anchor named as `cert`'s issuer, however the name is encoded. It parses the whole store
   * once, so it is the last resort: only when neither an exact anchor nor a presented certificate
   * continues the chain.
   */
  issuersByName(cert: X509Certificate): X509Certificate[];
}

export function indexAnchors(pems: readonly string[]): AnchorIndex {
  const bySubject = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const pem of pems) {
    try {
      const { subject } = certificateNames(pemToDer(pem));
      bySubject.set(subject, [...(bySubject.get(subject) ?? []), pem]);
    } catch {
      unreadable.push(pem);
    }
  }
  const parsed = new Map<string, X509Certificate | undefined>();
  const parse = (pem: string) => {
    if (!parsed.has(pem)) {
      try {
        parsed.set(pem, new X509Certificate(pem));
      } catch {
        // An unparsable extra root is simply not an anchor; Node's own store ignores it too.
        parsed.set(pem, undefined);
      }
    }
    return parsed.get(pem);
  };
  const byName = (pemList: readonly string[], cert: X509Certificate) =>
    pemList.map(parse).filter((a): a is X509Certificate => a !== undefined && a.subject === cert.issuer);
  return {
    issuersOf(cert) {
      let issuer: string | undefined;
      try {
        issuer = certificateNames(cert.raw).issuer;
      } catch {
        issuer = undefined;
      }
      const exact = issuer === undefined ? [] : (bySubject.get(issuer) ?? []).map(parse).filter((a): a is X509Certificate => a !== undefined);
      return [...exact, ...byName(unreadable, cert)];
    },
    issuersByName: (cert) => byName(pems, cert),
  };
}
