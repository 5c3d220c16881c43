/**
 * The kinds of probe a service can run, in the order an attempt runs them. Each has one home,
 * src/probes/<kind>/, and one line in src/probes/registry.ts.
 */
export const PROBE_KINDS = ['dns', 'tcp', 'proxy', 'tls', 'http', 'hosts', 'status'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];
