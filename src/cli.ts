/**
 * The command line. Commands load their heavy modules (cosmiconfig, zod, the probes) only
 * when they run, so `--help` and `--version` cost little more than starting Node. This is also the
 * one place errors become exit codes: an OutageError prints its message, anything else is a bug
 * and says so — neither prints a stack trace unless OUTAGE_DEBUG is set.
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ExitCode, exitProcess, OutageError } from './core/errors.js';
import { GONE_DIRECTORY, isGoneDirectory } from './core/current-directory.js';
import { safeLines } from './core/safe-text.js';
import { stdoutLost } from './core/stdout-lost.js';
import { whyNotWritten } from './core/write-file.js';
import { redactError } from './core/redact.js';
import { isLocalExhaustion, openFileLimit } from './net/open-file-limit.js';
import { FORMAT_NAMES } from './report/format-names.js';
import { shareIpTestWithNode } from './commands/node-ip-test.js';
import { redactEnvironmentCredentials } from './config/code-config.js';
import { unknownOutput } from './report/nagios-line.js';
import { terminalText } from './commands/terminal.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Options every probing command shares: where services come from and how they are reached. */
function selectionOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'config file to use instead of searching for one (- reads it from stdin)')
    .option('--tag <tag>', 'only services with this tag, repeatable', collect, [])
    .option('--resolver <address>', 'DNS server to use, repeatable: 1.1.1.1, 127.0.0.1:5353, [::1]:53', collect, [])
    .option('--concurrency <n>', 'services probed at once (overrides config)')
    .option('--no-canaries', 'skip the local-network diagnosis (same as canaries: [] in the config)')
    .option('--no-color', 'never color the output (NO_COLOR and FORCE_COLOR are honoured too)');
}

const TARGETS_HELP = 'configured service names, catalog names (outage catalog lists them), or ad-hoc targets';

