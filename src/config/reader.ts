/**
 * cosmiconfig set up to read outage's config files. Loaded (by load.ts) only when there is a file
 * to read: with its loaders and their YAML and JSON parsers it costs a start-up ~6 ms, which a
 * run with no config file does not pay.
 */
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import { SEARCH_PLACES } from './find.js';
import { typescriptLoader } from './typescript-loader.js';

export { defaultLoaders, typescriptLoader };

export function configExplorer() {
  return cosmiconfig('outage', {
    searchPlaces: SEARCH_PLACES,
    loaders: { '.ts': typescriptLoader(defaultLoaders['.ts']) },
    searchStrategy: 'project',
    // An empty config file someone created is a mistake to report, not a place to skip.
    ignoreEmptySearchPlaces: false,
    cache: false,
  });
}
