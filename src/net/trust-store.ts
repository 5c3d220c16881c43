/**
 * Which roots outage trusts, decided once per process, so that the handshake and the chain shown
 * in reports always agree:
 * - `SSL_CERT_FILE` and/or `SSL_CERT_DIR`, when set, REPLACE the default roots, as they replace
 *   OpenSSL's default store for `openssl s_client` and curl. Every file in the directory that holds
 *   PEM certificates counts (as Go reads it), not only OpenSSL's hashed names.
 * - Otherwise the roots Node itself uses by default (`tls.getCACertificates('default')` where Node
 *   has it, so `--use-system-ca` and `--use-openssl-ca` are followed; the bundled Mozilla roots on
 *   older Node).
 * - `NODE_EXTRA_CA_CERTS` and a service's `tls.ca` are added to either.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function readPem(path: string): string[] {
  try {
    return splitPem(readFileSync(path, 'latin1'));
  } catch {
    // An unreadable file holds no roots, as OpenSSL skips it.
    return [];
  }
}

/**
 * Each file once, however many names it has: a Debian store's /etc/ssl/certs holds a `.pem` link
 * and a hash link for every root, and SSL_CERT_FILE is often its bundle, so reading by name opened
 * ~440 files for ~145 (~5 ms of an https check). The same file holds the same roots. Only a
 * directory's entries must be regular files; SSL_CERT_FILE may be a pipe (`<(...)`), read as before.
 */
function readPemOnce(path: string, read: Set<string>, regularOnly: boolean): string[] {
  try {
    const info = statSync(path, { bigint: true });
    if (regularOnly && !info.isFile()) return [];
    const id = `${info.dev}:${info.ino}`;
    if (read.has(id)) return [];
    read.add(id);
  } catch {
    if (regularOnly) return [];
  }
  return readPem(path);
}

function pemsInDirectory(dir: string, read: Set<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => readPemOnce(join(dir, name), read, true));
}

export interface TrustStore {
  /**
   * Every root trusted without a service's `tls.ca`: SSL_CERT_FILE/SSL_CERT_DIR's (each once),
   * else Node's default store's (which holds each once), and NODE_EXTRA_CA_CERTS's (Node adds those
   * to its own default store; one Node also has is then listed twice, a harmless repeat anchor).
   */
  roots: readonly string[];
  /** True when SSL_CERT_FILE/SSL_CERT_DIR chose the roots: TLS contexts must then be given them. */
  fromEnvironment: boolean;
  /** NODE_EXTRA_CA_CERTS's certificates (also in `roots`). */
  extra: readonly string[];
  /** SSL_CERT_FILE/SSL_CERT_DIR are set and hold not one certificate between them. */
  environmentEmpty: boolean;
  /**
   * Why NODE_EXTRA_CA_CERTS added nothing, when it is set and holds no certificate: it only adds,
   * so the run goes on (Node's too, with a warning), but a CA it was to add is then untrusted.
   */
  extraProblem?: string;
}

let store: TrustStore | undefined;

export function trustStore(env: NodeJS.ProcessEnv = process.env): TrustStore {
  if (store) return store;
  const file = env.SSL_CERT_FILE;
  const dir = env.SSL_CERT_DIR;
  const fromEnvironment = Boolean(file || dir);
  const read = new Set<string>();
  const base = fromEnvironment ? [...(file ? readPemOnce(file, read, false) : []), ...(dir ? dir.split(':').flatMap((d) => pemsInDirectory(d, read)) : [])] : nodeRoots();
  const extraPath = env.NODE_EXTRA_CA_CERTS;
  const extra = extraPath ? readPem(extraPath) : [];
  const extraProblem = extraPath && extra.length === 0 ? `NODE_EXTRA_CA_CERTS=${extraPath} ${whyNoCertificates(extraPath, 'file')}` : undefined;
  // Node's own store holds each root once: only an environment's store, read from files that
  // repeat one another, is worth comparing (over Node's 144 roots the comparison cost ~2 ms of
  // every https check, and its copies forced a garbage collection). A NODE_EXTRA_CA_CERTS root
  // Node also has is then listed twice: one more anchor under the same name, the same verdicts.
  const roots = fromEnvironment ? unique([...base, ...extra]) : [...base, ...unique(extra)];
  store = { roots, fromEnvironment, extra, environmentEmpty: fromEnvironment && base.length === 0, ...(extraProblem ? { extraProblem } : {}) };
  return store;
}

