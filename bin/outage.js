#!/usr/bin/env node
'use strict';
// The executable. `--version` and `--help` are answered here without loading the CLI (commander
// and the ESM loader cost ~30 ms): shell scripts call outage in loops, so start-up is a feature.
// Help texts are generated from the real program by `npm run build` (scripts/build-help.mjs).
const args = process.argv.slice(2);
/** Where the build puts the CLI (`npm run build`). */
const DIST = require('node:path').join(__dirname, '..', 'dist');

// getaddrinfo runs on libuv's thread pool, at most half of it at once (2 lookups with the default
// 4 threads): a config of many names would wait in line for the system resolver, and a resolver
// that drops AAAA would hold those few threads. Set before anything uses the pool (the ESM loader
// does). A larger value the user set wins; a smaller one — exported for the user's own Node
// programs, or left empty, which libuv's atoi() reads as 0 and runs as 1 thread — made one silent
// AAAA hold the only lookup thread for the whole budget, and every healthy name behind it unknown.
if (!(Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) >= 64)) process.env.UV_THREADPOOL_SIZE = '64';

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  const help = cachedHelp(args);
  if (help !== undefined) process.stdout.write(help);
  else startCli();
}

/**
 * The CLI is one bundled file, so starting opens only a few files; a limit too low even for that
 * ends with a clear message and exit 71 (EX_OSERR), never as "a bug in outage".
 */
async function startCli() {
  // Read while a file can still be opened: the message below may be written when none can.
  const limit = openFileLimit();
  try {
    await loadCli().main(process.argv);
  } catch (error) {
    const code = error && error.code;
    // A checkout not built yet (or while `npm run build` rebuilds it): say so, not Node's stack.
    const unbuilt = code === 'ENOENT' && typeof error.path === 'string' && error.path.startsWith(DIST);
    if (!unbuilt && !['EMFILE', 'ENFILE', 'ENOMEM'].includes(code)) throw error;
    const why = unbuilt
      ? `outage is not built: ${error.path} is missing. Run npm run build in ${require('node:path').dirname(DIST)} (npm install runs it)`
      : `too few open files (${code}${limit === undefined ? '' : `; ulimit -n is ${limit}`}). Raise the limit, e.g. ulimit -n 1024`;
    // A Nagios plugin answers on stdout with a plugin code (0-3), whatever went wrong.
    const nagios = args[0] === 'check' && args.some((a) => /^(--format=|-[qv]*f)?nagios$/.test(a));
    // With JSON asked for, stdout still gets its one document: the error (as src/cli.ts writes it).
    const json = !nagios && ['check', 'wait', 'list', 'catalog'].includes(args[0]) && args.some((a, i) => a === '--json' || /^(--format=|-[qv]*f)json$/.test(a) || (a === 'json' && /^(--format|-[qv]*f)$/.test(args[i - 1])));
    const exitCode = nagios ? 3 : unbuilt ? 70 : 71;
    if (nagios) process.stdout.write(`OUTAGE UNKNOWN - ${why}\n`);
    else process.stderr.write(`outage: ${why}\n`);
    const said = { code: unbuilt ? 'internal.not_built' : 'local.resources', message: why };
    if (json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, status: 'error', exitCode, error: said })}\n`);
    process.exitCode = exitCode;
  }
  await exitWhenWritten();
}

/**
 * The run is over once main returns (serve and watch return when they stop): exit as soon as
 * stdout and stderr have taken everything, rather than wait for Node to close every socket and
 * tear down the heap (~2 ms of every check, more after a large run). A pipe on some systems
 * takes writes asynchronously, so each stream is flushed first; one already closed is not waited for.
 */
async function exitWhenWritten() {
  const flushed = (stream) => new Promise((resolve) => (stream.destroyed || stream.writableEnded ? resolve() : stream.write('', () => resolve())));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
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

/**
 * The CLI is one bundled file (dist/cli.cjs). Compiling its ~1 MB took a third of a check's
 * start-up, so it is compiled with the V8 code cache the build wrote beside it
 * (scripts/code-cache.mjs); a cache from another Node or V8 is rejected by V8 itself and the file
 * is simply compiled. Such a script cannot import() on Node 20 (that needs an experimental flag),
 * so it is handed this module's import() for the files it loads at run time (.mjs and .ts configs).
 * What only some runs need (zod for a config file, htmlparser2 for `assets`, bcryptjs for serve's
 * basic auth) is bundled apart in dist/vendor/ and loaded the same way when the CLI first requires
 * it, with its own cache where the build wrote one (zod's).
 */
function loadCli() {
  const { dirname, join } = require('node:path');
  const { createRequire } = require('node:module');
  const file = join(DIST, 'cli.cjs');
  const requireFromDist = createRequire(file);
  const vendor = new Map();
  // With require's own cache and resolve: cosmiconfig's CommonJS loader (import-fresh) uses them.
  const requireInCli = Object.assign((id) => {
    if (!id.startsWith('./vendor/')) return requireFromDist(id);
    if (!vendor.has(id)) vendor.set(id, runCached(join(dirname(file), id), requireFromDist).exports);
    return vendor.get(id);
  }, requireFromDist);
  return runCached(file, requireInCli, (specifier) => import(specifier)).exports;
}

/** A CommonJS file of the build compiled with its code cache (`FILE.cache`), and run. */
function runCached(file, requireFn, importHook) {
  const { readFileSync, writeFileSync } = require('node:fs');
  const { dirname } = require('node:path');
  const { Script } = require('node:vm');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The build writes its bundles in ASCII only (scripts/bundle.mjs checks): read as latin1 they
  // are copied as is, where decoding ~1 MB as UTF-8 cost ~3 ms of every start.
  const source = `(function (exports, require, module, __filename, __dirname, __outageImportHook) {${readFileSync(file, 'latin1')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const cjs = { exports: {} };
  script.runInThisContext()(cjs.exports, requireFn, cjs, file, dirname(file), importHook);
  // The build runs a check with this set, so the cache holds the functions a check compiles.
  if (process.env.OUTAGE_WRITE_CODE_CACHE === cacheFile) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return cjs;
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
