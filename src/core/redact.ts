/**
 * The last line of defence for secrets: every byte outage writes passes through a redactor that
 * replaces known secret values (env-interpolated values, URL credentials, auth header values)
 * with `***`. Secrets never reach the report in the first place; this catches what slips through
 * error messages and echoes.
 */
export type Redact = (text: string) => string;

export function createRedactor(secrets: Iterable<string>): Redact {
  const values = [...new Set(secrets)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  const pattern = new RegExp(values.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, '***');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Header values that are credentials: never printed, never forwarded to another origin. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
