/**
 * A JavaScript or TypeScript config reads its secrets from process.env itself, not through
 * `${VAR}`, so outage does not know them: what it says about such a config (the message of an
 * error it threw, a problem quoting a value it exported) hides the values of environment
 * variables whose names say they hold a credential.
 */
import { extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { createRedactor, namesCredential } from '../core/redact.js';

const CODE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts']);

export function isCode(file: string | undefined): boolean {
  return file !== undefined && CODE_EXTENSIONS.has(extname(file).toLowerCase());
}

/** Values of variables whose names say they hold a credential, hidden from `message` (`bad token ${token}`). */
export function redactEnvironmentCredentials(message: string): string {
  const values = Object.entries(process.env).flatMap(([name, value]) => (value && namesCredential(name) ? [value] : []));
  return createRedactor(values)(message);
}

/** A ConfigError about a code config, its problems' messages redacted; any other error as it was. */
export function redactedConfigError(error: unknown, file: string | undefined): unknown {
  if (!(error instanceof ConfigError) || !isCode(file)) return error;
  return new ConfigError(error.problems.map((p) => ({ ...p, message: redactEnvironmentCredentials(p.message) })), error.file, error.code);
}
