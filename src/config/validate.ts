/**
 * `validateConfig`, the programmatic API's way to load a config object: every service resolved,
 * or one ConfigError with every problem and its key path. The loading pipeline (pipeline.ts)
 * without a command line.
 */
import { loadServices } from './pipeline.js';
import type { ResolvedConfig } from './service.js';

export interface ValidateOptions {
  env?: NodeJS.ProcessEnv;
  /** The config file, for messages and for resolving relative paths such as `tls.ca`. */
  file?: string;
  /** Catalog names, URLs or host:port, checked with the defaults after the config's services. */
  adHocTargets?: string[];
}

export function validateConfig(raw: unknown, options: ValidateOptions = {}): ResolvedConfig {
  // No config validates as an empty one. Canaries are chosen per run, so none are chosen here.
  return loadServices(raw ?? {}, { ...options, canaries: false }).config;
}
