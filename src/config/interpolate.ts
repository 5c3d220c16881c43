/**
 * `${VAR}` substitution from the environment, applied to every string in the raw config before
 * validation. Every substituted value is remembered as a secret so no output can echo it.
 * `${VAR:-fallback}` uses the fallback when VAR is unset or empty; `$${` writes a literal `${`.
 */
import type { ConfigProblem } from '../errors.js';
import { formatPath, type KeyPath } from './path.js';

const REFERENCE = /\$(\$)\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolated {
  value: unknown;
  secrets: string[];
  problems: ConfigProblem[];
}

export function interpolateEnv(raw: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const secrets: string[] = [];
  const problems: ConfigProblem[] = [];

  const visit = (node: unknown, path: KeyPath): unknown => {
    if (typeof node === 'string') return substitute(node, path);
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[key] = visit(value, [...path, key]);
      return out;
    }
    return node;
  };

  const substitute = (text: string, path: KeyPath): string =>
    text.replace(REFERENCE, (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped) return '${';
      const value = env[name];
      if (value !== undefined && value !== '') {
        secrets.push(value);
        return value;
      }
      if (fallback !== undefined) return fallback;
      problems.push({
        path: formatPath(path),
        message: `environment variable ${name} is not set (use \${${name}:-default} for a fallback)`,
      });
      return '';
    });

  return { value: visit(raw, []), secrets, problems };
}
