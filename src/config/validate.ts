/**
 * Validate a raw config whole, then resolve it into ServiceSpecs. Every problem is collected with
 * its key path before anything is reported (changesets' parse.ts pattern): a user fixing a config
 * in a hurry sees all of it at once, not one error per run.
 */
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { createRedactor } from '../core/redact.js';
import { interpolateEnv } from './interpolate.js';
import { formatPath } from './path.js';
import { closest } from '../core/suggest.js';
import { configSchema, KNOWN_KEYS, serviceSchema, type ConfigInput, type ServiceInput } from './schema.js';
import { resolveService } from './resolve.js';
import { DEFAULTS, type ResolvedConfig, type ServiceSpec } from './service.js';
import { adHocService } from './targets.js';
import { CANARY_TIMEOUT_MS } from './canaries.js';
import { catalogKeys, catalogService, expandCatalogItem, findCatalogEntry } from '../catalog/catalog.js';

export interface ValidateOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file, for messages and for resolving relative paths such as `tls.ca`. */
  file?: string;
  /** Command-line targets that are not service names: checked with the defaults. */
  adHocTargets?: string[];
}

/** The top level with services left unparsed: each service is parsed on its own (see below). */
const rootSchema = configSchema.extend({ services: z.array(z.unknown()).optional(), canaries: z.array(z.unknown()).optional() });

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
  const parseItems = (items: unknown[], key: 'services' | 'canaries') =>
    items.map((item, index) => {
      // `- slack` or `{ catalog: slack, …overrides }` becomes the catalog entry's service first.
      const expanded = expandCatalogItem(item);
      if (expanded.unknown !== undefined) {
        const hint = closest(expanded.unknown, catalogKeys());
        const at = typeof item === 'string' ? [key, index] : [key, index, 'catalog'];
        problems.push({ path: formatPath(at), message: `"${expanded.unknown}" is not in the catalog${hint ? ` (did you mean "${hint}"?)` : ''}; \`outage catalog\` lists the entries` });
        return undefined;
      }
      // Canaries answer fast or not at all: their own short budget unless they set one.
      const value = key === 'canaries' && isObject(expanded.value) ? { timeout: CANARY_TIMEOUT_MS, retries: 0, ...expanded.value } : expanded.value;
      const parsed = serviceSchema.safeParse(value, { reportInput: true });
      if (parsed.success) return parsed.data;
      problems.push(...zodProblems(parsed.error.issues, [key, index]));
      return undefined;
    });
  const parsedServices = parseItems(rawServices, 'services');
  const rawCanaries = (value as { canaries?: unknown })?.canaries;
  const parsedCanaries = Array.isArray(rawCanaries) ? parseItems(rawCanaries, 'canaries') : undefined;

  const inputs: (ServiceInput | undefined)[] = [...parsedServices];
  config.services = parsedServices.filter((s): s is ServiceInput => s !== undefined);
  for (const target of options.adHocTargets ?? []) {
    const entry = findCatalogEntry(target);
    const service = entry ? serviceSchema.parse(catalogService(entry)) : adHocService(target);
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
    const spec = resolveService(input, { config, path, problems, secrets, file: options.file });
    if (spec) services.push(spec);
  });
  const canaries = parsedCanaries?.flatMap((input, index) => {
    const spec = input && resolveService(input, { config, path: `canaries[${index}]`, problems, secrets, file: options.file });
    return spec ? [spec] : [];
  });
  if (problems.length > 0) throw fail();

  return {
    services,
    ...(canaries ? { canaries } : {}),
    settings: { concurrency: config.defaults?.concurrency ?? DEFAULTS.concurrency },
    secrets: [...new Set(secrets.filter((s) => s.length >= 3))],
    file: options.file,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
