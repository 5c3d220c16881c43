/**
 * cosmiconfig set up to read outage's config files. Loaded (by load.ts) only when there is a file
 * to read: with its loaders and their YAML and JSON parsers it costs a start-up ~6 ms, which a
 * run with no config file does not pay.
 */
import { pathToFileURL } from 'node:url';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { SEARCH_PLACES } from './find.js';
import { typescriptLoader } from './typescript-loader.js';

export { defaultLoaders };

/**
 * An ES module config, imported; its error is Node's own. cosmiconfig's loader then tries
 * `require()` as well, and on Node 20.19+ a module whose import failed (a syntax error) is
 * reported as "not yet fully loaded … a bug in Node.js": a user's typo must read as one.
 */
const importConfig: Loader = async (filepath) => ((await import(pathToFileURL(filepath).href)) as { default?: unknown }).default;

/** The loader for each extension, as outage reads config files with cosmiconfig or without it. */
export const LOADERS: Readonly<Record<string, Loader>> = {
  ...defaultLoaders,
  '.mjs': importConfig,
  '.js': importConfig,
  '.ts': typescriptLoader(defaultLoaders['.ts']),
};

export function configExplorer() {
  return cosmiconfig('outage', {
    searchPlaces: SEARCH_PLACES,
    loaders: { '.mjs': importConfig, '.js': importConfig, '.ts': LOADERS['.ts'] as Loader },
    searchStrategy: 'project',
    // An empty config file someone created is a mistake to report, not a place to skip.
    ignoreEmptySearchPlaces: false,
    cache: false,
  });
}
