/**
 * Resolving a validated service into a ServiceSpec: defaults filled in (flag › service › defaults
 * › built-in), targets parsed, and the rules that span several keys checked, each problem with its
 * key path. Secrets found on the way (URL credentials, auth headers) are collected for redaction.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { ConfigProblem } from '../core/errors.js';
import { CREDENTIAL_HEADERS } from '../core/redact.js';
import type { ConfigInput, ServiceInput } from './schema.js';
import { DEFAULTS, type DnsSpec, type Endpoint, type ServiceSpec, type TlsSpec } from './service.js';
import { parseHostPort, parseUrlTarget } from './targets.js';
import { hostsSpec, statusSpec } from './subcheck.js';


/** Where a service is resolved: its config, its key path, and where problems and secrets go. */
export interface ResolveScope {
  config: ConfigInput;
  path: string;
  problems: ConfigProblem[];
  secrets: string[];
  file: string | undefined;
}

export function resolveService(input: ServiceInput, scope: ResolveScope): ServiceSpec | undefined {
  const { path, problems, secrets } = scope;
  const spec = resolveTarget(input, scope);
  if (!spec) return undefined;
  const status = statusSpec(input, spec, path, problems);
  const hosts = hostsSpec(input, spec, path, problems);
  // Credentials in these URLs become headers of their subchecks: never printed either.
  const statusUrl = typeof input.status === 'string' ? input.status : input.status ? input.status.url : undefined;
  for (const url of [...(statusUrl ? [statusUrl] : []), ...(input.hosts ?? [])]) {
    const parsed = parseUrlTarget(url);
    if (typeof parsed !== 'string') secrets.push(...parsed.secrets);
  }
  return { ...spec, ...(status ? { status } : {}), ...(hosts ? { hosts } : {}), ...(input.catalog ? { catalog: input.catalog } : {}) };
}

function resolveTarget(input: ServiceInput, { config, path, problems, secrets, file }: ResolveScope): ServiceSpec | undefined {
  const defaults = config.defaults ?? {};
  const problem = (key: string, message: string) => problems.push({ path: `${path}.${key}`, message });
  if (input.url !== undefined && input.tcp !== undefined) {
    problem('url', 'a service checks either a url or a tcp target, not both');
    return undefined;
  }
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

  if (input.url !== undefined) {
    const target = parseUrlTarget(input.url);
    if (typeof target === 'string') return void problem('url', target);
    secrets.push(...target.secrets);
    const { endpoint } = target;
    const dns = addressDns(input, endpoint, 'url', problem);
    if (dns === undefined) return undefined;
    const headers = { ...(input.http?.headers ?? {}) };
    if (target.authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = target.authorization;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase())) secrets.push(value, ...value.split(/\s+/).slice(1));
    }
    const expect = input.http?.expect;
    return {
      ...base,
      target: endpoint.url?.toString() ?? input.url,
      endpoint,
      dns,
      // For http:// urls, tls settings (trust, verify) apply to https redirect hops.
      tls: endpoint.protocol === 'https' || input.tls !== undefined ? tlsSpec(input, certificate, path, problems, file) : undefined,
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

  if (input.http !== undefined) return void problem('http', 'http options need a url target (https://… or http://…)');
  if (input.tls !== undefined) return void problem('tls', 'tls options need an https:// url target');

  if (input.tcp !== undefined) {
    const endpoint = parseHostPort(input.tcp);
    if (typeof endpoint === 'string') return void problem('tcp', endpoint);
    const dns = addressDns(input, endpoint, 'tcp', problem);
    if (dns === undefined) return undefined;
    return { ...base, target: input.tcp, endpoint, dns };
  }

  if (input.dns && input.dns.name) {
    const compare = compareResolvers(input, problem);
    if (compare === null) return undefined;
    return {
      ...base,
      target: input.dns.name,
      dns: { name: input.dns.name, types: [input.dns.type ?? 'A'], expect: input.dns.expect, ...(compare ? { compare } : {}) },
    };
  }
  problems.push({ path, message: 'needs a target: url (https://…), tcp (host:port), or dns: { name: … }' });
  return undefined;
}

function tlsSpec(
  input: ServiceInput,
  certificate: { degradedDays: number; downDays: number },
  path: string,
  problems: ConfigProblem[],
  file: string | undefined,
): TlsSpec {
  const spec: TlsSpec = { certificate, verify: input.tls !== false };
  if (input.tls && input.tls.ca) {
    const caFile = resolvePath(file ? resolvePath(file, '..') : process.cwd(), input.tls.ca);
    try {
      spec.ca = readFileSync(caFile, 'utf8');
      spec.caFile = caFile;
      if (!spec.ca.includes('-----BEGIN CERTIFICATE-----')) {
        problems.push({ path: `${path}.tls.ca`, message: `${caFile} holds no PEM certificate` });
      }
    } catch (error) {
      problems.push({ path: `${path}.tls.ca`, message: `cannot read ${caFile}: ${(error as NodeJS.ErrnoException).code}` });
    }
  }
  return spec;
}

/**
 * The DNS probe of a service that connects somewhere: it resolves the endpoint's own host, A and
 * AAAA unless one is chosen. Undefined (with a problem recorded) when the options make no sense.
 */
function addressDns(input: ServiceInput, endpoint: Endpoint, kind: 'url' | 'tcp', problem: (key: string, message: string) => void): DnsSpec | false | undefined {
  if (input.dns === false || endpoint.isIp) return false;
  const type = input.dns?.type;
  if (type && type !== 'A' && type !== 'AAAA') {
    problem('dns.type', `a ${kind} service connects to the addresses it resolves, so type must be A or AAAA`);
    return undefined;
  }
  if (input.dns?.name || input.dns?.expect) {
    problem('dns', `a ${kind} service resolves its own host; use a separate DNS-only service for name/expect`);
    return undefined;
  }
  const compare = compareResolvers(input, problem);
  if (compare === null) return undefined;
  return { name: endpoint.host, types: type ? [type] : ['A', 'AAAA'], ...(compare ? { compare } : {}) };
}

/** `dns.resolvers` goes with `dns.compare: true`; one without the other is a mistake. Null: invalid. */
function compareResolvers(input: ServiceInput, problem: (key: string, message: string) => void): string[] | undefined | null {
  const dns = input.dns || undefined;
  if (dns?.compare && !dns.resolvers) {
    problem('dns.compare', 'list the resolvers to compare in dns.resolvers, e.g. [system, "1.1.1.1", "8.8.8.8"]');
    return null;
  }
  if (dns?.resolvers && !dns.compare) {
    problem('dns.resolvers', 'these are compared only with dns.compare: true (to use one resolver for the service, set its resolvers)');
    return null;
  }
  return dns?.compare ? dns.resolvers : undefined;
}
