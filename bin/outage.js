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
  else import('../dist/cli.js').then((cli) => cli.main(process.argv));
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