export function buildProgram(): Command {
  const program = new Command('outage')
    .description('Is it down? Check DNS, TCP, TLS and HTTP for many services at once, and say precisely what failed.')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .exitOverride()
    // Usage errors quote the command line back: made safe like every other message.
    // commander's own `error: …` is outage's `outage: …`, as every other message on stderr.
    .configureOutput({ writeErr: (text) => process.stderr.write(terminalText(safeLines(text.replace(/^error: /, 'outage: ')))) });

  const check = program
    .command('check')
    .description('probe services and report their health (exit 0 up, 1 degraded, 2 down, 3 unknown)')
    .argument('[targets...]', `${TARGETS_HELP}: https://..., http://..., host:port. None: the config's services, or with no config the catalog's default set of public services`);
  selectionOptions(check)
    .addOption(new Option('-f, --format <format>', 'output format on stdout').choices(FORMAT_NAMES))
    .option('--json', 'short for --format json')
    .option('--report <format=path>', 'also write a report to a file, repeatable: --report junit=report.xml', collect, [])
    .option('--no-emoji', 'no status emoji in markdown output')
    .addOption(new Option('--fail-on <status>', 'lowest status that makes the exit code non-zero').choices(['degraded', 'down', 'never']).default('degraded'))
    .option('--timeout <duration>', 'budget for each attempt of a service, e.g. 5s (overrides config)')
    .option('--retries <n>', 'extra attempts after a failure (overrides config)')
    .option('-q, --quiet', 'print only the summary line, and under it the diagnosis and warnings when there are any')
    .option('-v, --verbose', 'add per-phase timings, addresses and certificate chains')
    .option('--from <url>', 'also ask this outage serve (another vantage point) about the same services, repeatable (a bearer token for it: OUTAGE_VANTAGE_TOKEN)', collect, [])
    .action(async (targets: string[], options) => {
      const { runCheckCommand } = await import('./commands/check.js');
      process.exitCode = await runCheckCommand(targets, options);
    });

  const wait = program
    .command('wait')
    .description('re-check until every service reaches a state, e.g. before a deploy (exit 0 reached, 2 timed out)')
    .argument('[targets...]', TARGETS_HELP);
  selectionOptions(wait)
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--interval <duration>', 'longest pause between checks (failures are re-checked sooner at first)', '2s')
    .addOption(new Option('--until <status>', 'the state to wait for: up, degraded (or better), or down (gone)').choices(['up', 'degraded', 'down']).default('up'))
    .option('--stable <n>', 'consecutive checks that must pass', '1')
    .option('--probe-timeout <duration>', 'budget for each check of a service (default: config timeout)')
    .option('--json', 'print the last report as JSON on stdout (progress goes to stderr)')
    .action(async (targets: string[], options) => {
      const { runWaitCommand } = await import('./commands/wait.js');
      process.exitCode = await runWaitCommand(targets, options);
    });

  const watch = program
    .command('watch')
    .description('re-check on an interval: a live table on a terminal, one line per change otherwise; Ctrl-C lists incidents')
    .argument('[targets...]', TARGETS_HELP);
  selectionOptions(watch)
    .option('--interval <duration>', 'pause between checks', '30s')
    .option('--probe-timeout <duration>', 'budget for each attempt of a service (default: config timeout)')
    .option('--retries <n>', 'extra attempts after a failure (overrides config)')
    .option('--from <url>', 'also ask this outage serve (another vantage point) every round, repeatable', collect, [])
    .action(async (targets: string[], options) => {
      const { runWatchCommand } = await import('./commands/watch.js');
      process.exitCode = await runWatchCommand(targets, options);
    });

  program
    .command('serve')
    .description('a Prometheus exporter: GET /probe?target=... checks one target (blackbox_exporter\'s multi-target pattern)')
    .option('--listen <host:port>', 'address to listen on; port 0 picks a free one (printed on stderr)', '127.0.0.1:19115')
    .option('-c, --config <path>', 'config file to use instead of searching for one (services, modules:)')
    .option('--web.config.file <path>', 'TLS and basic/bearer auth, in the exporter-toolkit web-config format')
    .option('--allow-target <pattern>', 'only targets matching: host glob (*.example.com), CIDR (10.0.0.0/8), scheme (https://*), port (*:443); repeatable', collect, [])
    .option('--max-concurrent <n>', 'probes run at once; more wait their turn (default 32)')
    .option('--max-waiting <n>', 'probe requests that may wait for a turn before 503 (default 8 x --max-concurrent)')
    .option('--rate-limit <n>', 'requests per second per client address, 0 for no limit (default 50)')
    .option('--rate-burst <n>', 'requests a client may make at once (default 200)')
    .option('--shutdown-grace <duration>', 'on SIGTERM/SIGINT, how long probes in flight may finish (default 5s)')
    .action(async (options) => {
      const { runServeCommand } = await import('./commands/serve.js');
      process.exitCode = await runServeCommand({ ...options, webConfigFile: options['web.config.file'] ?? options.webConfigFile });
    });

  program
    .command('list')
    .description('show the services a check would run and their probes, without touching the network')
    .argument('[targets...]', TARGETS_HELP)
    .option('-c, --config <path>', 'config file to use instead of searching for one (- reads it from stdin)')
    .option('--tag <tag>', 'only services with this tag, repeatable', collect, [])
    .option('--json', 'print the list as JSON')
    .action(async (targets: string[], options) => {
      const { runListCommand } = await import('./commands/config-commands.js');
      process.exitCode = await runListCommand(targets, options);
    });

  program
    .command('catalog')
    .description('list the built-in catalog of well-known services (outage check slack github)')
    .option('--json', 'print the catalog as JSON')
    .action(async (options) => {
      const { runCatalogCommand } = await import('./commands/catalog.js');
      process.exitCode = await runCatalogCommand(options);
    });

  program
    .command('validate')
    .description('validate the config: exit 0, or 78 with every problem and its key path')
    .option('-c, --config <path>', 'config file to use instead of searching for one (- reads it from stdin)')
    .action(async (options) => {
      const { runValidateCommand } = await import('./commands/config-commands.js');
      process.exitCode = await runValidateCommand(options);
    });

  program
    .command('init')
    .description('write a commented starter config (never overwrites an existing file)')
    .argument('[path]', 'where to write it', '.outagerc.yaml')
    .action(async (path: string) => {
      const { runInitCommand } = await import('./commands/config-commands.js');
      process.exitCode = await runInitCommand(path);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file, for editors')
    .action(async () => {
      const { runSchemaCommand } = await import('./commands/config-commands.js');
      process.exitCode = await runSchemaCommand();
    });

  return program;
}

/** Set once standard output could not be written: the code the process ends with. */
let lostStdout: number | undefined;
let restating: Promise<void> | undefined;

export async function main(argv: string[]): Promise<void> {
  const format = requestedFormat(argv.slice(2));
  const nagios = format === 'nagios';
  if (format === 'json') noteStdoutUse();
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A closed pipe (`outage check | head`) is the reader's choice, not a failure worth a trace.
    // The command sets its code before writing, so a gate behind `| head` still fails.
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Any other failed write (a full disk under `> report.json`) lost the output: exit 0 would
    // hand the next step an empty report as a passed check. EX_IOERR, as sysexits names it.
    process.stderr.write(`outage: cannot write to standard output: ${whyNotWritten(error, '')}\n`);
    lostStdout = nagios ? ExitCode.unknown : ExitCode.ioError;
    process.exitCode = lostStdout;
    // Report files already written stated the check's own code: they are written again with this one first.
    const code = lostStdout;
    restating ??= stdoutLost(code).finally(() => process.exit(code));
  });
  // Read now, while a file can still be opened: a message about running out of them needs it.
  openFileLimit();
  shareIpTestWithNode();
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    process.exitCode = ExitCode.usage;
    return;
  }
  endOnUncaught(nagios);
  try {
    await program.parseAsync(argv);
  } catch (thrown) {
    const error = ownLimit(thrown) ?? goneDirectory(thrown) ?? thrown;
    process.exitCode = nagios ? nagiosExitCodeFor(error) : exitCodeFor(error);
    writeJsonError(error, Number(process.exitCode));
  }
  // The command's own code must not replace 74, and the process (bin/outage.js exits once main
  // returns) must not end before report files are restated with it.
  if (lostStdout !== undefined) process.exitCode = lostStdout;
  await restating;
  // A plugin's exit code is 0-3; Nagios reads any other (130 after a SIGINT) as a broken plugin.
  if (nagios && Number(process.exitCode ?? 0) > ExitCode.unknown) process.exitCode = ExitCode.unknown;
  // Everything is written by now. Nothing should hold the event loop, but if a socket or timer
  // ever does, the user's shell must not hang: exit anyway shortly after (unref: never delays).
  setTimeout(() => process.exit(), 1000).unref();
}

