#!/usr/bin/env node
'use strict';
// The executable. `--version` and `--help` are answered here without loading the CLI (commander
// and the ESM loader cost ~30 ms): shell scripts call outage in loops, so start-up is a feature.
// Help texts are generated from the real program by `npm run build` (scripts/build-help.mjs).
const args = process.argv.slice(2);

// getaddrinfo runs on libuv's thread pool, at most half of it at once (2 lookups with the default
// 4 threads): a config of many names would wait in line for the system resolver, and a resolver
// that drops AAAA would hold those few threads. Set before anything uses the pool (the ESM loader
// does); a value the user set wins.
process.env.UV_THREADPOOL_SIZE ??= '64';

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  const help = cachedHelp(args);
  if (help !== undefined) process.stdout.write(help);
  else startCli();
}

/**
 * Node's ESM loader reads a module's whole import graph at once (zod alone is about a hundred
 * files), so under a low `ulimit -n` loading itself would fail. With few files free, the graph is
 * first imported one module at a time (dist/commands/preload.js). A limit too low even for that
 * ends with a clear message and exit 71 (EX_OSERR), never as "a bug in outage".
 */
async function startCli() {
  // Read while a file can still be opened: the message below may be written when none can.
  const limit = openFileLimit();
  try {
    if (filesFree(limit) < 256) await (await import('../dist/commands/preload.js')).preload(require('node:url').pathToFileURL(require.resolve('../dist/cli.js')).href);
    const cli = await import('../dist/cli.js');
    await cli.main(process.argv);
  } catch (error) {
    if (!['EMFILE', 'ENFILE', 'ENOMEM'].includes(error && error.code)) throw error;
    const why = `too few open files to start (${error.code}${limit === undefined ? '' : `; ulimit -n is ${limit}`}). Raise the limit, e.g. ulimit -n 1024`;
    // A Nagios plugin answers on stdout with a plugin code (0-3), whatever went wrong.
    const nagios = args[0] === 'check' && args.some((a) => /^(--format=|-[qv]*f)?nagios$/.test(a));
    if (nagios) process.stdout.write(`OUTAGE UNKNOWN - ${why}\n`);
    else process.stderr.write(`outage: ${why}\n`);
    process.exitCode = nagios ? 3 : 71;
  }
}

/** The soft open-file limit (Linux: /proc/self/limits); undefined where it cannot be read. */
function openFileLimit() {
  try {
    const row = /^Max open files\s+(\d+)/m.exec(require('node:fs').readFileSync('/proc/self/limits', 'utf8'));
    return row ? Number(row[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Files this process may still open under `limit`; Infinity where that cannot be known. */
function filesFree(limit) {
  if (limit === undefined) return Infinity;
  try {
    return limit - (require('node:fs').readdirSync('/proc/self/fd').length - 1);
  } catch {
    return 0;
  }
}

/** `outage --help`, `-h`, `help`, `help CMD`, `CMD --help`, `CMD -h`; anything else goes to the CLI. */
function cachedHelp(argv) {
  const isHelp = (a) => a === '--help' || a === '-h';
  let command;
  if (argv.length === 1 && (isHelp(argv[0]) || argv[0] === 'help')) command = '';
  else if (argv.length === 2 && argv[0] === 'help') command = argv[1];
  else if (argv.length === 2 && isHelp(argv[1]) && !argv[0].startsWith('-')) command = argv[0];
  else return undefined;
  try {
    return require('../dist/help.json')[command];
  } catch {
    return undefined;
  }
}
