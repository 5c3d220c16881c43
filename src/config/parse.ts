/**
 * Parsing, the first stage of loading (pipeline.ts): the raw document as load.ts read it, with
 * `${VAR}` interpolated, checked against the schema. Every problem is collected with its key path
 * before anything is reported (changesets' parse.ts pattern): a user fixing a config in a hurry
 * sees all of it at once, not one error per run.
 */
import { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { catalogKeys, expandCatalogItem } from '../catalog/catalog.js';
import { interpolateEnv, type Substitution } from './interpolate.js';
import { unsendableValues } from './sendable.js';
import { formatPath } from './path.js';
import { SWITCH_HINT, SWITCH_WORD, configSchema, KNOWN_KEYS, serviceSchema, type ConfigInput, type DefaultsInput, type ModuleInput, type ServiceInput } from './schema.js';

export interface ParsedConfig {
  /** False when there is no config at all; an empty one is still a config. */
  present: boolean;
  /** Undefined when the top level has problems (they are reported; nothing runs). */
  defaults: DefaultsInput | undefined;
  /** One per item of `services`, undefined where the item has problems: indexes stay the file's. */
  services: (ServiceInput | undefined)[];
  /** The same for `canaries`; undefined when the config has no `canaries` list. */
  canaries: (ServiceInput | undefined)[] | undefined;
  /** `vantages`: other `outage serve` instances to ask (see vantages.ts). */
  vantages: NonNullable<ConfigInput['vantages']> | undefined;
  /** `modules`, by name (for `outage serve`); undefined when the config has none or the top level has problems. */
  modules: Record<string, ModuleInput> | undefined;
  /** Values interpolated from the environment: never printed, not even in a problem. */
  secrets: string[];
  problems: ConfigProblem[];
  /** A service from elsewhere (a catalog entry a target names) read by the same schema; throws if invalid. */
  readService: (raw: unknown) => ServiceInput;
}

/** The top level with services left unparsed: each service is parsed on its own (see below). */
const rootSchema = configSchema.extend({ services: z.array(z.unknown()).optional(), canaries: z.array(z.unknown()).optional() });

export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv): ParsedConfig {
  const interpolated = interpolateEnv(raw ?? {}, env);
  const problems: ConfigProblem[] = [...interpolated.problems];
  if (interpolated.tooLarge) return { present: true, defaults: undefined, services: [], canaries: undefined, modules: undefined, vantages: undefined, secrets: interpolated.secrets, problems, readService };
  // Services are parsed one by one, so a schema error in one does not hide another's problems.
  // A value that cannot be sent is named with its variable; the schema would only quote it back.
  const unsendable = unsendableValues(interpolated.value, interpolated.origins);
  const named = new Set(unsendable.map((p) => p.path));
  problems.push(...unsendable);
  const schemaProblems: ConfigProblem[] = [];
  const root = rootSchema.safeParse(interpolated.value, { reportInput: true });
  if (!root.success) schemaProblems.push(...zodProblems(root.error.issues));
  const value = interpolated.value as { services?: unknown; canaries?: unknown } | undefined;
  const items = (list: unknown, key: 'services' | 'canaries') =>
    Array.isArray(list) ? list.map((item, index) => parseItem(item, key, index, schemaProblems)) : undefined;
  const services = items(value?.services, 'services') ?? [];
  const canaries = items(value?.canaries, 'canaries');
  problems.push(...schemaProblems.filter((p) => !named.has(p.path)).map((p) => withoutFragments(p, interpolated.origins)));
  problems.push(...duplicateNames(Array.isArray(value?.services) ? value.services : []));
  return {
    present: raw !== undefined,
    defaults: root.success ? root.data.defaults : undefined,
    modules: root.success ? root.data.modules : undefined,
    vantages: root.success ? root.data.vantages : undefined,
    services,
    canaries,
    secrets: interpolated.secrets,
    problems,
    readService,
  };
}

function readService(raw: unknown): ServiceInput {
  return serviceSchema.parse(raw);
}

/**
 * A parser that quotes the part it choked on (`port "abc" is not a number` for a password holding
 * a `/`) quotes a piece of a secret, which the redactor cannot recognise: a quoted piece of a value
 * substituted at that key becomes "***".
 */
function withoutFragments(problem: ConfigProblem, origins: ReadonlyMap<string, Substitution[]>): ConfigProblem {
  const from = origins.get(problem.path);
  if (!from) return problem;
  const values = from.map((o) => o.value);
  let hidden = false;
  // A "did you mean" is the nearest known word to the value: most of a secret that is one typo off.
  const message = problem.message.replace(/ \(did you mean "[^"]*"\?\)/g, '').replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => {
    let text: unknown;
    try {
      text = JSON.parse(`"${inner}"`);
    } catch {
      return whole;
    }
    if (typeof text !== 'string' || text === '' || !values.some((v) => v.includes(text))) return whole;
    hidden = true;
    return '"***"';
  });
  if (!hidden) return problem;
  const names = [...new Set(from.map((o) => `\${${o.name}}`))].join(', ');
  const isUrl = /(url|proxy|status|hosts\[\d+\])$/.test(problem.path);
  const hint = isUrl ? ': in a URL, a / ? # or @ in a credential must be percent-encoded, such as %2F for /' : '';
  return { ...problem, message: `${message} (part of ${names}${hint})` };
}

