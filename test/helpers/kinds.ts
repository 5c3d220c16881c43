/** Probe stand-ins for tests, injected through the `kinds` option — never by mutating the registry. */
import type { ProbeKind } from '../../src/core/probe-kind.js';
import type { Probe } from '../../src/probes/contract.js';
import type { ObservationOf } from '../../src/probes/observation.js';
import { KINDS, type KindRegistry } from '../../src/probes/registry.js';

/** The registry with one kind's probe replaced. */
export function withProbe<K extends ProbeKind>(kind: K, probe: Probe<ObservationOf<K>>): KindRegistry {
  return { ...KINDS, [kind]: { ...KINDS[kind], probe } };
}
