/**
 * Loading a config after parsing it (pipeline.ts lists the stages): expansion, rules and
 * resolution, every problem reported at once. Kept apart from parse.ts and its schema (zod, ~15 ms
 * to load and build) so that a check of URLs with no config file never loads the schema: nothing
 * is parsed then, and NO_CONFIG is what parsing would have given.
 */
import { ConfigError, UsageError, type ConfigProblem, type OutageError } from '../core/errors.js';
import { createRedactor, type Redact } from '../core/redact.js';
import { findCatalogEntry } from '../catalog/catalog.js';
import type { EntrySource, ServiceEntry } from './entry.js';
import { expandServices } from './expand.js';
import { badTargetError } from './select.js';
import { dependsOnInternet } from './internet.js';
import { askingBothFamilies } from './canaries.js';
import type { ParsedConfig } from './parse.js';
import { readProxyEnvironment } from './proxy.js';
import { checkRules } from './rules.js';
import { DEFAULTS, type ResolvedConfig, type ServiceSpec } from './service.js';
import { applyOverrides, resolveSpecs, type Overrides } from './specs.js';
import { adHocService } from './targets.js';
import { vantageSpecs, type VantageSpec } from './vantages.js';

/** What parsing gives when there is no config at all (test/config/assemble.test.ts holds it to that). */
export const NO_CONFIG: ParsedConfig = {
  present: false,
  defaults: undefined,
  services: [],
  canaries: undefined,
  vantages: undefined,
  modules: undefined,
  secrets: [],
  problems: [],
  readService: () => {
    throw new Error('a catalog entry is read by the config schema: load it with loadServices (pipeline.ts)');
  },
};

/**
 * Whether loading needs no schema: no config, and targets that are all URLs or host:port (a
 * catalog name is read by the schema; no target at all means the catalog's default set).
 */
export function needsNoSchema(raw: unknown, targets: readonly string[] | undefined): boolean {
  return raw === undefined && targets !== undefined && targets.length > 0 && targets.every((t) => !findCatalogEntry(t) && adHocService(t) !== undefined);
}

export interface LoadServicesOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file, for messages and for resolving relative paths such as `tls.ca`. */
  file?: string;
  /** Configured service names, catalog names or ad-hoc targets (https://…, http://…, host:port). */
  targets?: readonly string[];
  tags?: readonly string[];
  overrides?: Overrides;
  /** false: no local-network diagnosis, whatever the config says. */
  canaries?: false;
  /** validateConfig's option: targets checked as if listed after the config's services. */
  adHocTargets?: readonly string[];
  /** `outage serve`: the name of a config module whose options the targets take. */
  module?: string;
  /** `--from URL`: vantages that replace the config's `vantages`. */
  from?: readonly string[];
}

export interface LoadedServices {
  /** The whole config resolved, as validateConfig returns it. */
  config: ResolvedConfig;
  /** What the run checks: chosen by the targets and tags, flags applied. */
  services: ServiceSpec[];
  /** Probed beside the services to tell a local network problem from outages; [] for none. */
  canaries: ServiceSpec[];
  /** Values to redact from anything printed: the config's and the command-line targets'. */
  secrets: string[];
  /** Other `outage serve` instances to ask about the same services (`--from`, `vantages:`). */
  vantages: VantageSpec[];
  /** Said once on stderr before the run (credentials to a vantage over plain http, …); never a secret. */
  warnings: string[];
}

