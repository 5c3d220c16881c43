/**
 * Trust anchors found by name without parsing the whole root store. Parsing ~140 roots into
 * X509Certificate objects took ~30 ms (hundreds on a busy machine) on every https check, only to
 * find the one root that signed the chain. Each root's subject is instead read straight from its
 * DER (der-name.ts), and only the roots whose subject is byte for byte the certificate's issuer,
 * or the same name spelt another way (OpenSSL's canonical form), are parsed.
 *
 * Working out the canonical form of every root's name cost ~3 ms of every https check, for the one
 * name a check looks up. Roots are instead grouped by the attribute types of their name (the same
 * name always has the same types, in the same places), and only the group a lookup lands in is put
 * in canonical form, once.
 */
import { X509Certificate } from 'node:crypto';
import { nameField, nameKey, nameShape, view } from './der-name.js';
import { pemToDer } from './trust-store.js';

export interface AnchorIndex {
  /**
   * The anchors named as `cert`'s issuer, as OpenSSL compares names: byte for byte or spelt
   * another way (and unreadable ones that match by name). Only those are parsed.
   */
  issuersOf(cert: X509Certificate): X509Certificate[];
  /**
   * Every anchor named as `cert`'s issuer, found by parsing the whole store (~25 ms): what
   * issuersOf falls back to when `cert`'s own issuer cannot be read from its DER.
   */
  issuersByName(cert: X509Certificate): X509Certificate[];
  /** Whether `cert` itself is an anchor (a pinned leaf or intermediate: OpenSSL's partial chain). */
  trusts(cert: X509Certificate): boolean;
}

export function indexAnchors(pems: readonly string[]): AnchorIndex {
  /** Roots by the shape of their subject; each group's canonical keys worked out on first lookup. */
  const byShape = new Map<number | string, { der: Buffer; at: number; end: number; pem: string }[]>();
  const canonicalGroups = new Map<number | string, Map<string, string[]>>();
  const unreadable: string[] = [];
  for (const pem of pems) {
    try {
      const der = pemToDer(pem);
      const { at, end } = nameField(der, 'subject');
      const shape = nameShape(der, at, end);
      let group = byShape.get(shape);
      if (!group) byShape.set(shape, (group = []));
      group.push({ der, at, end, pem });
    } catch {
      unreadable.push(pem);
    }
  }
  const bySubject = (shape: number | string): Map<string, string[]> => {
    let keys = canonicalGroups.get(shape);
    if (!keys) {
      keys = new Map();
      for (const { der, at, end, pem } of byShape.get(shape) ?? []) {
        const key = nameKey(der, at, end);
        keys.set(key, [...(keys.get(key) ?? []), pem]);
      }
      canonicalGroups.set(shape, keys);
    }
    return keys;
  };
  const namedBy = new Map<string, string[]>();
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
  const parseAll = (pemList: readonly string[]) => pemList.map(parse).filter((a): a is X509Certificate => a !== undefined);
  const byName = (pemList: readonly string[], cert: X509Certificate) => parseAll(pemList).filter((a) => a.subject === cert.issuer);
  const issuersByName = (cert: X509Certificate) => byName(pems, cert);
  return {
    issuersOf(cert) {
      let named: string[] | undefined;
      try {
        const issuer = nameField(cert.raw, 'issuer');
        // Thousands of services name a few issuers: each is put in canonical form once.
        const bytes = view(cert.raw).toString('latin1', issuer.at, issuer.end);
        named = namedBy.get(bytes);
        if (!named) {
          // A server under `outage serve` may name a new issuer at every scrape: kept bounded.
          if (namedBy.size >= 1024) namedBy.clear();
          namedBy.set(bytes, (named = bySubject(nameShape(cert.raw, issuer.at, issuer.end)).get(nameKey(cert.raw, issuer.at, issuer.end)) ?? []));
        }
      } catch {
        // Node read this certificate, so this walk should too; if it cannot, only a parse of every
        // root finds its issuer, and a presented copy must not win for want of looking.
        return issuersByName(cert);
      }
      return [...parseAll(named), ...byName(unreadable, cert)];
    },
    issuersByName,
    trusts(cert) {
      let named: readonly string[];
      try {
        const { at, end } = nameField(cert.raw, 'subject');
        named = bySubject(nameShape(cert.raw, at, end)).get(nameKey(cert.raw, at, end)) ?? [];
      } catch {
        named = pems;
      }
      return parseAll([...named, ...unreadable]).some((a) => a.fingerprint256 === cert.fingerprint256);
    },
  };
}
