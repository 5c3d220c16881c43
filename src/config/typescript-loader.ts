/**
 * `outage.config.ts` and `.outagerc.ts` without shipping a compiler. Node ≥ 22.18 (and 23.6)
 * runs TypeScript itself by stripping the types, so the file is simply imported. On older Node
 * the file is compiled as cosmiconfig's TypeScript loader would (compileTypeScript), which needs
 * the `typescript` package (cosmiconfig's optional peer dependency) where outage is installed; without it the user is told what to
 * do instead of seeing a module-resolution error. Bundling typescript (~23 MB) for one config
 * format was not worth it.
 */
import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader } from 'cosmiconfig';
import { importCompiled } from './typescript-in-memory.js';

/** Errors of an `import()` that mean "this Node cannot run this TypeScript", not "the file is wrong". */
const NOT_RUNNABLE = new Set(['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING']);

export class TypeScriptUnavailable extends Error {
  override name = 'TypeScriptUnavailable';
  /** `extension`: a .mts or .cts config, which only Node itself runs (cosmiconfig compiles .ts alone). */
  constructor(extension?: string) {
    super(
      extension
        ? `this Node (${process.version}) cannot run a ${extension} config: use Node 22.18 or later, or write the config as .ts, .mjs, .js, .json or .yaml`
        : `this Node (${process.version}) cannot run a TypeScript config: use Node 22.18 or later, ` +
            'install the typescript package next to outage, or write the config as .mjs, .js, .json or .yaml',
    );
  }
}

/** The fallback for .mts and .cts where Node cannot run them: what to do instead. */
export function nodeOnly(extension: string): Loader {
  return async () => {
    throw new TypeScriptUnavailable(extension);
  };
}

export function typescriptLoader(fallback: Loader): Loader {
  return async (filepath, content) => {
    let native: unknown;
    try {
      return ((await import(pathToFileURL(filepath).href)) as { default?: unknown }).default;
    } catch (error) {
      if (!NOT_RUNNABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      native = error;
    }
    try {
      await rejectSyntaxErrors(filepath, content);
      return await fallback(filepath, content);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /'typescript'/.test(String((error as Error).message));
      if (!missing) throw error;
      // Node could read TypeScript but not this file (an enum, say): its words are the useful ones.
      if ((native as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw native;
      throw new TypeScriptUnavailable();
    }
  };
}

/**
 * cosmiconfig's loader transpiles without looking at errors, and TypeScript's transpiler repairs
 * what it cannot parse: `export default { services: [` became a valid config of no services, so a
 * broken config passed `validate` and a check of it ran nothing and exited 0. Its syntax errors
 * are asked for first, and the first one is the config's error, with its line and column.
 */
async function rejectSyntaxErrors(filepath: string, content: string): Promise<void> {
  let ts: typeof import('typescript');
  try {
    ts = ((await import('typescript')) as { default: typeof import('typescript') }).default;
  } catch {
    return; // No compiler here: the fallback says what to do.
  }
  const { diagnostics = [] } = ts.transpileModule(content, {
    fileName: filepath,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  const first = diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (!first) return;
  const at = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
  throw new SyntaxError(`${ts.flattenDiagnosticMessageText(first.messageText, ' ')}${at ? ` (line ${at.line + 1}, column ${at.character + 1})` : ''}`);
}

/**
 * cosmiconfig's TypeScript loader, but the compiled module is only imported. cosmiconfig's then
 * tries `require()` too, and on Node 20.19+ a module JavaScript rejects that TypeScript parsed
 * (`let a` declared twice, a top-level `return`) read "not yet fully loaded … a bug in Node.js",
 * naming a temporary file. The compiled file sits beside the config so its relative imports and
 * packages resolve as the config's own would; where the directory cannot be written (a read-only
 * mount, a ConfigMap) the compiled text is handed to Node in memory instead (typescript-in-memory.ts).
 * `export = config` (TypeScript's CommonJS export) is compiled as CommonJS: as an ES module it
 * compiled to nothing, and the config read as an empty file.
 */
export const compileTypeScript: Loader = async (filepath, content) => {
  const ts = ((await import('typescript')) as { default: typeof import('typescript') }).default;
  const tsconfig = ts.findConfigFile(dirname(filepath), (name) => ts.sys.fileExists(name));
  let options: import('typescript').CompilerOptions = {};
  if (tsconfig !== undefined) {
    const { config, error } = ts.readConfigFile(tsconfig, (name) => ts.sys.readFile(name));
    if (error) throw new Error(`Error in ${tsconfig}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
    options = (config as { compilerOptions?: import('typescript').CompilerOptions } | undefined)?.compilerOptions ?? {};
  }
  const source = ts.createSourceFile(filepath, content, ts.ScriptTarget.ES2022);
  const commonJs = source.statements.some((statement) => ts.isExportAssignment(statement) && statement.isExportEquals);
  const module = commonJs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ES2022;
  const compilerOptions = { ...options, module, moduleResolution: commonJs ? ts.ModuleResolutionKind.Node10 : ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: false };
  const compiledText = ts.transpileModule(content, { compilerOptions }).outputText;
  // node:crypto at first use: a YAML or JavaScript config does not pay for loading it.
  const compiled = `${filepath}.${process.getBuiltinModule('node:crypto').randomUUID()}.${commonJs ? 'cjs' : 'mjs'}`;
  let written = false;
  try {
    try {
      await writeFile(compiled, compiledText, { flag: 'wx' });
      written = true;
    } catch (error) {
      if (!UNWRITABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      return await importCompiled(filepath, compiledText, commonJs ? 'commonjs' : 'module');
    }
    return ((await import(pathToFileURL(compiled).href)) as { default?: unknown }).default;
  } catch (error) {
    if (error instanceof Error) error.message = error.message.replaceAll(compiled, filepath);
    throw error;
  } finally {
    if (written) await rm(compiled, { force: true });
  }
};

/** Why a compiled file cannot be written beside the config: its directory is not ours to write. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
