/** What a scenario is: one config (and maybe targets, flags, env) run once in every format. */
import type { World } from '../servers.js';

export interface Scenario {
  /** Also its folder under SNAPSHOT_DIR. */
  name: string;
  /** The config file's content (`-c`). */
  config: (w: World) => unknown;
  /** Positional targets after `check`. */
  targets?: (w: World) => string[];
  /** Extra flags for every run. */
  flags?: string[];
  /** About canaries: no --no-canaries and no --resolver (the config names every resolver). */
  canaries?: boolean;
  /** The DNS server behind --resolver; `main` unless named. */
  resolver?: string;
  env?: Record<string, string>;
  /** Before each run: state a server keeps between requests. */
  reset?: (w: World) => void;
}

/**
 * Every scenario's budget. Latency thresholds are set on the slow server's services only (it
 * answers after 300 ms): a loaded machine can take 50 ms to answer anything.
 */
export const fast = { timeout: '2s', retries: 0 };
