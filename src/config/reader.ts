/**
 * cosmiconfig set up to read outage's config files. Loaded (by load.ts) only when there is a file
 * to read: with its loaders and their YAML and JSON parsers it costs a start-up ~6 ms, which a
 * run with no config file does not pay.
 */
import { pathToFileURL } from 'node:url';
import { cosmiconfig, defaultLoaders as cosmiconfigLoaders, type Loader, type PublicExplorer } from 'cosmiconfig';
import * as cosmiconfigExplorer from 'cosmiconfig/dist/Explorer.js';
import { readFileSync } from 'node:fs';
import { checkUtf8, withoutByteOrderMark } from './config-text.js';
import { checkImports } from './imports.js';
import { SEARCH_PLACES } from './find.js';
import { STDIN_NAME } from './service.js';
import { compileTypeScript, nodeOnly, typescriptLoader } from './typescript-loader.js';
import { guardedLoad } from './load-bounds.js';

/**
 * cosmiconfig reads a file as UTF-8 whatever it holds: a byte that is not UTF-8 becomes U+FFFD,
 * and then the file is read again as bytes to say where (config-text.ts). A leading byte order
 * mark is dropped for JSON as for YAML.
 */
function textLoader(load: Loader): Loader {
  return (filepath, content) => {
    if (content.includes('\uFFFD') && filepath !== STDIN_NAME) checkUtf8(readFileSync(filepath), content, filepath);
    const loaded = load(filepath, withoutByteOrderMark(content));
    checkImports(filepath, loaded);
    return loaded;
  };
}

const TEXT_LOADERS = {
  '.json': textLoader(cosmiconfigLoaders['.json']),
  '.yaml': textLoader(cosmiconfigLoaders['.yaml']),
  '.yml': textLoader(cosmiconfigLoaders['.yml']),
  noExt: textLoader(cosmiconfigLoaders.noExt),
};

/** cosmiconfig's loaders for data files, with the checks above. */
export const defaultLoaders = { ...cosmiconfigLoaders, ...TEXT_LOADERS };

/**
 * An ES module config, imported; its error is Node's own. cosmiconfig's loader then tries
 * `require()` as well, and on Node 20.19+ a module whose import failed (a syntax error) is
 * reported as "not yet fully loaded … a bug in Node.js": a user's typo must read as one. A
 * CommonJS config is imported too: the fallback ran a config that threw a second time (a token
 * fetched twice, a line logged twice).
 */
const importConfig: Loader = async (filepath) => ((await import(pathToFileURL(filepath).href)) as { default?: unknown }).default;

/**
 * A config's code may throw anything (`throw "no token"`); cosmiconfig then sets `filepath` on it,
 * which on a string is itself a TypeError ("Cannot create property 'filepath' on string …") that
 * hid the config's own words and which file said them. What is not an Error, or is one that
 * cannot take a property, becomes a new Error with its message.
 */
function throwingErrors(load: Loader): Loader {
  return async (filepath, content) => {
    try {
      // Within bounds: it must settle in time, may not exit, and prints to stderr (load-bounds.ts).
      const loaded = await guardedLoad(filepath, async () => load(filepath, content));
      checkImports(filepath, loaded);
      return loaded;
    } catch (thrown) {
      // A frozen Error (`throw Object.freeze(new Error(…))`) cannot take `filepath` either.
      if (thrown instanceof Error && Object.isExtensible(thrown)) throw thrown;
      const message = typeof thrown === 'object' && thrown !== null && typeof (thrown as { message?: unknown }).message === 'string' ? (thrown as { message: string }).message : String(thrown);
      throw new Error(message);
    }
  };
}

const CODE_LOADERS = {
  '.mjs': throwingErrors(importConfig),
  '.js': throwingErrors(importConfig),
  '.cjs': throwingErrors(importConfig),
  '.ts': throwingErrors(typescriptLoader(compileTypeScript)),
  '.mts': throwingErrors(typescriptLoader(nodeOnly('.mts'))),
  '.cts': throwingErrors(typescriptLoader(nodeOnly('.cts'))),
};

/** The loader for each extension, as outage reads config files with cosmiconfig or without it. */
export const LOADERS: Readonly<Record<string, Loader>> = { ...defaultLoaders, ...CODE_LOADERS };

const EXPLORER_OPTIONS = {
  searchPlaces: SEARCH_PLACES,
  loaders: { ...TEXT_LOADERS, ...CODE_LOADERS },
  searchStrategy: 'project',
  // An empty config file someone created is a mistake to report, not a place to skip.
  ignoreEmptySearchPlaces: false,
  cache: false,
} as const;

/**
 * cosmiconfig's explorer for outage's files. `cosmiconfig()` first searches the working directory
 * for its own meta config, with its own JSON parser, which fails on a package.json starting with a
 * byte order mark (as Windows editors save it) that npm and Node read: no config could be read at
 * all in such a project. Where no meta config can apply (find.ts says so), the explorer is built
 * with the options `cosmiconfig()` would have settled on, without that search.
 */
export function configExplorer({ metaConfig }: { metaConfig: boolean }): PublicExplorer {
  if (metaConfig) return cosmiconfig('outage', EXPLORER_OPTIONS);
  return new Explorer({
    ...EXPLORER_OPTIONS,
    moduleName: 'outage',
    // cosmiconfig() adds its default loaders under the given ones: LOADERS is that.
    loaders: LOADERS,
    transform: (result: unknown) => result,
    metaConfigFilePath: null,
    mergeImportArrays: true,
    mergeSearchPlaces: true,
  });
}

/** cosmiconfig's Explorer class, which its types keep internal (test/config/find.test.ts reads a config through it). */
const { Explorer } = cosmiconfigExplorer as unknown as { Explorer: new (options: object) => PublicExplorer };
