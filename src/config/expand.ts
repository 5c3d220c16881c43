/**
 * Expansion, the second stage of loading (pipeline.ts): the parsed config, the command line's
 * targets and the canaries become one list of entries to check and resolve, each exactly once.
 * Canaries get their own short budget here, and the built-in ones stand in when the config names
 * none.
 */
import type { UsageError } from '../core/errors.js';
import { CANARY_TIMEOUT_MS, defaultCanaries } from './canaries.js';
import type { EntrySource, ServiceEntry } from './entry.js';
import type { ParsedConfig } from './parse.js';
import type { DefaultsInput, ModuleInput, ServiceInput } from './schema.js';
import { selectServices, targetInput } from './select.js';

export interface ExpandRequest {
  /** Command-line targets: configured names, catalog names, URLs, host:port. */
  targets: readonly string[];
  tags: readonly string[];
  /** validateConfig's `adHocTargets`: checked as if listed after the config's services. */
  adHocTargets: readonly string[];
  /** False when the diagnosis is off, so the built-in canaries cannot be chosen. */
  builtInCanaries: boolean;
  /** A module's options, applied over each target that is not a configured service (`outage serve`). */
  module?: ModuleInput;
}

export interface Expansion {
  /**
   * Every entry, in the order their problems are reported: the config's services (validateConfig's
   * ad-hoc targets after them), its canaries, the command line's targets, the built-in canaries.
   */
  entries: ServiceEntry[];
  /** What the run checks, in the order asked for. */
  chosen: ServiceEntry[];
  /** An unknown target or a tag no chosen service has: reported once everything else is valid. */
  selectionError?: UsageError;
}

export function expandServices(parsed: ParsedConfig, request: ExpandRequest): Expansion {
  const defaults = parsed.defaults ?? {};
  const entry = (input: ServiceInput, path: string, source: EntrySource, own: DefaultsInput = defaults): ServiceEntry => ({ input, path, defaults: own, source });
  const items = (inputs: (ServiceInput | undefined)[], key: string, source: EntrySource, shape = (input: ServiceInput) => input) =>
    inputs.flatMap((input, index) => (input ? [entry(shape(input), `${key}[${index}]`, source)] : []));

  const services = items(parsed.services, 'services', 'service');
  // Whatever is neither a catalog entry nor a target is skipped, as validateConfig always did.
  const adHoc = request.adHocTargets
    .map((target) => targetInput(target, parsed.readService))
    .filter((input): input is ServiceInput => input !== undefined)
    .map((input, index) => entry(input, `services[${parsed.services.length + index}]`, 'ad-hoc'));
  const canaries = items(parsed.canaries ?? [], 'canaries', 'canary', withCanaryBudget);
  // Built-in canaries take none of the user's defaults: `defaults.resolvers` would make the
  // system-resolver canaries ask another resolver. Except the proxy: on a network that reaches
  // the internet only through it, canaries going direct would fail and blame the network.
  const canaryDefaults: DefaultsInput = defaults.proxy !== undefined ? { proxy: defaults.proxy } : {};
  const builtIn = request.builtInCanaries && parsed.canaries === undefined
    ? defaultCanaries().map((input, index) => entry(withCanaryBudget(input), `canaries[${index}]`, 'built-in', canaryDefaults))
    : [];
  const selection = selectServices(services, {
    targets: request.targets,
    tags: request.tags,
    hasConfig: parsed.present,
    readService: parsed.readService,
    // Reported apart from the config's problems, so numbered apart too: services[0] is the first target.
    entryFor: (input, index, argument) => ({ ...entry(withModule(input, request.module), `services[${index}]`, 'target'), argument }),
  });
  return {
    entries: [...services, ...adHoc, ...canaries, ...selection.targets, ...builtIn],
    chosen: selection.chosen,
    selectionError: selection.error,
  };
}

/** Canaries answer fast or not at all: their own short budget and no retry, unless they set one. */
function withCanaryBudget(input: ServiceInput): ServiceInput {
  return { timeout: CANARY_TIMEOUT_MS, retries: 0, ...input };
}

/** A module's keys replace the target's own (a catalog entry's), `http` key by key as catalog overrides do. */
function withModule(input: ServiceInput, module: ModuleInput | undefined): ServiceInput {
  if (!module) return input;
  const http = input.http || module.http ? { ...input.http, ...module.http } : undefined;
  return { ...input, ...module, ...(http ? { http } : {}) };
}
