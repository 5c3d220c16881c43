/**
 * Resolution, the last stage of loading (pipeline.ts): an entry that keeps the rules, with the
 * target rules.ts parsed, becomes a ServiceSpec with every default filled in (flag › service ›
 * defaults › built-in). Secrets found on the way (URL credentials, auth headers) are collected
 * for redaction.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { currentDirectory, GONE_DIRECTORY, resolveFrom } from '../core/current-directory.js';
import type { ConfigProblem } from '../core/errors.js';
import { headerSecrets, isSecretHeader } from '../core/redact.js';
import type { ServiceEntry } from './entry.js';
import { resolveProxy, type ProxyEnvironment } from './proxy.js';
import type { CheckedEntry, Target } from './rules.js';
import type { DefaultsInput, ServiceInput } from './schema.js';
import { DEFAULTS, STDIN_NAME, type CertificateThresholds, type DnsSpec, type Endpoint, type ServiceSpec, type TlsSpec } from './service.js';
import { readClientCertificate } from './client-certificate.js';
import { hostsSpec, statusSpec } from './subcheck.js';
import { parseUrlTarget } from './targets.js';
import { whyUnreadable } from '../core/file-errors.js';

export interface Resolved {
  spec: ServiceSpec;
  /** What only reading it shows: a `tls.ca` that is no certificate, a subcheck URL that is not one. */
  problems: ConfigProblem[];
  secrets: string[];
}

/** Where an entry is resolved: its key path, the config file (for relative paths), and where problems and secrets go. */
interface Scope {
  path: string;
  file: string | undefined;
  problems: ConfigProblem[];
  secrets: string[];
  proxies: ProxyEnvironment;
}

export function resolveSpecs(checked: readonly CheckedEntry[], file: string | undefined, proxies: ProxyEnvironment): Map<ServiceEntry, Resolved> {
  return new Map(checked.map(({ entry, target }) => [entry, resolveEntry(entry, target, file, proxies)]));
}

function resolveEntry({ input, path, defaults }: ServiceEntry, target: Target, file: string | undefined, proxies: ProxyEnvironment): Resolved {
  const scope: Scope = { path, file, problems: [], secrets: [], proxies };
  const spec = resolveTarget(input, target, defaults, scope);
  const status = statusSpec(input, spec, path, scope.problems);
  const hosts = hostsSpec(input, spec, path, scope.problems);
  // Credentials in these URLs become headers of their subchecks: never printed either.
  const statusUrl = typeof input.status === 'string' ? input.status : input.status ? input.status.url : undefined;
  for (const url of [...(statusUrl ? [statusUrl] : []), ...(input.hosts ?? [])]) {
    const parsed = parseUrlTarget(url);
    if (typeof parsed !== 'string') scope.secrets.push(...parsed.secrets);
  }
  return {
    spec: { ...spec, ...(status ? { status } : {}), ...(hosts ? { hosts } : {}), ...(input.catalog ? { catalog: input.catalog } : {}) },
    problems: scope.problems,
    secrets: scope.secrets,
  };
}

function resolveTarget(input: ServiceInput, target: Target, defaults: DefaultsInput, scope: Scope): ServiceSpec {
  const base = {
    name: input.name,
    tags: input.tags ?? [],
    critical: input.critical ?? true,
    timeoutMs: input.timeout ?? defaults.timeout ?? DEFAULTS.timeoutMs,
    retries: input.retries ?? defaults.retries ?? DEFAULTS.retries,
    resolvers: input.resolvers ?? defaults.resolvers ?? [],
    latencyDegradedMs: input.latency?.degraded ?? defaults.latency?.degraded ?? DEFAULTS.latencyDegradedMs,
  };
  // tls.certificate › the service's certificate › defaults › built-in.
  const days = (key: 'degraded' | 'down') => (input.tls || undefined)?.certificate?.[key] ?? input.certificate?.[key] ?? defaults.certificate?.[key];
  const certificate = {
    degradedDays: days('degraded') ?? DEFAULTS.certificateDegradedDays,
    downDays: days('down') ?? DEFAULTS.certificateDownDays,
  };

  if (target.kind === 'url') {
    const { endpoint, authorization, secrets } = target.url;
    scope.secrets.push(...secrets);
    const headers = { ...(input.http?.headers ?? {}) };
    if (authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = authorization;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (isSecretHeader(name)) scope.secrets.push(...headerSecrets(value));
    }
    const expect = input.http?.expect;
    return {
      ...base,
      target: endpoint.url?.toString() ?? target.text,
      endpoint,
      dns: addressDns(input, endpoint),
      ...proxySettings(input, defaults, endpoint, scope),
      // For http:// urls, tls settings (trust, verify) apply to https redirect hops.
      tls: endpoint.protocol === 'https' || input.tls !== undefined ? tlsSpec(input, certificate, scope) : undefined,
      http: {
        method: input.http?.method ?? DEFAULTS.method,
        headers,
        body: input.http?.body,
        expectStatus: expect?.status ?? [...DEFAULTS.expectStatus],
        expectBody: expect?.body,
        expectBodyRegex: expect?.bodyRegex,
        followRedirects: input.http?.followRedirects ?? DEFAULTS.followRedirects,
        maxBodyBytes: DEFAULTS.maxBodyBytes,
      },
    };
  }

  if (target.kind === 'tcp') {
    const proxy = proxySettings(input, defaults, target.endpoint, scope);
    return { ...base, target: target.text, endpoint: target.endpoint, dns: addressDns(input, target.endpoint), ...proxy };
  }

  const dns = input.dns || undefined;
  const compare = dns?.compare ? dns.resolvers : undefined;
  return {
    ...base,
    target: target.name,
    dns: { name: target.name, types: [dns?.type ?? 'A'], expect: dns?.expect, ...(compare ? { compare } : {}) },
  };
}

