/**
 * `${VAR}` substitution from the environment, applied to every string in the raw config before
 * validation. Every substituted value is remembered as a secret so no output can echo it.
 * `${VAR:-fallback}` uses the fallback when VAR is unset or empty; `$${` writes a literal `${`.
 */
import type { ConfigProblem } from '../core/errors.js';
import { formatPath } from './path.js';

const REFERENCE = /\$(\$)\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * YAML aliases let a 575-byte file stand for billions of values (an alias bomb): the parser shares
 * them, but every walk over the document expands them. A real config, even 10,000 services, holds
 * a few hundred thousand values and nests a few levels; past these bounds the document is refused.
 */
export const MAX_CONFIG_VALUES = 1_000_000;
export const MAX_CONFIG_DEPTH = 64;

/**
 * `object[key] = value`, except that a `__proto__` key is defined as a key: assigned, it would set
 * the prototype, whose keys the schema then read as settings instead of refusing an unknown key.
 */
export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

class TooLarge extends Error {}

export interface Interpolated {
  /** Set (and `value` undefined) when the document is refused for its size: nothing else is checked. */
  tooLarge?: boolean;
  value: unknown;
  secrets: string[];
  /** Which variables each interpolated string was made from, by key path: messages name them, never their values. */
  origins: Map<string, Substitution[]>;
  problems: ConfigProblem[];
}

export interface Substitution {
  name: string;
  value: string;
}

export function interpolateEnv(raw: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const secrets: string[] = [];
  const origins = new Map<string, Substitution[]>();
  const problems: ConfigProblem[] = [];
  // One path stack for the whole walk: a 10,000-service config has ~100,000 strings, and the
  // path is only needed for the rare missing variable.
  const path: (string | number)[] = [];
  let values = 0;

  const visit = (node: unknown): unknown => {
    if (++values > MAX_CONFIG_VALUES) throw new TooLarge(`expands to more than ${MAX_CONFIG_VALUES.toLocaleString('en')} values (YAML aliases repeating each other?)`);
    if (path.length > MAX_CONFIG_DEPTH) throw new TooLarge(`nests deeper than ${MAX_CONFIG_DEPTH} levels at ${formatPath(path.slice(0, 6))}…`);
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
        setKey(out, key, visit(value));
        path.pop();
      }
      return out;
    }
    return node;
  };

  const substitute = (text: string): string => {
    // A `${` that makes no reference (`${TOKEN` with no `}`, `${A${B}}`) was sent as written: a
    // typo'd variable became the header. The string is left as it is and the problem said.
    const malformed = malformedReference(text);
    if (malformed !== undefined) {
      problems.push({ path: formatPath(path), message: malformed });
      return text;
    }
    return text.replace(REFERENCE, (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped) return '${';
      const value = env[name];
      if (value !== undefined && value !== '') {
        secrets.push(value);
        const at = formatPath(path);
        origins.set(at, [...(origins.get(at) ?? []), { name, value }]);
        return value;
      }
      if (fallback !== undefined) return fallback;
      // Set but empty (`TOKEN= outage …`, a secret file that was empty) is not "not set" to someone who set it.
      const state = value === '' ? 'is set but empty' : 'is not set';
      problems.push({
        path: formatPath(path),
        message: `environment variable ${name} ${state} (use \${${name}:-default} for a fallback)`,
      });
      return '';
    });
  };

  try {
    return { value: visit(raw), secrets, origins, problems };
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return { tooLarge: true, value: undefined, secrets, origins, problems: [{ path: '', message: `the document ${error.message}` }] };
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The first `${` in `text` that is neither `$${` nor a whole reference, said without quoting the
 * text around it (a header value written into the file may be a credential): only a name-like
 * word after it is quoted, which names a variable, never holds its value.
 */
function malformedReference(text: string): string | undefined {
  const stray = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}|\$\{/g;
  for (let match = stray.exec(text); match; match = stray.exec(text)) {
    const whole = match[0];
    if (whole === '$${' || whole.length > 2) continue;
    const word = /^[\p{L}\p{N}_.-]{1,64}/u.exec(text.slice(match.index + 2))?.[0];
    if (word !== undefined) {
      const next = text[match.index + 2 + word.length];
      if (next === '}' && !NAME.test(word)) return `"\${${word}}": "${word}" is not a variable name (A-Z, a-z, 0-9 and _, not first a digit)`;
      if (next === undefined || /\s/.test(next)) return `"\${${word}" has no closing "}" (write $\${ for a literal "\${")`;
    }
    return `"\${" at character ${match.index + 1} does not start a reference such as \${NAME} or \${NAME:-fallback} (variables cannot nest; write $\${ for a literal "\${")`;
  }
  return undefined;
}
