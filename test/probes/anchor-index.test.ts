/**
 * Finding the root that signed a chain without parsing the whole root store: names are read from
 * the DER, and the anchors found are the ones a full parse would find.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificateNames, indexAnchors } from '../../src/net/anchor-index.js';
import { unique } from '../../src/net/trust-store.js';
import { issue, testPki } from '../helpers/certs.js';

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

  it('a root listed again, wrapped differently, counts once', async () => {
    const pki = await testPki();
    const rewrapped = pki.root.certPem.replace(/\n/g, '\r\n').replace(/([A-Za-z0-9+/=]{32})/, '$1\n');
    expect(unique([pki.root.certPem, ...rootCertificates, rewrapped, pki.root.certPem])).toEqual([pki.root.certPem, ...rootCertificates]);
  });
});