/**
 * The format a command prints on stdout when it is one a program reads: `check --format nagios`
 * (or `-f nagios`, `--format=nagios`, `-qf nagios`), or JSON (`check --json`, `--format json`,
 * `wait`, `list` and `catalog --json`). Found without commander: a bad flag elsewhere on the line
 * must still be answered as a plugin, or as one JSON document.
 */
function requestedFormat(args: string[]): 'nagios' | 'json' | undefined {
  const command = args[0] ?? '';
  if (!['check', 'wait', 'list', 'catalog'].includes(command)) return undefined;
  let format: string | undefined;
  let json = false;
  for (let i = 1; i < args.length && args[i] !== '--'; i++) {
    const arg = args[i] as string;
    if (arg === '--json') json = true;
    if (command !== 'check') continue;
    const inline = /^--format=(.*)$/.exec(arg) ?? /^-[qv]*f(.+)$/.exec(arg);
    if (inline) format = inline[1];
    else if (arg === '--format' || /^-[qv]*f$/.test(arg)) format = args[++i];
  }
  if (format === 'nagios') return 'nagios';
  // `--json --format tap` disagree: a usage error, in no format.
  if (format !== undefined && format !== 'json') return undefined;
  return json || format === 'json' ? 'json' : undefined;
}

/**
 * With JSON asked for, an error that stops the run before its report is still one document on
 * stdout — `status: "error"`, the stable code, the exit code, a config's problems by key path —
 * so a program reading stdout learns why, not only that it got nothing. Never a second document
 * after output has begun (an error a JavaScript config's timer throws mid-run).
 */
const jsonErrors = { wanted: false, stdoutUsed: false, write: (text: string): unknown => process.stdout.write(text) };

function noteStdoutUse(): void {
  jsonErrors.wanted = true;
  const write = process.stdout.write as (...args: unknown[]) => boolean;
  // Stdout's own write: while a JavaScript config loads, process.stdout.write goes to stderr
  // (config/load-bounds.ts), and the error that ends such a load is written from there.
  jsonErrors.write = (text) => write.call(process.stdout, text);
  process.stdout.write = function (this: NodeJS.WriteStream, ...args: unknown[]) {
    jsonErrors.stdoutUsed = true;
    return write.apply(this, args);
  } as typeof process.stdout.write;
}

function writeJsonError(error: unknown, exitCode: number): void {
  if (!jsonErrors.wanted || jsonErrors.stdoutUsed || exitCode === 0) return;
  const code = error instanceof OutageError ? error.code : error instanceof CommanderError ? 'usage.invalid' : 'internal.error';
  const said = (text: string) => redactError(text).replace(/^error: /, '');
  const message = said(error instanceof Error ? error.message : String(error));
  const problems = error instanceof ConfigError ? error.problems.map((p) => ({ path: p.path, message: said(p.message) })) : undefined;
  jsonErrors.write(`${JSON.stringify({ schemaVersion: 1, status: 'error', exitCode, error: { code, message, ...(problems ? { problems } : {}) } })}\n`);
}

