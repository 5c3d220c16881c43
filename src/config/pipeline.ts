/**
 * Loading a config: named stages, each run once and in order —
 *   parse.ts   the document, with `${VAR}` interpolated, against the schema;
 *   expand.ts  the config's services, the command line's targets and the canaries, as entries;
 *   rules.ts   what spans keys: one target per service, options that need a target (parse.ts: unique names);
 *   specs.ts   each entry as a ServiceSpec, every default filled in.
 * Every problem found on the way is reported at once, in one ConfigError. The command line's
 * mistakes come after the config's: a target or tag can only be judged against a valid config.
 * The stages after parsing are assemble.ts, which a check of URLs with no config file runs alone.
 */
import { assembleServices, type LoadedServices, type LoadServicesOptions } from './assemble.js';
import { redactedConfigError } from './code-config.js';
import { parseConfig } from './parse.js';

export type { LoadedServices, LoadServicesOptions } from './assemble.js';

export function loadServices(raw: unknown, options: LoadServicesOptions = {}): LoadedServices {
  try {
    return assembleServices(parseConfig(raw, options.env ?? process.env), options);
  } catch (error) {
    // A problem quotes the value it found (`timeout: <value>: not a duration`).
    throw redactedConfigError(error, options.file);
  }
}

