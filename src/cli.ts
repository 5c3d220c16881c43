/**
 * The command line. Commands load their heavy modules (undici, ora, cosmiconfig, the probes) only
 * when they run, so `--help` and `--version` cost little more than starting Node. This is also the
 * one place errors become exit codes: an OutageError prints its message, anything else is a bug
 * and says so — neither prints a stack trace unless OUTAGE_DEBUG is set.
 */
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { ExitCode, OutageError } from './errors.js';
import { FORMAT_NAMES } from './report/format-names.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('outage')
    .description('Is it down? Check DNS, TCP, TLS and HTTP for many services at once, and say precisely what failed.')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('check')
    .description('probe services and report their health (exit 0 up, 1 degraded, 2 down, 3 unknown)')
    .argument('[targets...]', 'configured service names, or ad-hoc targets: https://…, http://…, host:port')
    .option('-c, --config <path>', 'config file to use instead of searching for one')
    .addOption(new Option('-f, --format <format>', 'output format on stdout').choices(FORMAT_NAMES))
    .option('--json', 'short for --format json')
    .option('--report <format=path>', 'also write a report to a file, repeatable: --report junit=report.xml', collect, [])
    .option('--no-emoji', 'no status emoji in markdown output')
    .addOption(new Option('--fail-on <status>', 'lowest status that makes the exit code non-zero').choices(['degraded', 'down', 'never']).default('degraded'))
    .option('--timeout <duration>', 'budget for each attempt of a service, e.g. 5s (overrides config)')
    .option('--retries <n>', 'extra attempts after a failure (overrides config)')
    .option('--concurrency <n>', 'services probed at once (overrides config)')
    .option('--resolver <address>', 'DNS server to use, repeatable: 1.1.1.1, 127.0.0.1:5353, [::1]:53', collect, [])
    .option('--tag <tag>', 'only services with this tag, repeatable', collect, [])
    .option('-q, --quiet', 'print only the summary line')
    .option('-v, --verbose', 'add per-phase timings, addresses and certificate chains')
    .option('--no-color', 'never color the output (NO_COLOR and FORCE_COLOR are honoured too)')
    .action(async (targets: string[], options) => {
      const { runCheckCommand } = await import('./commands/check.js');
      process.exitCode = await runCheckCommand(targets, options);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A closed pipe (`outage check | head`) is the reader's choice, not a failure worth a trace.
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    process.exitCode = ExitCode.usage;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; bad flags and arguments are usage errors.
    return error.exitCode === 0 ? 0 : ExitCode.usage;
  }
  if (error instanceof OutageError) {
    process.stderr.write(`outage: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`outage: internal error: ${message}\nThis is a bug in outage; please report it with the command you ran.\n`);
  if (process.env.OUTAGE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitCode.unknown;
}
