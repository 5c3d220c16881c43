/**
 * Which certificate OpenSSL refused for its purpose (`INVALID_PURPOSE`, `INVALID_CA`), in words:
 * Node gives only the code, and curl only "unsuitable certificate purpose", for two different
 * mistakes — a server certificate issued for TLS clients (or code signing), and an intermediate
 * that is not a CA. OpenSSL checks both for a TLS server's chain (its "sslserver" purpose).
 */
import type { X509Certificate } from 'node:crypto';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_USAGE = '2.5.29.37.0';
const USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.2': 'TLS client authentication',
  '1.3.6.1.5.5.7.3.3': 'code signing',
  '1.3.6.1.5.5.7.3.4': 'e-mail protection',
  '1.3.6.1.5.5.7.3.8': 'time stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP signing',
};

/** Whether an extended key usage, if the certificate has one, lets it serve TLS. */
function servesTls(cert: X509Certificate): boolean {
  const usages = cert.keyUsage;
  return !usages || usages.includes(SERVER_AUTH) || usages.includes(ANY_USAGE);
}

/**
 * The certificate of `chain` (leaf first, as verification followed it) that is unfit for a TLS
 * server's chain, described; undefined when none is found here (OpenSSL's words then stand alone).
 */
export function purposeProblem(chain: readonly X509Certificate[], name: (cert: X509Certificate) => string): string | undefined {
  const [leaf, ...above] = chain;
  if (leaf && !servesTls(leaf)) {
    const usages = (leaf.keyUsage ?? []).map((oid) => USAGES[oid] ?? oid).join(', ');
    return `server certificate ${name(leaf)} is not for TLS servers: its extended key usage allows only ${usages}`;
  }
  const notCa = above.find((cert) => !cert.ca);
  if (notCa) return `intermediate ${name(notCa)} is not a CA certificate`;
  const narrowed = above.find((cert) => !servesTls(cert));
  if (narrowed) return `intermediate ${name(narrowed)} may not issue TLS server certificates: its extended key usage leaves out TLS server authentication`;
  return undefined;
}
