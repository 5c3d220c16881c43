/**
 * Start-up under a low open-file limit. Node's ESM loader reads a module's whole import graph at
 * once — zod alone opens about a hundred files together — so with `ulimit -n` below ~130 outage
 * could not even load (EMFILE, or "Cannot find package" when the failed read was a package.json).
 * bin/outage.js calls this first when few files are free: the graph is walked here, file by file,
 * and its modules imported one at a time, dependencies first, so that each import reads one file.
 *
 * Best effort: a specifier this cannot resolve (a package's `#imports`, a computed `import()`) is
 * left to the loader, which then loads only that part at once. It imports nothing but Node's own
 * modules, so loading it costs one file.
 */
import { readFileSync } from 'node:fs';

/** Static `import … from`, `export … from` and bare `import '…'` starting a line, and literal `import('…')`. */
const SPECIFIERS = [/^[ \t]*(?:import|export)\s*(?:[^"'();=]*?\bfrom\s*)?["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
/**
 * Comments are dropped first: an import quoted in one (zod documents `import "zod/compile"`, a
 * module that changes zod when it runs) must never be imported. Dropping too much only leaves
 * more to the loader.
 */
const COMMENTS = /\/\*[\s\S]*?\*\/|(^|\s)\/\/.*$/gm;

export async function preload(entry: string): Promise<void> {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    let source: string;
    try {
      source = readFileSync(new URL(url), 'utf8');
    } catch {
      return;
    }
    for (const specifier of specifiersIn(source)) {
      const dependency = resolve(specifier, url);
      if (dependency) visit(dependency);
    }
    order.push(url);
  };
  visit(entry);
  // Dependencies first: each import finds everything it imports already loaded.
  for (const url of order) await import(url);
}

function specifiersIn(source: string): string[] {
  const code = source.replace(COMMENTS, '$1');
  return SPECIFIERS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] as string));
}

/** A file: URL of an ES module, or undefined (a builtin, CommonJS loaded by require, JSON, unresolvable). */
function resolve(specifier: string, parent: string): string | undefined {
  let url: string;
  try {
    // Bare specifiers resolve from here, as from anywhere in outage's own tree (npm installs flat).
    url = specifier.startsWith('.') || specifier.startsWith('/') ? new URL(specifier, parent).href : import.meta.resolve(specifier);
  } catch {
    return undefined;
  }
  return url.startsWith('file:') && /\.m?js$/.test(url) ? url : undefined;
}