/**
 * Under `--format nagios`, an error the plugin cannot check past (a bad flag, an invalid config, a
 * report file it cannot write) is the plugin result UNKNOWN with the reason, on stdout where
 * Nagios reads it, not exit 64 or 78, which Nagios shows as a broken plugin without its output.
 */
function nagiosExitCodeFor(error: unknown): number {
  const code = exitCodeFor(error);
  if (code === 0) return 0;
  const message = redactError(error instanceof Error ? error.message : String(error));
  process.stdout.write(unknownOutput(error instanceof OutageError || error instanceof CommanderError ? message : `internal error: ${message}`));
  return ExitCode.unknown;
}

/**
 * Out of files or memory where no probe could catch it (loading a module, reading the config):
 * outage's own limit, said as such and exit 71, not "a bug in outage".
 */
function ownLimit(error: unknown): OutageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!isLocalExhaustion(code)) return undefined;
  const limit = openFileLimit();
  const files = code !== 'ENOMEM' && code !== 'ENOBUFS';
  const what = files ? `too few open files (${code}${limit === undefined ? '' : `; ulimit -n is ${limit}`})` : `too little memory (${code})`;
  const raise = files ? 'Raise the limit, e.g. ulimit -n 1024' : 'Free some memory, or check fewer services at once (--concurrency)';
  return new OutageError('local.resources', `${what}. ${raise}`, ExitCode.resources);
}

/**
 * An error nothing awaited — a JavaScript config's stray promise or timer, or a bug in outage —
 * ends the run as a caught one does: one line, secrets out, never Node's stack trace (which quotes
 * the config's source line, credential and all). The values of environment variables named as
 * credentials are hidden too, since it may be the config's own error (config/code-config.ts).
 */
function endOnUncaught(nagios: boolean): void {
  // While a JavaScript config loads, process.exit is refused (config/load-bounds.ts), and its
  // refusal thrown from the config's timer ends up here: exitProcess is the real one.
  const end = (thrown: unknown) => {
    const error = thrown instanceof ConfigError ? thrown : (ownLimit(thrown) ?? goneDirectory(thrown) ?? uncaughtError(thrown));
    process.exitCode = nagios ? nagiosExitCodeFor(error) : exitCodeFor(error);
    writeJsonError(error, Number(process.exitCode));
    if (process.env.OUTAGE_DEBUG && thrown instanceof Error) process.stderr.write(`${redactEnvironmentCredentials(redactError(thrown.stack ?? ''))}\n`);
    exitProcess();
  };
  process.on('uncaughtException', end);
  process.on('unhandledRejection', end);
}

/** An error nothing caught, said in one line with secrets and environment credentials out. */
function uncaughtError(thrown: unknown): OutageError {
  const text = redactEnvironmentCredentials(redactError(thrown instanceof Error ? thrown.message : String(thrown)));
  return new OutageError('internal.error', `uncaught error: ${text} (from a JavaScript config's own code, or a bug in outage; OUTAGE_DEBUG=1 shows where)`, ExitCode.unknown);
}

/** A relative path met a working directory that was deleted: the user's to fix, not a bug. */
function goneDirectory(error: unknown): OutageError | undefined {
  return isGoneDirectory(error) ? new OutageError('local.cwd', GONE_DIRECTORY, ExitCode.resources) : undefined;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; bad flags and arguments are usage errors.
    return error.exitCode === 0 ? 0 : ExitCode.usage;
  }
  if (error instanceof OutageError) {
    // Messages may quote what a server or a file said: each line made safe (core/safe-text.ts).
    process.stderr.write(terminalText(`outage: ${safeLines(redactError(error.message))}\n`));
    return error.exitCode;
  }
  const message = redactError(error instanceof Error ? error.message : String(error));
  process.stderr.write(terminalText(`outage: internal error: ${safeLines(message)}\nThis is a bug in outage; please report it with the command you ran.\n`));
  if (process.env.OUTAGE_DEBUG && error instanceof Error) process.stderr.write(`${redactError(error.stack ?? '')}\n`);
  return ExitCode.unknown;
}

/**
 * `node dist/cli.js check …` (or dist/cli.cjs) runs the CLI, as bin/outage.js does: a module that
 * only exported it did nothing and exited 0, so a CI gate written that way passed every check.
 * Imported (bin/outage.js, scripts, the API), it runs nothing. Last, so every constant above is set.
 */
if (isRunDirectly()) void main(process.argv);

function isRunDirectly(): boolean {
  const script = process.argv[1];
  const self = fileURLToPath(import.meta.url);
  if (script === undefined || basename(script) !== basename(self)) return false;
  try {
    return realpathSync(script) === realpathSync(self);
  } catch {
    return false;
  }
}
