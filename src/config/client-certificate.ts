/**
 * `tls.cert`, `tls.key` and `tls.passphrase`: the client certificate for services that require
 * one, read and checked when the config is loaded, so `outage validate` catches an unreadable
 * file, a wrong passphrase or a key that does not belong to the certificate — rather than every
 * check failing later with a handshake error that names neither file.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GONE_DIRECTORY, resolveFrom } from '../core/current-directory.js';
import type { ConfigProblem } from '../core/errors.js';
import type { ClientCertificate } from './service.js';
import { whyUnreadable } from '../core/file-errors.js';

export interface ClientCertificateInput {
  cert?: string;
  key?: string;
  passphrase?: string;
}

/** `dir`: where relative paths start (the config file's directory; undefined: a gone working directory). `path`: the service's key path. */
export function readClientCertificate(input: ClientCertificateInput, dir: string | undefined, path: string, problems: ConfigProblem[]): ClientCertificate | undefined {
  const { cert, key, passphrase } = input;
  if (!cert && !key) {
    if (passphrase) problems.push({ path: `${path}.tls.passphrase`, message: 'a passphrase needs tls.key (and tls.cert)' });
    return undefined;
  }
  if (!cert || !key) {
    problems.push({ path: `${path}.tls.${cert ? 'key' : 'cert'}`, message: 'tls.cert and tls.key go together: the certificate and its private key' });
    return undefined;
  }
  const certFile = resolveFrom(dir, cert);
  const keyFile = resolveFrom(dir, key);
  for (const [file, name, field] of [[certFile, cert, 'cert'], [keyFile, key, 'key']] as const) {
    if (file === undefined) problems.push({ path: `${path}.tls.${field}`, message: `cannot find ${name}: ${GONE_DIRECTORY}` });
  }
  if (certFile === undefined || keyFile === undefined) return undefined;
  const certPem = read(certFile, `${path}.tls.cert`, problems);
  const keyPem = read(keyFile, `${path}.tls.key`, problems);
  if (certPem === undefined || keyPem === undefined) return undefined;

  // node:crypto loads here, for a client certificate, not with every config (~3 ms of start-up).
  const { X509Certificate } = process.getBuiltinModule('node:crypto');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    problems.push({ path: `${path}.tls.cert`, message: `${certFile} holds no PEM certificate` });
    return undefined;
  }
  const privateKey = parseKey(keyPem, keyFile, passphrase, `${path}.tls`, problems);
  if (!privateKey) return undefined;
  if (!certificate.checkPrivateKey(privateKey)) {
    problems.push({ path: `${path}.tls.key`, message: `${keyFile} is not the private key of the certificate in ${certFile}` });
    return undefined;
  }
  return { cert: certPem, key: keyPem, ...(passphrase ? { passphrase } : {}), certFile, keyFile };
}

function read(file: string, path: string, problems: ConfigProblem[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({ path, message: `cannot read ${file}: ${whyUnreadable(error, file)}` });
    return undefined;
  }
}

/** The key, decrypted as a handshake would: a message naming the file, never the passphrase. */
function parseKey(pem: string, file: string, passphrase: string | undefined, path: string, problems: ConfigProblem[]): KeyObject | undefined {
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) {
    problems.push({ path: `${path}.key`, message: `${file} is encrypted: set tls.passphrase (for example "\${KEY_PASSPHRASE}")` });
    return undefined;
  }
  try {
    return process.getBuiltinModule('node:crypto').createPrivateKey({ key: pem, ...(passphrase ? { passphrase } : {}) });
  } catch (error) {
    const message = encrypted
      ? `cannot decrypt ${file}: wrong tls.passphrase`
      : `${file} holds no private key outage can read (${(error as NodeJS.ErrnoException).code ?? 'unknown format'})`;
    problems.push({ path: encrypted ? `${path}.passphrase` : `${path}.key`, message });
    return undefined;
  }
}
