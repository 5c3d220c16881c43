/**
 * Finding the root that signed a chain without parsing the whole root store: names are read from
 * the DER, and the anchors found are the ones a full parse would find.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { webcrypto, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { indexAnchors } from '../../src/net/anchor-index.js';
import { canonicalName, certificateNames } from '../../src/net/der-name.js';
import { unique } from '../../src/net/trust-store.js';
import { holdsIntermediate } from '../../src/net/certificates.js';
import { issue, testPki } from '../helpers/certs.js';

// Counts X509Certificate parses, the cost the index exists to avoid.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  class Counted extends crypto.X509Certificate {
    constructor(...args: ConstructorParameters<typeof crypto.X509Certificate>) {
      super(...args);
      parses.count++;
    }
  }
  return { ...crypto, X509Certificate: Counted };
});

/** DER of a Name from RDNs of [OID content hex, value tag, value bytes] attributes. */
function derName(...rdns: [string, number, Uint8Array][][]): Uint8Array {
  const tlv = (tag: number, content: Uint8Array) => {
    const n = content.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return Uint8Array.from([tag, ...length, ...content]);
  };
  const attribute = ([oid, tag, value]: [string, number, Uint8Array]) => tlv(0x30, Uint8Array.from([...tlv(0x06, Buffer.from(oid, 'hex')), ...tlv(tag, value)]));
  return tlv(0x30, Uint8Array.from(rdns.flatMap((rdn) => [...tlv(0x31, Uint8Array.from(rdn.flatMap((a) => [...attribute(a)])))])));
}

const CN = '550403';
const O = '55040a';
const UTF8 = 0x0c;
const PRINTABLE = 0x13;
const T61 = 0x14;
const IA5 = 0x16;
const UNIVERSAL = 0x1c;
const BMP = 0x1e;
const NUMERIC = 0x12;
const text = (s: string) => Buffer.from(s, 'utf8');
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const bmp = (s: string) => Buffer.from(s, 'utf16le').swap16();
const universal = (s: string) => Buffer.from([...s].flatMap((c) => {
  const code = c.codePointAt(0) ?? 0;
  return [code >>> 24, (code >> 16) & 0xff, (code >> 8) & 0xff, code & 0xff];
}));
/** A name's value with its string type chosen (0x0c UTF8String, 0x13 PrintableString): the DER after `#`. */
const spelt = (tag: number, value: string) => `#${Buffer.from([tag, Buffer.byteLength(value), ...Buffer.from(value)]).toString('hex')}`;
const key = (...rdns: [string, number, Uint8Array][][]) => canonicalName(derName(...rdns));

