/**
 * `${VAR}` substitution from the environment, applied to every string in the raw config before
 * validation. Every substituted value is remembered as a secret so no output can echo it.
 * `${VAR:-fallback}` uses the fallback when VAR is unset or empty; `$${` writes a literal `${`.
 */
import type { ConfigProblem } from '../core/errors.js';
import { formatPath } from './path.js';

const REFERENCE = /\$(\$)\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolated {
  value: unknown;
  secrets: string[];
  problems: ConfigProblem[];
}

export function interpolateEnv(raw: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const secrets: string[] = [];
  const problems: ConfigProblem[] = [];
  // One path stack for the whole walk: a 10,000-service config has ~100,000 strings, and the
  // path is only needed for the rare missing variable.
  const path: (string | number)[] = [];

  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return node.includes('$') ? substitute(node) : node;
    if (Array.isArray(node)) {
      return node.map((item, i) => {
        path.push(i);
        const out = visit(item);
        path.pop();
        return out;
      });
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        path.push(key);
        out[key] = visit(value);
        path.pop();
      }
      return out;
    }
    return node;
  };

  const substitute = (text: string): string =>
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

  return { value: visit(raw), secrets, problems };
}
