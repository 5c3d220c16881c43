/** The programmatic API: the same report object that `outage check --json` prints. */
export { check, prepareCheck, runCheck, type CheckOptions, type PreparedCheck } from './check.js';
export { loadConfig, findConfig, type LoadOptions } from './config/load.js';
export { validateConfig } from './config/validate.js';
export type { ResolvedConfig, ServiceSpec } from './config/service.js';
export type { Report, ServiceResult, ProbeResult } from './report/types.js';
export { renderJson } from './report/json.js';
export { FAILURE_CODES, type FailureCode, type ProbeKind } from './probes/types.js';
export { ConfigError, OutageError, UsageError, ExitCode } from './errors.js';
export { Interrupted } from './run/deadline.js';
export type { Status } from './status.js';
