/**
 * A JavaScript or TypeScript config reads its secrets from process.env itself, not through
 * `${VAR}`, so outage does not know them: what it says about such a config (the message of an
 * error it threw, a problem quoting a value it exported) hides the values of environment
 * variables whose names say they hold a credential.
 */
import { extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { percentDecode } from '../core/percent-decode.js';
import { createRedactor } from '../core/redact.js';

const CODE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts']);

export function isCode(file: string | undefined): boolean {
  return file !== undefined && CODE_EXTENSIONS.has(extname(file).toLowerCase());
}

/**
 * Whether an environment variable's name says it holds a credential: it contains PASSWORD, SECRET,
 * TOKEN, PASSPHRASE, CREDENTIAL or APIKEY (PGPASSWORD, GITHUB_TOKEN), has a word PASS, PWD, AUTH or
 * PAT (MYSQL_PWD, REDISCLI_AUTH), or ends in KEY (API_KEY, STRIPE_KEY). Stricter than a header's
 * name (core/redact.ts): a desktop session sets XDG_SESSION_CLASS=user, SSH_AUTH_SOCK and
 * GIT_AUTHOR_NAME, whose values, hidden, would turn ordinary words of a message into `***`.
 */
const CREDENTIAL_PARTS = /password|passwd|secret|token|passphrase|credential|api_?key/;
const CREDENTIAL_WORDS = new Set(['pass', 'pwd', 'auth', 'pat']);
const NOT_CREDENTIALS = new Set(['pwd', 'oldpwd', 'ssh_auth_sock']);
function namesEnvironmentCredential(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_CREDENTIALS.has(lower)) return false;
  const words = nameWords(name);
  return CREDENTIAL_PARTS.test(lower) || words.some((word) => CREDENTIAL_WORDS.has(word)) || words.at(-1) === 'key';
}

/** `MYSQL_PWD` → ['mysql', 'pwd']: a variable's name in words, split at `_`, `-` and `.`. */
function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[_.-]+/);
}

/** A value no credential has: a switch (`AUTH_ENABLED=true`). */
const SWITCH = /^(true|false|yes|no|on|off|none|null)$/i;
/** A setting beside a credential, not one (`TOKEN_TTL=300`): a small number there is no secret. */
const SETTING_WORDS = new Set(['ttl', 'timeout', 'expiry', 'expires', 'lifetime', 'length', 'len', 'size', 'port', 'retries', 'count', 'max', 'min', 'version', 'enabled', 'required']);
/** Whether `value` of credential-named `name` is a switch, or a small number a setting holds: a PIN (`DB_PASSWORD=482913`) is hidden. */
function notASecret(name: string, value: string): boolean {
  const v = value.trim();
  if (SWITCH.test(v)) return true;
  return /^\d{1,6}$/.test(v) && SETTING_WORDS.has(nameWords(name).at(-1) ?? '');
}

/** Values of variables whose names say they hold a credential, hidden from `message` (`bad token ${token}`). */
export function redactEnvironmentCredentials(message: string, env: NodeJS.ProcessEnv = process.env): string {
  const values = Object.entries(env).flatMap(([name, value]) => (value && namesEnvironmentCredential(name) && !notASecret(name, value) ? [value] : []));
  return createRedactor([...values, ...urlPasswords(env)])(message);
}

/** The passwords of URLs in the environment, whatever the name (DATABASE_URL=postgres://app:pw@db/app). */
function urlPasswords(env: NodeJS.ProcessEnv): string[] {
  return Object.values(env).flatMap((value) => {
    const userInfo = value && /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(value)?.[1];
    const colon = userInfo ? userInfo.indexOf(':') : -1;
    return userInfo && colon >= 0 ? [userInfo, userInfo.slice(colon + 1), percentDecode(userInfo.slice(colon + 1))] : [];
  });
}

/** A ConfigError about a code config, its problems' messages redacted; any other error as it was. */
export function redactedConfigError(error: unknown, file: string | undefined): unknown {
  if (!(error instanceof ConfigError) || !isCode(file)) return error;
  return new ConfigError(error.problems.map((p) => ({ ...p, message: redactEnvironmentCredentials(p.message) })), error.file, error.code);
}
