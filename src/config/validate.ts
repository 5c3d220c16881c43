/**
 * Validate a raw config whole, then resolve it into ServiceSpecs. Every problem is collected with
 * its key path before anything is reported (changesets' parse.ts pattern): a user fixing a config
 * in a hurry sees all of it at once, not one error per run.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { createRedactor } from '../report/redact.js';
import { interpolateEnv } from './interpolate.js';
import { formatPath } from './path.js';
import { closest } from '../util/suggest.js';
import { configSchema, KNOWN_KEYS, serviceSchema, type ConfigInput, type ServiceInput } from './schema.js';
import { DEFAULTS, type ResolvedConfig, type ServiceSpec, type TlsSpec } from './service.js';
import { adHocService, parseHostPort, parseUrlTarget } from './targets.js';

export interface ValidateOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file, for messages and for resolving relative paths such as `tls.ca`. */
  file?: string;
  /** Command-line targets that are not service names: checked with the defaults. */
  adHocTargets?: string[];
}

/** Header values that are credentials: never printed, whatever their source. */
const rootSchema = configSchema.extend({ services: z.array(z.unknown()).optional() });

export const SENSITIVE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

export function validateConfig(raw: unknown, options: ValidateOptions = {}): ResolvedConfig {
  const interpolated = interpolateEnv(raw ?? {}, options.env ?? process.env);
  const problems: ConfigProblem[] = [...interpolated.problems];
  const scrub = createRedactor(interpolated.secrets);
  const fail = () => new ConfigError(sortProblems(problems).map((p) => ({ path: p.path, message: scrub(p.message) })), options.file);

  // Services are parsed one by one, so a schema error in one does not hide another's problems.
  const root = rootSchema.safeParse(interpolated.value, { reportInput: true });
  if (!root.success) problems.push(...zodProblems(root.error.issues));
  const config: ConfigInput = { defaults: root.success ? root.data.defaults : undefined, services: [] };
  const value = interpolated.value as { services?: unknown };
  const rawServices: unknown[] = Array.isArray(value?.services) ? value.services : [];
  const parsedServices = rawServices.map((service, index) => {
    const parsed = serviceSchema.safeParse(service, { reportInput: true });
    if (parsed.success) return parsed.data;
    problems.push(...zodProblems(parsed.error.issues, ['services', index]));
    return undefined;
  });

  const inputs: (ServiceInput | undefined)[] = [...parsedServices];
  config.services = parsedServices.filter((s): s is ServiceInput => s !== undefined);
  for (const target of options.adHocTargets ?? []) {
    const service = adHocService(target);
    if (service) inputs.push(service);
  }
  const secrets = [...interpolated.secrets];
  const services: ServiceSpec[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (!input) return;
    const path = `services[${index}]`;
    const previous = seen.get(input.name);
    if (previous !== undefined && index < rawServices.length) {
      problems.push({ path: `${path}.name`, message: `"${input.name}" is already the name of services[${previous}]` });
    }
    seen.set(input.name, index);
    const spec = resolveService(input, config, path, problems, secrets, options.file);
    if (spec) services.push(spec);
  });
  if (problems.length > 0) throw fail();

  return {
    services,
    settings: { concurrency: config.defaults?.concurrency ?? DEFAULTS.concurrency },
    secrets: [...new Set(secrets.filter((s) => s.length >= 3))],
    file: options.file,
  };
}

function resolveService(
  input: ServiceInput,
  config: ConfigInput,
  path: string,
  problems: ConfigProblem[],
  secrets: string[],
  file: string | undefined,
): ServiceSpec | undefined {
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
  const certificate = {
    degradedDays:
      (input.tls || undefined)?.certificate?.degraded ??
      input.certificate?.degraded ??
      defaults.certificate?.degraded ??
      DEFAULTS.certificateDegradedDays,
    downDays:
      (input.tls || undefined)?.certificate?.down ??
      input.certificate?.down ??
      defaults.certificate?.down ??
      DEFAULTS.certificateDownDays,
  };

  if (input.url !== undefined) {
    const target = parseUrlTarget(input.url);
    if (typeof target === 'string') return void problem('url', target);
    secrets.push(...target.secrets);
    const { endpoint } = target;
    const dnsType = input.dns ? input.dns.type : undefined;
    if (dnsType && dnsType !== 'A' && dnsType !== 'AAAA') {
      return void problem('dns.type', 'a url service connects to the addresses it resolves, so type must be A or AAAA');
    }
    if (input.dns && (input.dns.name || input.dns.expect)) {
      return void problem('dns', 'a url service resolves its own host; use a separate DNS-only service for name/expect');
    }
    const headers = { ...(input.http?.headers ?? {}) };
    if (target.authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = target.authorization;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) secrets.push(value, ...value.split(/\s+/).slice(1));
    }
    const expect = input.http?.expect;
    return {
      ...base,
      target: endpoint.url?.toString() ?? input.url,
      endpoint,
      dns: input.dns === false || endpoint.isIp ? false : { name: endpoint.host, types: dnsType ? [dnsType] : ['A', 'AAAA'] },
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
    const dnsType = input.dns ? input.dns.type : undefined;
    if (dnsType && dnsType !== 'A' && dnsType !== 'AAAA') {
      return void problem('dns.type', 'a tcp service connects to the addresses it resolves, so type must be A or AAAA');
    }
    return {
      ...base,
      target: input.tcp,
      endpoint,
      dns: input.dns === false || endpoint.isIp ? false : { name: endpoint.host, types: dnsType ? [dnsType] : ['A', 'AAAA'] },
    };
  }

  if (input.dns && input.dns.name) {
    return {
      ...base,
      target: input.dns.name,
      dns: { name: input.dns.name, types: [input.dns.type ?? 'A'], expect: input.dns.expect },
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

function zodProblems(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const parent = [...path].reverse().find((p): p is string => typeof p === 'string') ?? '';
      for (const key of issue.keys) {
        const hint = closest(key, KNOWN_KEYS[parent] ?? []);
        const fallback = parent === 'services' ? ' (probes are set with url, tcp, dns, tls and http)' : '';
        problems.push({ path: formatPath([...path, key]), message: `unknown key${hint ? ` (did you mean "${hint}"?)` : fallback}` });
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than zod's generic "invalid input".
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      const nested = zodProblems(best, path);
      problems.push(...(nested.length > 0 ? nested : [{ path: formatPath(path), message: issue.message }]));
    } else {
      problems.push({ path: formatPath(path), message: friendlyMessage(issue) });
    }
  }
  return problems;
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)));
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  return issue.message;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Unique problems, services in file order (others keep the order they were found in). */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const unique = [...new Map(problems.map((p) => [`${p.path}\0${p.message}`, p])).values()];
  const index = (p: ConfigProblem) => Number(/^services\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  return unique.sort((a, b) => index(a) - index(b));
}
