/**
 * A service on its way from the config to a ServiceSpec: its parsed keys, the key path its
 * problems are reported under, and the defaults it is resolved with. expand.ts makes them;
 * rules.ts and specs.ts take each one once.
 */
import type { DefaultsInput, ServiceInput } from './schema.js';

/**
 * Where an entry comes from, which decides the rules it answers to and whose problems it has:
 * - `service`: an item of the config's `services` (names must be unique among these);
 * - `ad-hoc`: validateConfig's `adHocTargets`, reported as if listed after the services;
 * - `canary`: an item of the config's `canaries`;
 * - `target`: a command-line target that is not a configured service, reported only once the
 *   config itself is valid;
 * - `built-in`: a built-in canary, which takes none of the user's defaults.
 */
export type EntrySource = 'service' | 'ad-hoc' | 'canary' | 'target' | 'built-in';

export interface ServiceEntry {
  input: ServiceInput;
  /** `services[2]`, `canaries[0]`: the prefix of every problem's key path. */
  path: string;
  defaults: DefaultsInput;
  source: EntrySource;
  /** A `target` entry's command-line argument as typed: its problems quote it, not a key path. */
  argument?: string;
}