/** Every stage after parsing, on a parsed config (pipeline.ts parses; NO_CONFIG needs no parsing). */
export function assembleServices(parsed: ParsedConfig, options: LoadServicesOptions = {}): LoadedServices {
  const env = options.env ?? process.env;
  const expanded = expandServices(parsed, {
    targets: options.targets ?? [],
    tags: options.tags ?? [],
    adHocTargets: options.adHocTargets ?? [],
    builtInCanaries: options.canaries !== false,
    module: options.module === undefined ? undefined : parsed.modules?.[options.module],
  });
  const checked = checkRules(expanded.entries);
  const proxies = readProxyEnvironment(env);
  const resolved = resolveSpecs(checked.valid, options.file, proxies);

  const from = (...sources: EntrySource[]) => expanded.entries.filter((e) => sources.includes(e.source));
  // Each entry's problems together, its rules' first: canaries' problems stay in canary order.
  const problemsOf = (entries: ServiceEntry[]) => entries.flatMap((e) => [...(checked.problems.get(e) ?? []), ...(resolved.get(e)?.problems ?? [])]);
  const secretsOf = (entries: ServiceEntry[]) => entries.flatMap((e) => resolved.get(e)?.secrets ?? []);
  const specOf = (entry: ServiceEntry): ServiceSpec => {
    const spec = resolved.get(entry)?.spec;
    if (!spec) throw new Error(`${entry.path} was not resolved although it has no problem`);
    return spec;
  };
  // Only values from the environment are scrubbed from problems, as they always were.
  const scrub = createRedactor(parsed.secrets);

  const configProblems = [...parsed.problems, ...problemsOf(from('service', 'ad-hoc', 'canary', 'built-in'))];
  if (configProblems.length > 0) throw invalid(configProblems, scrub, options.file);
  const config: ResolvedConfig = {
    services: from('service', 'ad-hoc').map(specOf),
    ...(parsed.canaries ? { canaries: from('canary').map(specOf) } : {}),
    settings: { concurrency: parsed.defaults?.concurrency ?? DEFAULTS.concurrency },
    secrets: unique([...parsed.secrets, ...proxies.secrets, ...secretsOf(from('service', 'ad-hoc', 'canary'))]),
    file: options.file,
  };

  // The command line's mistakes echo what the user typed, which may hold a secret value from the config.
  const redact = createRedactor(config.secrets);
  if (options.module !== undefined && !parsed.modules?.[options.module]) throw unknownModule(options.module, Object.keys(parsed.modules ?? {}));
  // A bad argument is a usage error quoting it: the config file had nothing to do with it.
  const badTargets = from('target').flatMap((e) => problemsOf([e]).map((p) => ({ argument: e.argument ?? e.input.name, message: p.message })));
  if (badTargets.length > 0) throw redacted(badTargetError(badTargets), redact);
  if (expanded.selectionError) throw redacted(expanded.selectionError, redact);

  const services = applyOverrides(expanded.chosen.map(specOf), options.overrides ?? {});
  const vantages = vantageSpecs(parsed.vantages, options.from, env);
  return {
    vantages: vantages.vantages,
    warnings: vantages.warnings,
    config,
    services,
    canaries: chooseCanaries(config.canaries, from('built-in').map(specOf), services, options.canaries),
    secrets: unique([...config.secrets, ...secretsOf(from('target')), ...vantages.secrets]),
  };
}

/** The config's canaries, else the built-in ones when any service depends on the internet. */
function chooseCanaries(configured: ServiceSpec[] | undefined, builtIn: ServiceSpec[], services: ServiceSpec[], flag: false | undefined): ServiceSpec[] {
  if (flag === false) return [];
  if (configured) return configured.map(askingBothFamilies);
  return services.some(dependsOnInternet) ? builtIn.map(askingBothFamilies) : [];
}

function unknownModule(name: string, known: string[]): UsageError {
  const listed = known.length > 0 ? `modules in the config: ${known.join(', ')}` : 'the config has no modules: section';
  return new UsageError(`unknown module ${JSON.stringify(name)} (${listed})`, 'usage.unknown_module');
}

function invalid(problems: ConfigProblem[], scrub: Redact, file: string | undefined): ConfigError {
  return new ConfigError(sortProblems(problems).map((p) => ({ path: p.path, message: scrub(p.message) })), file);
}

function redacted<E extends OutageError>(error: E, redact: Redact): E {
  error.message = redact(error.message);
  return error;
}

/** Unique problems, services in file order (others keep the order they were found in). */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const unique = [...new Map(problems.map((p) => [`${p.path}\0${p.message}`, p])).values()];
  const index = (p: ConfigProblem) => Number(/^services\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  return unique.sort((a, b) => index(a) - index(b));
}

/** Secrets worth redacting: shorter ones would turn ordinary words into `***`. */
function unique(secrets: string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length >= 3))];
}
