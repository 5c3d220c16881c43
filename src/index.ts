/** The programmatic API: the same report object that `outage check --json` prints. */
export { check, prepareCheck, runCheck, type CheckOptions, type PreparedCheck } from './check.js';
export { loadConfig, findConfig, type LoadOptions } from './config/load.js';
export { validateConfig } from './config/validate.js';
export type { ResolvedConfig, ServiceSpec } from './config/service.js';
export type { Report, ServiceResult, ProbeResult } from './probes/result.js';
export { renderJson } from './report/json.js';
export { FAILURE_CODES, type FailureCode } from './core/failure.js';
export { PROBE_KINDS, type ProbeKind } from './core/probe-kind.js';
export { probeOf, type ProbeResultOf } from './probes/result.js';
export { ConfigError, OutageError, UsageError, ExitCode } from './core/errors.js';
export { Interrupted } from './core/budget.js';
export type { Status } from './core/status.js';
export type { VantageResult } from './core/result.js';
export type { VantageSpec } from './config/vantages.js';
