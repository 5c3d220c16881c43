/**
 * Errors the user can cause. Each carries a stable `code` and the process exit code it maps to;
 * the CLI catches them once (src/cli.ts) and prints only the message — never a stack trace.
 * A failing *target* is not an error: probes report it as an observation.
 */
export const ExitCode = {
  up: 0,
  degraded: 1,
  down: 2,
  unknown: 3,
  usage: 64,
  config: 78,
  /** EX_CANTCREAT: a report or starter file could not be written. */
  cantCreate: 73,
  /** EX_SOFTWARE: the checkout is not built (dist/cli.cjs missing); said by bin/outage.js, which cannot load this module then. */
  notBuilt: 70,
  /** EX_OSERR: outage itself ran out of open files or memory (a low `ulimit -n`). */
  resources: 71,
  /** EX_IOERR: standard output could not be written (a full disk), so the report was lost. */
  ioError: 74,
  /** SIGHUP: the terminal closed (an SSH session dropped, a terminal window shut). */
  hungUp: 129,
  interrupted: 130,
  /** SIGPIPE: the reader of a pipe went away (`outage watch | head -n 3`), as a shell shows a process it killed. */
  readerGone: 141,
  terminated: 143,
} as const;

/**
 * Node's process.exit as it was when outage started. While a JavaScript config loads, process.exit
 * is replaced by a refusal (config/load-bounds.ts); outage's own exits (a second Ctrl-C, an error
 * nothing caught, which may be that refusal thrown from the config's timer) must still end the run.
 */
export const exitProcess: (code?: number) => never = process.exit.bind(process);

export class OutageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'OutageError';
  }
}

export class UsageError extends OutageError {
  constructor(message: string, code = 'usage.invalid') {
    super(code, message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

export interface ConfigProblem {
  /** Key path such as `services[2].http.expect.status`; empty for the file as a whole. */
  path: string;
  message: string;
}

export class ConfigError extends OutageError {
  constructor(
    readonly problems: ConfigProblem[],
    readonly file?: string,
    code = 'config.invalid',
  ) {
    const where = file ? ` in ${file}` : '';
    const lines = problems.map((p) => `  ${p.path ? `${p.path}: ` : ''}${p.message}`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(code, `Invalid configuration${where} (${count}):\n${lines.join('\n')}`, ExitCode.config);
    this.name = 'ConfigError';
  }
}