/**
 * Where a config's relative paths start: its file's directory. A config from stdin has none of its
 * own, so the working directory's; a file named relatively (the API allows it) is found from there
 * too. Undefined when that directory no longer exists.
 */
function configDirectory(file: string | undefined): string | undefined {
  if (file && isAbsolute(file)) return dirname(file);
  const here = currentDirectory();
  if (!file || file === STDIN_NAME || here === undefined) return here;
  return dirname(resolve(here, file));
}

function tlsSpec(input: ServiceInput, certificate: CertificateThresholds, { path, file, problems, secrets }: Scope): TlsSpec {
  const spec: TlsSpec = { certificate, verify: input.tls !== false };
  if (!input.tls) return spec;
  // Paths in tls (ca, cert, key) are relative to the config file, as in nginx and curl's config.
  const dir = configDirectory(file);
  if (input.tls.ca) {
    const caFile = resolveFrom(dir, input.tls.ca);
    if (caFile === undefined) {
      problems.push({ path: `${path}.tls.ca`, message: `cannot find ${input.tls.ca}: ${GONE_DIRECTORY}` });
    } else {
      try {
        spec.ca = readFileSync(caFile, 'utf8');
        spec.caFile = caFile;
        if (!spec.ca.includes('-----BEGIN CERTIFICATE-----')) {
          problems.push({ path: `${path}.tls.ca`, message: `${caFile} holds no PEM certificate` });
        }
      } catch (error) {
        problems.push({ path: `${path}.tls.ca`, message: `cannot read ${caFile}: ${whyUnreadable(error, caFile)}` });
      }
    }
  }
  // A passphrase is a secret even when written into the config rather than taken from ${VAR}.
  if (input.tls.passphrase) secrets.push(input.tls.passphrase);
  const client = readClientCertificate(input.tls, dir, path, problems);
  if (client) spec.client = client;
  return spec;
}

function proxySettings(input: ServiceInput, defaults: DefaultsInput, endpoint: Endpoint, scope: Scope): Pick<ServiceSpec, 'proxy'> {
  const resolved = resolveProxy({ own: input.proxy, defaults: defaults.proxy }, endpoint, scope.proxies, scope.path);
  scope.problems.push(...resolved.problems);
  scope.secrets.push(...resolved.secrets);
  return resolved.settings ? { proxy: resolved.settings } : {};
}

/** The DNS probe of a service that connects somewhere: its endpoint's own host, A and AAAA unless one is chosen. */
function addressDns(input: ServiceInput, endpoint: Endpoint): DnsSpec | false {
  if (input.dns === false || endpoint.isIp) return false;
  const type = input.dns?.type;
  const compare = input.dns?.compare ? input.dns.resolvers : undefined;
  return { name: endpoint.host, types: type ? [type] : ['A', 'AAAA'], ...(compare ? { compare } : {}) };
}

/** `--timeout`, `--retries` and `--resolver`: they override every chosen service's own setting. */
export interface Overrides {
  timeoutMs?: number;
  retries?: number;
  resolvers?: string[];
}

/**
 * The flags on top of resolved specs (the "flag ›" of the precedence). They replace the service's
 * own settings only: its status and hosts subchecks keep what they were resolved with.
 */
export function applyOverrides(services: ServiceSpec[], overrides: Overrides): ServiceSpec[] {
  return services.map((s) => ({
    ...s,
    timeoutMs: overrides.timeoutMs ?? s.timeoutMs,
    retries: overrides.retries ?? s.retries,
    resolvers: overrides.resolvers && overrides.resolvers.length > 0 ? overrides.resolvers : s.resolvers,
  }));
}