/**
 * Names are how services are picked on the command line, so they are unique. Checked on the
 * items as written, valid or not: a service with a problem of its own still has its name, and
 * the duplicate reported only once that problem was fixed was one more run to find it.
 */
function duplicateNames(items: unknown[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const written = (expandCatalogItem(item).value as { name?: unknown } | null)?.name;
    // As the schema reads it: trimmed, and an empty one is a problem of its own.
    const name = typeof written === 'string' ? written.trim() : '';
    if (name === '') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else problems.push({ path: `services[${index}].name`, message: `"${name}" is already the name of services[${earlier}]` });
  });
  return problems;
}

function parseItem(item: unknown, key: 'services' | 'canaries', index: number, problems: ConfigProblem[]): ServiceInput | undefined {
  // `- slack` or `{ catalog: slack, …overrides }` is shorthand for the entry's service with those
  // keys replaced (`http` key by key). It is merged before the schema runs, so the schema checks
  // the service that will run, and a catalog entry is checked by the same code as any service.
  const expanded = expandCatalogItem(item);
  if (expanded.unknown !== undefined) {
    const hint = closest(expanded.unknown, catalogKeys());
    const at = typeof item === 'string' ? [key, index] : [key, index, 'catalog'];
    problems.push({ path: formatPath(at), message: `"${expanded.unknown}" is not in the catalog${hint ? ` (did you mean "${hint}"?)` : ''}; \`outage catalog\` lists the entries` });
    return undefined;
  }
  const parsed = serviceSchema.safeParse(expanded.value, { reportInput: true });
  if (parsed.success) return parsed.data;
  problems.push(...zodProblems(parsed.error.issues, [key, index]));
  return undefined;
}

function zodProblems(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      // A module's own keys sit under its name (`modules.fast.timout`), not under a known key.
      const inModule = path.length === 2 && path[0] === 'modules';
      const parent = inModule ? 'modules' : ([...path].reverse().find((p): p is string => typeof p === 'string') ?? '');
      for (const key of issue.keys) {
        const hint = closest(key, KNOWN_KEYS[parent] ?? []);
        const fallback = parent === 'services' ? ' (probes are set with url, tcp, dns, tls and http)' : '';
        problems.push({ path: formatPath([...path, key]), message: `unknown key${hint ? ` (did you mean "${hint}"?)` : fallback}` });
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.errors.every((branch) => branch.every(isTypeMismatchHere))) {
      // Every branch refused the value's type (`tls: off`): say what the key takes, not zod's "expected false".
      const wanted = [...new Set(issue.errors.flat().flatMap(expectedOf))];
      const input = (issue.errors.flat()[0] as { input?: unknown } | undefined)?.input;
      const fix = typeof input === 'string' && SWITCH_WORD.test(input.trim()) && wanted.includes('false') ? ` ${SWITCH_HINT}: write false` : '';
      problems.push({ path: formatPath(path), message: `expected ${wanted.join(' or ')}, got ${describe(input)}${fix}` });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than zod's generic "invalid input".
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      const nested = zodProblems(best, path);
      problems.push(...(nested.length > 0 ? nested : [{ path: formatPath(path), message: issue.message }]));
    } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      // A record key that breaks its rule (a module name): say the rule, not "Invalid key in record".
      problems.push({ path: formatPath(path), message: issue.issues[0]?.message ?? issue.message });
    } else {
      problems.push({ path: formatPath(path), message: friendlyMessage(issue) });
    }
  }
  return problems;
}

function isTypeMismatchHere(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'boolean')));
}

function expectedOf(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.code !== 'invalid_type') return [];
  return [issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : issue.expected];
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)));
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const fix = issue.expected === 'boolean' && typeof issue.input === 'string' && SWITCH_WORD.test(issue.input.trim()) ? ` ${SWITCH_HINT}: write true or false` : '';
    return issue.input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}, got ${describe(issue.input)}${fix}`;
  }
  if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
    // One of a list (`dns.type`): the list as written in a config, not zod's `"A"|"AAAA"`.
    const wanted = issue.values.map(String);
    const hint = typeof issue.input === 'string' ? closest(issue.input, wanted) : undefined;
    return `expected one of ${wanted.join(', ')}, got ${describe(issue.input)}${hint ? ` (did you mean "${hint}"?)` : ''}`;
  }
  return issue.message;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // A JavaScript config may export anything: JSON.stringify throws on a BigInt, says nothing of a symbol.
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