/** Node's own roots; node:tls loaded at first use (src/check.ts reads the store before any run, plain HTTP included). */
function nodeRoots(): readonly string[] {
  const tls = process.getBuiltinModule('node:tls');
  const getDefault = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  return getDefault?.('default') ?? tls.rootCertificates;
}

/**
 * What is wrong when SSL_CERT_FILE/SSL_CERT_DIR are set and hold no certificate at all (a typo in
 * the path, a bundle not installed in this image, a directory given as the file): they replace the
 * default roots, so every certificate would be judged untrusted and every healthy https service
 * reported down — the local set-up's fault, said as such before anything runs. Undefined when
 * they are unset or hold at least one root (one of the two unusable is fine, as for OpenSSL).
 */
export function environmentStoreProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.SSL_CERT_FILE && !env.SSL_CERT_DIR) return undefined;
  if (!trustStore(env).environmentEmpty) return undefined;
  const why = [
    ...(env.SSL_CERT_FILE ? [`SSL_CERT_FILE=${env.SSL_CERT_FILE} ${whyNoCertificates(env.SSL_CERT_FILE, 'file')}`] : []),
    ...(env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(':').map((dir) => `SSL_CERT_DIR=${dir} ${whyNoCertificates(dir, 'directory')}`) : []),
  ];
  return `${why.join('; ')}. When set, SSL_CERT_FILE and SSL_CERT_DIR replace the system's trusted CAs, so every certificate would be untrusted and every https service down: point them at PEM certificates, or unset them`;
}

function whyNoCertificates(path: string, expected: 'file' | 'directory'): string {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
  }
  if (expected === 'file' && info.isDirectory()) return 'is a directory (a directory of certificates goes in SSL_CERT_DIR)';
  if (expected === 'directory' && !info.isDirectory()) return 'is not a directory (a bundle file goes in SSL_CERT_FILE)';
  return expected === 'file' ? 'holds no PEM certificate' : 'holds no file of PEM certificates';
}

/**
 * The roots a service trusts: the store's, and its own `tls.ca` when it has one. Taken once each
 * when the store is read, so a service without `tls.ca` (nearly all) costs no second pass.
 */
export function rootsWith(caPem = ''): readonly string[] {
  const { roots } = trustStore();
  const own = splitPem(caPem);
  return own.length === 0 ? roots : unique([...roots, ...own]);
}

/**
 * Each certificate once. A Debian-style store lists every root three times and more (the bundle
 * file, a `.pem` per root and its hash link), and SSL_CERT_FILE is often that same bundle again:
 * with both set, ~580 PEM blocks held 144 roots, and each block costs OpenSSL a parse when a TLS
 * context is built (~90 ms at start-up, against ~30 ms for each root once). Compared by their
 * base64 text without line breaks, not by what it decodes to: Node's base64 reader skips a stray
 * character that OpenSSL refuses, so a damaged copy decodes like the good one and could be the one
 * kept, and OpenSSL would then drop that root altogether.
 */
export function unique(pems: readonly string[]): string[] {
  const seen = new Set<string>();
  return pems.filter((pem) => {
    const body = pemBody(pem);
    if (seen.has(body)) return false;
    seen.add(body);
    return true;
  });
}

/** A block's base64 without markers or whitespace. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';
const decoded = new Map<string, Buffer>();

/**
 * A PEM block's DER for the anchor index, remembered (the index is built again for each service
 * `tls.ca`). Node's base64 decoder skips the line breaks itself; stripping them with a regular
 * expression first cost ~2.5 ms for Node's 144 roots, more than the decoding. It also skips what
 * OpenSSL refuses: a damaged copy reads as its root here, and fails to parse where it is used.
 */
export function pemToDer(pem: string): Buffer {
  let der = decoded.get(pem);
  if (!der) {
    const begin = pem.indexOf(BEGIN);
    const end = pem.indexOf(END, begin + 1);
    der = Buffer.from(begin < 0 || end < 0 ? pem : pem.slice(begin + BEGIN.length, end), 'base64');
    decoded.set(pem, der);
  }
  return der;
}