describe('the trust-anchor index', () => {
  it('reads the subject of every root Node ships, as X509Certificate does', () => {
    for (const pem of rootCertificates) {
      const names = certificateNames(new X509Certificate(pem).raw);
      const cert = new X509Certificate(pem);
      // A self-signed root names itself: the walk found the right two fields.
      if (cert.checkIssued(cert)) expect(names.issuer).toBe(names.subject);
      expect(names.subject.length).toBeGreaterThan(0);
    }
  });

  it('finds the root that issued an intermediate, among the real roots, and none for an unknown issuer', async () => {
    const pki = await testPki();
    const intermediate = await issue({ name: 'Index Test Intermediate', ca: true, issuer: pki.root });
    const stranger = await issue({ name: 'Index Test Stranger', ca: true });
    const leaf = await issue({ name: 'leaf.test', hosts: ['leaf.test'], issuer: stranger });
    const index = indexAnchors([...rootCertificates, pki.root.certPem]);
    expect(index.issuersOf(new X509Certificate(intermediate.certPem)).map((a) => a.fingerprint256)).toEqual([new X509Certificate(pki.root.certPem).fingerprint256]);
    expect(index.issuersOf(new X509Certificate(leaf.certPem))).toEqual([]);
  });

  it('an unreadable entry in the store is skipped, and the real root still found', async () => {
    const pki = await testPki();
    const intermediate = await issue({ name: 'Index Test Intermediate 2', ca: true, issuer: pki.root });
    const index = indexAnchors(['-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----', pki.root.certPem]);
    expect(index.issuersOf(new X509Certificate(intermediate.certPem))).toHaveLength(1);
  });

  it('by name, the last resort, finds the same root as the exact index', async () => {
    const pki = await testPki();
    const intermediate = await issue({ name: 'Index Test Intermediate 3', ca: true, issuer: pki.root });
    const index = indexAnchors([...rootCertificates, pki.root.certPem]);
    const root = new X509Certificate(pki.root.certPem).fingerprint256;
    expect(index.issuersByName(new X509Certificate(intermediate.certPem)).map((a) => a.fingerprint256)).toEqual([root]);
  });

  it('the canonical name is the same however the text is encoded, cased or spaced, as OpenSSL compares names', () => {
    const expected = key([[CN, UTF8, text('Enc Root')]]);
    expect(key([[CN, PRINTABLE, text('  ENC \t  root ')]])).toBe(expected);
    expect(key([[CN, IA5, text('enc root')]])).toBe(expected);
    expect(key([[CN, BMP, bmp('Enc Root')]])).toBe(expected);
    expect(key([[CN, UNIVERSAL, universal('Enc Root')]])).toBe(expected);
    expect(key([[CN, T61, latin1('Zürich Root')]])).toBe(key([[CN, UTF8, text('zürich root')]]));
    expect(key([[CN, BMP, bmp('Root 😀')]])).toBe(key([[CN, UNIVERSAL, universal('root 😀')]]));
    // The attributes of one RDN in any order; the RDNs themselves in theirs.
    expect(key([[CN, UTF8, text('A')], [O, UTF8, text('B')]])).toBe(key([[O, PRINTABLE, text('b')], [CN, PRINTABLE, text('a')]]));
    expect(key([[O, UTF8, text('B')]], [[CN, UTF8, text('A')]])).not.toBe(key([[CN, UTF8, text('A')]], [[O, UTF8, text('B')]]));
  });

  it('the canonical name still tells different names apart', () => {
    const root = key([[CN, UTF8, text('Enc Root')]]);
    expect(key([[CN, UTF8, text('Enc Root 2')]])).not.toBe(root);
    expect(key([[O, UTF8, text('Enc Root')]])).not.toBe(root);
    expect(key([[CN, UTF8, text('EncRoot')]])).not.toBe(root);
    // Only ASCII is case-folded, and a type OpenSSL does not convert keeps its bytes.
    expect(key([[CN, UTF8, text('É')]])).not.toBe(key([[CN, UTF8, text('é')]]));
    expect(key([[CN, NUMERIC, text('123')]])).not.toBe(key([[CN, PRINTABLE, text('123')]]));
    expect(key([[CN, NUMERIC, text('123')]])).toBe(key([[CN, NUMERIC, text('123')]]));
  });

  it('a root named as a UTF8String is the issuer of a certificate naming it as a PrintableString, cased and spaced differently, and only that root is parsed', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const create = (subject: x509.JsonName, issuer: x509.JsonName) =>
      x509.X509CertificateGenerator.create({ subject, issuer, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: alg, publicKey: keys.publicKey, signingKey: keys.privateKey });
    const rootName: x509.JsonName = [{ CN: [spelt(0x0c, 'Outage Encoding Root')] }, { O: [spelt(0x0c, 'Outage Tests')] }];
    const root = (await create(rootName, rootName)).toString('pem');
    const issued = await create([{ CN: [spelt(0x0c, 'issued.test')] }], [{ CN: [spelt(0x13, ' OUTAGE  encoding ROOT')] }, { O: [spelt(0x13, 'outage tests ')] }]);
    const index = indexAnchors([...rootCertificates, root]);
    const cert = new X509Certificate(issued.toString('pem'));
    // Not byte for byte the root's subject: only the canonical name can find it.
    expect(certificateNames(cert.raw).issuer).not.toBe(certificateNames(new X509Certificate(root).raw).subject);
    parses.count = 0;
    const found = index.issuersOf(cert);
    expect(parses.count).toBe(1);
    expect(found.map((a) => a.fingerprint256)).toEqual([new X509Certificate(root).fingerprint256]);
    expect(cert.checkIssued(found[0]!)).toBe(true); // OpenSSL agrees it is the same name
  });

  it("a root whose name has two attributes in one RDN is found from an issuer name listing them the other way round and spelt another way", async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const create = (subject: x509.JsonName, issuer: x509.JsonName) =>
      x509.X509CertificateGenerator.create({ subject, issuer, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: alg, publicKey: keys.publicKey, signingKey: keys.privateKey });
    const rootName: x509.JsonName = [{ CN: [spelt(0x0c, 'Outage Pair Root')], O: [spelt(0x0c, 'Outage Tests')] }];
    const root = new X509Certificate((await create(rootName, rootName)).toString('pem'));
    const issued = new X509Certificate((await create([{ CN: [spelt(0x0c, 'pair.test')] }], [{ O: [spelt(0x13, 'OUTAGE TESTS')], CN: [spelt(0x13, 'outage pair root')] }])).toString('pem'));
    expect(certificateNames(issued.raw).issuer).not.toBe(certificateNames(root.raw).subject);
    const found = indexAnchors([...rootCertificates, root.toString()]).issuersOf(issued);
    expect(found.map((a) => a.fingerprint256)).toEqual([root.fingerprint256]);
    expect(issued.checkIssued(root)).toBe(true); // OpenSSL agrees it is the same name
  });

  it('whatever its attributes, string types, case, spacing and order inside an RDN, a name spelt another way finds its root, and another name does not', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const create = async (subject: x509.JsonName, issuer: x509.JsonName) =>
      new X509Certificate((await x509.X509CertificateGenerator.create({ subject, issuer, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: alg, publicKey: keys.publicKey, signingKey: keys.privateKey })).toString('pem'));
    // emailAddress and domainComponent have long OIDs, the others id-at's three bytes.
    const types = ['CN', 'O', 'OU', 'L', 'ST', 'E', 'DC'] as const;
    const value = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}( [A-Za-z0-9]{1,6})?$/);
    const rdn = fc.uniqueArray(fc.record({ type: fc.constantFrom(...types), value }), { minLength: 1, maxLength: 2, selector: (a) => a.type });
    const respell = (text: string) => `  ${text.toUpperCase().replace(/ /g, ' \t ')} `;
    await fc.assert(
      fc.asyncProperty(fc.array(rdn, { minLength: 1, maxLength: 3 }), fc.boolean(), async (rdns, reorder) => {
        const name = (spell: (a: { type: string; value: string }) => string, flip: boolean): x509.JsonName =>
          rdns.map((attributes) => Object.fromEntries((flip ? [...attributes].reverse() : attributes).map((a) => [a.type, [spell(a)]])));
        // IA5String is all emailAddress and domainComponent may be; the rest are UTF8String in the root.
        const rootName = name((a) => spelt(['E', 'DC'].includes(a.type) ? 0x16 : 0x0c, a.value), false);
        const issuerName = name((a) => spelt(['E', 'DC'].includes(a.type) ? 0x16 : 0x13, respell(a.value)), reorder);
        const root = await create(rootName, rootName);
        const issued = await create([{ CN: [spelt(0x0c, 'leaf.test')] }], issuerName);
        const other = await create([{ CN: [spelt(0x0c, 'other.test')] }], name((a) => spelt(0x0c, `${a.value}x`), false));
        const index = indexAnchors([...rootCertificates, root.toString()]);
        expect(index.issuersOf(issued).map((a) => a.fingerprint256)).toEqual([root.fingerprint256]);
        expect(issued.checkIssued(root)).toBe(true); // OpenSSL agrees it is the same name
        expect(index.issuersOf(other)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('a root listed again, wrapped differently, counts once', async () => {
    const pki = await testPki();
    const rewrapped = pki.root.certPem.replace(/\n/g, '\r\n').replace(/([A-Za-z0-9+/=]{32})/, '$1\n');
    expect(unique([pki.root.certPem, ...rootCertificates, rewrapped, pki.root.certPem])).toEqual([pki.root.certPem, ...rootCertificates]);
  });
});

describe('what NODE_EXTRA_CA_CERTS holds', () => {
  it('a bundle of roots holds no intermediate, told without parsing one certificate', async () => {
    const pki = await testPki();
    parses.count = 0;
    expect(holdsIntermediate([...rootCertificates, pki.root.certPem])).toBe(false);
    expect(parses.count).toBe(0);
  });

  it('an issuing intermediate anywhere in it is found, as OpenSSL would see it', async () => {
    const pki = await testPki();
    const intermediate = await issue({ name: 'Extra Bundle Intermediate', ca: true, issuer: pki.root });
    expect(holdsIntermediate([...rootCertificates, intermediate.certPem])).toBe(true);
    expect(holdsIntermediate([intermediate.certPem, pki.root.certPem])).toBe(true);
  });

  it('a root naming itself spelt two ways is a root, as OpenSSL compares names; a damaged block is no intermediate', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const root = await x509.X509CertificateGenerator.create({
      subject: [{ CN: [spelt(0x0c, 'Outage Spelt Root')] }],
      issuer: [{ CN: [spelt(0x13, 'outage  SPELT root')] }],
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: alg,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
    });
    const cert = new X509Certificate(root.toString('pem'));
    expect(certificateNames(cert.raw).issuer).not.toBe(certificateNames(cert.raw).subject);
    expect(cert.checkIssued(cert)).toBe(true); // OpenSSL: it issued itself
    expect(holdsIntermediate([root.toString('pem')])).toBe(false);
    expect(holdsIntermediate(['-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----'])).toBe(false);
  });
});
