// Bundles outage with esbuild (README "Performance"). Start-up is a feature: deploy scripts call
// outage in loops, and resolving ~100 ES modules, then compiling them, cost more than the check.
//  - dist/cli.cjs: the whole CLI in one CommonJS file, which bin/outage.js compiles with V8's code
//    cache (dist/cli.cjs.cache, written by scripts/code-cache.mjs). Commands and renderers stay
//    lazy: esbuild turns each `import()` into an initialiser that runs only when it is called.
//  - dist/vendor/*.cjs: zod, htmlparser2 and bcryptjs, which the CLI requires on first use (a
//    config file, an `assets` check, serve's basic auth); bin/outage.js compiles zod with its own
//    cache. In cli.cjs each cost every start (zod ~4 ms, the other two ~0.6 ms).
//  - dist/index.js and dist/config/typescript-loader.js: the ES module API (package `exports`),
//    with shared chunks; dist/cli.js too, for whoever imports the CLI as a module.
// Types come from tsc (--emitDeclarationOnly). New commands need nothing here: everything
// reachable from src/cli.ts is bundled.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/** zod exports every locale (~250 KB) as `z.locales`; outage uses none but English, its default. */
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer.replace(/[^\\/]+[\\/][^\\/]+$/, 'locales/en.js'), namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: '/' }));
  },
};

/** commander loads child_process (and with it dgram, ~10 ms) for executable subcommands, which outage has none of. */
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) throw new Error('bundle: commander no longer loads child_process as expected');
      return { contents: text.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

/**
 * chalk detects the terminal's colors when it loads (supports-color reads the environment and
 * loads node:tty and node:os, ~1 ms) for its default instance. outage never uses that instance:
 * report/colors.ts decides the level and gives it to every Chalk it makes.
 */
const noColorDetection = {
  name: 'chalk-no-color-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) => (/[\\/]chalk[\\/]/.test(args.importer) ? { path: 'supports-color', namespace: 'no-detection' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-detection' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

const common = {
  plugins: [englishOnly, lazyChildProcess, noColorDetection],
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  // No keepNames: it wraps every function and class in __name(fn, 'name') where it is *created*,
  // so each closure made per connection paid a defineProperty (~46 ms of 1000 HTTPS services).
  // Identifiers are minified only in what every start compiles (`startUp` below).
  legalComments: 'linked',
  // cosmiconfig's TypeScript loader needs typescript only where the user installed it (optional peer).
  external: ['typescript'],
  logLevel: 'warning',
};

/**
 * For the files bin/outage.js compiles at every start (dist/cli.cjs and dist/vendor/), identifiers
 * are minified too: the CLI's source went from ~700 KB to ~480 KB and its code cache from ~585 KB
 * to ~545 KB, and reading, hashing and deserialising them cost a check of one https URL ~1.9 ms
 * (72.7 against 74.6 ms, medians of 60, A/B). Nothing in outage reads a function's or class's
 * name (errors are told apart by `instanceof` and codes). The price is an `OUTAGE_DEBUG` stack
 * with short names; the ESM build (`node dist/cli.js`, the API) keeps the source's names for that.
 */
const startUp = { minifyIdentifiers: true };

/**
 * Packages only some runs need, each bundled on its own in dist/vendor/ and required on first use:
 * in dist/cli.cjs every start reads them, and the code cache holds their top-level functions.
 *  - zod (~60% of the CLI bundle before): a config file or a catalog name (~4 ms of a check of one URL).
 *  - htmlparser2 with its entity tables (~180 KB): only a check with `assets` reads HTML.
 *  - bcryptjs: only `outage serve` with basic auth compares passwords.
 * Together htmlparser2 and bcryptjs cost a check of one https URL ~0.6 ms (medians of 60, A/B).
 */
const APART = {
  zod: "export * from 'zod';",
  htmlparser2: "export * from 'htmlparser2';",
  // bcryptjs by its CommonJS build: outage's ESM import of its default takes module.exports whole (Node's rule).
  bcryptjs: "module.exports = require('bcryptjs');",
};
const packagesApart = {
  name: 'packages-apart',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(APART).join('|')})$`) }, (args) => ({ path: `./vendor/${args.path}.cjs`, external: true }));
  },
};
const vendor = [];
for (const [name, contents] of Object.entries(APART)) {
  const bundled = await build({ ...common, ...startUp, stdin: { contents, resolveDir: process.cwd() }, outfile: `dist/vendor/${name}.cjs`, format: 'cjs', write: false });
  vendor.push(...bundled.outputFiles);
}

const cli = await build({
  ...common,
  ...startUp,
  plugins: [...common.plugins, packagesApart],
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  write: false,
  // The one use of import.meta (finding package.json) works from the bundle's own path.
  define: { 'import.meta.url': '__outageModuleUrl' },
  banner: {
    js: [
      "'use strict';",
      "const __outageModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      // A script compiled with a code cache cannot import() on Node 20 without an experimental
      // flag: bin/outage.js hands in its own import() (config files: .mjs, .ts; typescript).
      "const __outageImport = typeof __outageImportHook === 'function' ? __outageImportHook : (specifier) => import(specifier);",
    ].join(''),
  },
});
for (const file of cli.outputFiles) {
  let text = file.text;
  if (file.path.endsWith('.cjs')) {
    const [banner, body] = [text.slice(0, text.indexOf('\n') + 1), text.slice(text.indexOf('\n') + 1)];
    const rewritten = body.replace(/(?<![\w$.])import\(/g, '__outageImport(');
    if (/(?<![\w$.])import\(/.test(rewritten) || rewritten === body) throw new Error('bundle: dynamic import() not rewritten');
    text = banner + rewritten;
    checkAscii(file.path, text);
  }
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, text);
}
for (const file of vendor) {
  checkAscii(file.path, file.text);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text);
}

/** bin/outage.js reads the CommonJS bundles as latin1, only right for ASCII (esbuild's charset escapes the rest). */
function checkAscii(path, text) {
  // A character past ASCII takes more than one byte in UTF-8.
  if (Buffer.byteLength(text, 'utf8') !== text.length) throw new Error(`bundle: ${path} must be ASCII (bin/outage.js reads it as latin1)`);
}

await build({
  ...common,
  entryPoints: ['src/cli.ts', 'src/index.ts', 'src/config/typescript-loader.ts'],
  outbase: 'src',
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (cosmiconfig and its loaders) call require().
  banner: { js: "import { createRequire as __outageRequire } from 'node:module'; const require = __outageRequire(import.meta.url);" },
});
