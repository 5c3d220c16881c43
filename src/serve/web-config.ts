/**
 * `--web.config.file`: TLS and authentication in the exporter-toolkit web-config format that
 * Prometheus exporters share (node_exporter, blackbox_exporter), so one file serves them all:
 *
 *   tls_server_config: { cert_file, key_file, client_ca_file, client_auth_type, min_version, max_version }
 *   basic_auth_users: { name: <bcrypt hash> }
 *   http_server_config: { headers: { Name: value } }
 *
 * One addition of outage's own, `bearer_token_hashes: [<bcrypt hash>]`, accepts
 * `Authorization: Bearer <token>` for any token whose bcrypt hash is listed (no token is stored in
 * the clear). Keys exporter-toolkit has but outage does not use (cipher_suites, …) are accepted and
 * named in a warning; any other key is an error, as exporter-toolkit makes it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { whyUnreadable } from '../core/file-errors.js';

const bcryptHash = z.string().regex(/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/, 'must be a bcrypt hash ($2y$10$…), e.g. from `htpasswd -nBC 10 "" | tr -d \':\\n\'`');

const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;
const tlsVersion = z.enum(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]]);

/** Accepted for compatibility and not applied: Node chooses ciphers and curves itself. */
const IGNORED_TLS_KEYS = ['cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites', 'client_allowed_sans'];

const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1).optional(),
      key_file: z.string().min(1).optional(),
      cert: z.string().min(1).optional(),
      key: z.string().min(1).optional(),
      client_ca_file: z.string().min(1).optional(),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).optional(),
      min_version: tlsVersion.optional(),
      max_version: tlsVersion.optional(),
      ...Object.fromEntries(IGNORED_TLS_KEYS.map((k) => [k, z.unknown().optional()])),
    })
    .optional(),
  http_server_config: z.strictObject({ http2: z.boolean().optional(), headers: z.record(z.string(), z.string()).optional() }).optional(),
  basic_auth_users: z.record(z.string().min(1), bcryptHash).optional(),
  bearer_token_hashes: z.array(bcryptHash).optional(),
});

export interface WebConfig {
  tls?: { cert: string; key: string; ca?: string; clientAuth: (typeof CLIENT_AUTH_TYPES)[number]; requestCert: boolean; rejectUnauthorized: boolean; minVersion?: string; maxVersion?: string };
  headers: Record<string, string>;
  /** user → bcrypt hash */
  basicUsers: Map<string, string>;
  bearerHashes: string[];
  warnings: string[];
}

export async function readWebConfig(file: string): Promise<WebConfig> {
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    const { defaultLoaders } = await import('cosmiconfig');
    raw = await defaultLoaders['.yaml'](file, readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([{ path: '', message: code ? `cannot read the web config: ${whyUnreadable(error, file)}` : `not YAML: ${(error as Error).message.split('\n')[0]}` }], file, 'config.web');
  }
  const parsed = webConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) problems.push({ path: path ? `${path}.${key}` : key, message: 'unknown key' });
      else problems.push({ path, message: issue.message });
    }
    throw new ConfigError(problems, file, 'config.web');
  }
  const config = parsed.data;
  const dir = dirname(file);
  const warnings = IGNORED_TLS_KEYS.filter((k) => (config.tls_server_config as Record<string, unknown> | undefined)?.[k] !== undefined).map(
    (k) => `${file}: tls_server_config.${k} is accepted but not applied (Node chooses TLS ciphers and curves)`,
  );
  if (config.http_server_config?.http2 === true) warnings.push(`${file}: http_server_config.http2 is not supported; outage serves HTTP/1.1`);
  const read = (key: string, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    // Relative to the web config's directory, not the working directory: judged by the path opened.
    const full = resolve(dir, path);
    try {
      return readFileSync(full, 'utf8');
    } catch (error) {
      problems.push({ path: `tls_server_config.${key}`, message: `cannot read ${full}: ${whyUnreadable(error, full)}` });
      return undefined;
    }
  };
  let tls: WebConfig['tls'];
  const t = config.tls_server_config;
  if (t) {
    const cert = t.cert ?? read('cert_file', t.cert_file);
    const key = t.key ?? read('key_file', t.key_file);
    const ca = read('client_ca_file', t.client_ca_file);
    if (!t.cert && !t.cert_file) problems.push({ path: 'tls_server_config.cert_file', message: 'is required with tls_server_config' });
    if (!t.key && !t.key_file) problems.push({ path: 'tls_server_config.key_file', message: 'is required with tls_server_config' });
    const auth = t.client_auth_type ?? 'NoClientCert';
    if (auth.includes('Verify') && !t.client_ca_file) problems.push({ path: 'tls_server_config.client_ca_file', message: `is required with client_auth_type ${auth}` });
    if (cert && key) {
      tls = {
        cert,
        key,
        ...(ca ? { ca } : {}),
        clientAuth: auth,
        requestCert: auth !== 'NoClientCert',
        rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
        ...(t.min_version ? { minVersion: TLS_VERSIONS[t.min_version] } : { minVersion: 'TLSv1.2' }),
        ...(t.max_version ? { maxVersion: TLS_VERSIONS[t.max_version] } : {}),
      };
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, file, 'config.web');
  return {
    ...(tls ? { tls } : {}),
    headers: config.http_server_config?.headers ?? {},
    basicUsers: new Map(Object.entries(config.basic_auth_users ?? {})),
    bearerHashes: config.bearer_token_hashes ?? [],
    warnings,
  };
}
