/**
 * Certificates made in code with chosen validity, so every TLS failure is produced by a real
 * handshake: valid, expired, not yet valid, wrong host, self-signed, expired intermediate,
 * expiring soon. ECDSA P-256 keeps generation fast.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import type { SecureContext, SecureVersion } from 'node:tls';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  name: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  name: string;
  hosts?: string[];
  /** Days from now; negative is in the past. */
  validFromDays?: number;
  validToDays?: number;
  ca?: boolean;
  issuer?: Issued;
  /** Where the issuer's certificate can be fetched (Authority Information Access), as public CAs say. */
  caIssuersUrl?: string;
  /** The issuer's signature hash: SHA-1 makes a certificate OpenSSL, browsers and Go refuse as too weak. */
  hash?: 'SHA-1' | 'SHA-256';
  /** Another certificate's key pair: a cross-signed CA is the same name and key under a second issuer. */
  keys?: CryptoKeyPair;
  /** A CA's path length constraint: 0 lets it issue server certificates only, no further CA. */
  pathLength?: number;
  /** Extended key usage OIDs, e.g. only TLS client authentication (1.3.6.1.5.5.7.3.2). */
  extendedKeyUsage?: string[];
}

let serial = 1;

export async function issue(options: IssueOptions): Promise<Issued> {
  const keys = options.keys ?? ((await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair);
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca ?? false, options.pathLength, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.ca) extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  if (options.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.cert));
  if (options.extendedKeyUsage) extensions.push(new x509.ExtendedKeyUsageExtension(options.extendedKeyUsage));
  if (options.caIssuersUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName('url', options.caIssuersUrl) }));
  if (options.hosts?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        options.hosts.map((h) => ({ type: /^[\d.]+$|:/.test(h) ? 'ip' : 'dns', value: h }) as x509.JsonGeneralName),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: `CN=${options.name}`,
    issuer: options.issuer ? options.issuer.cert.subject : `CN=${options.name}`,
    notBefore: new Date(now + (options.validFromDays ?? -1) * DAY),
    notAfter: new Date(now + (options.validToDays ?? 90) * DAY),
    signingAlgorithm: { ...ALG, hash: options.hash ?? ALG.hash },
    publicKey: keys.publicKey,
    signingKey: options.issuer ? options.issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { name: options.name, cert, keys, certPem: cert.toString('pem'), keyPem };
}

/** What a TLS server presents: its key and the chain it sends, leaf first. */
export interface ServerIdentity {
  key: string;
  cert: string;
  /** Picks the certificate by the name the client sent (SNI), as nginx's and load balancers' virtual hosts do. */
  SNICallback?: (servername: string, callback: (error: Error | null, context?: SecureContext) => void) => void;
  /** `DEFAULT:@SECLEVEL=0` lets a server present a certificate its own OpenSSL would call too weak. */
  ciphers?: string;
  /** The TLS versions the server accepts, e.g. only TLS 1.1 (an old appliance) or only TLS 1.3. */
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
}

export function identity(leaf: Issued, ...chain: Issued[]): ServerIdentity {
  return { key: leaf.keyPem, cert: [leaf, ...chain].map((c) => c.certPem).join('\n') };
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1', 'app.test', 'images.test'];

export interface TestPki {
  root: Issued;
  /** Path of a PEM file holding the root: what `tls.ca` or NODE_EXTRA_CA_CERTS points at. */
  rootFile: string;
  valid: ServerIdentity;
  expired: ServerIdentity;
  notYetValid: ServerIdentity;
  wrongHost: ServerIdentity;
  selfSigned: ServerIdentity;
  expiredIntermediate: ServerIdentity;
  expiringSoon: ServerIdentity;
  /** A leaf naming where its intermediate is published (as public CAs' do), sent without it. */
  incompleteChain: ServerIdentity;
  /** A leaf signed straight by a root nobody trusts (a private CA), sent alone. */
  privateCa: ServerIdentity;
}

let pki: Promise<TestPki> | undefined;

export function testPki(): Promise<TestPki> {
  pki ??= (async () => {
    const root = await issue({ name: 'Outage Test Root', ca: true, validFromDays: -400, validToDays: 3650 });
    const intermediate = await issue({ name: 'Outage Test Intermediate', ca: true, issuer: root, validFromDays: -300, validToDays: 1000 });
    const oldIntermediate = await issue({ name: 'Outage Expired Intermediate', ca: true, issuer: root, validFromDays: -300, validToDays: -3 });
    const leaf = (name: string, extra: Partial<IssueOptions> = {}) => issue({ name, hosts: LOCAL_HOSTS, issuer: intermediate, ...extra });
    const dir = mkdtempSync(join(tmpdir(), 'outage-pki-'));
    const rootFile = join(dir, 'root.pem');
    writeFileSync(rootFile, root.certPem);
    const selfSignedLeaf = await issue({ name: 'self-signed.test', hosts: LOCAL_HOSTS });
    return {
      root,
      rootFile,
      valid: identity(await leaf('localhost'), intermediate),
      expired: identity(await leaf('expired.test', { validFromDays: -100, validToDays: -2 }), intermediate),
      notYetValid: identity(await leaf('future.test', { validFromDays: 5, validToDays: 100 }), intermediate),
      wrongHost: identity(await leaf('other.example', { hosts: ['other.example'] }), intermediate),
      selfSigned: identity(selfSignedLeaf),
      expiredIntermediate: identity(await issue({ name: 'behind-expired.test', hosts: LOCAL_HOSTS, issuer: oldIntermediate, validToDays: 60 }), oldIntermediate),
      expiringSoon: identity(await leaf('soon.test', { validToDays: 5.5 }), intermediate),
      // Never fetched: outage does not follow AIA (neither does curl); the URL only says it is public-style.
      incompleteChain: identity(await leaf('no-intermediate.test', { caIssuersUrl: 'http://ca.example/intermediate.crt' })),
      privateCa: identity(await issue({ name: 'private-ca.test', hosts: LOCAL_HOSTS, issuer: await issue({ name: 'Private Root', ca: true }) })),
    };
  })();
  return pki;
}
