/**
 * Vantage points: other places running `outage serve`, asked about the same services so that a
 * report can say whose problem a failure is. From `vantages:` in the config or `--from URL`
 * (which replaces the config's list). Credentials in a vantage URL become its Authorization:
 * Basic header, a `token` (or OUTAGE_VANTAGE_TOKEN, for a vantage with no credentials of its own)
 * its Authorization: Bearer header; all are secrets, as any URL's are.
 */
import { isLoopbackHost } from '../core/domain.js';
import { UsageError } from '../core/errors.js';
import type { ConfigInput } from './schema.js';
import { BEARER_TOKEN } from './token-patterns.js';
import { parseUrlTarget, redactUserInfo } from './targets.js';

/** The bearer token for every vantage that has no credentials of its own: `--from` has no other way to carry one. */
export const VANTAGE_TOKEN_VARIABLE = 'OUTAGE_VANTAGE_TOKEN';

export interface VantageSpec {
  /** Shown in every output: the configured name, else the URL's host:port. */
  name: string;
  /** The exporter's base URL, without credentials (`https://eu.example.net:19115`). */
  url: string;
  authorization?: string;
  module?: string;
}

export function vantageSpecs(
  configured: ConfigInput['vantages'],
  flags: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = {},
): { vantages: VantageSpec[]; secrets: string[]; warnings: string[] } {
  const secrets: string[] = [];
  const warnings: string[] = [];
  const items: { url: string; name?: string; module?: string; token?: string }[] = flags && flags.length > 0 ? flags.map((url) => ({ url })) : (configured ?? []).map((v) => (typeof v === 'string' ? { url: v } : v));
  const shared = sharedToken(env, items.length > 0);
  if (shared) secrets.push(shared, `Bearer ${shared}`);
  const vantages = items.map((item): VantageSpec => {
    const parsed = parseUrlTarget(item.url);
    if (typeof parsed === 'string') throw new UsageError(`--from ${JSON.stringify(redactUserInfo(item.url))}: ${parsed}`, 'usage.bad_vantage');
    secrets.push(...parsed.secrets);
    if (item.token !== undefined) secrets.push(item.token, `Bearer ${item.token}`);
    const url = parsed.endpoint.url?.toString().replace(/\/+$/, '') ?? item.url;
    const name = item.name ?? parsed.endpoint.url?.host ?? url;
    const token = item.token ?? (parsed.authorization ? undefined : shared);
    const authorization = parsed.authorization ?? (token !== undefined ? `Bearer ${token}` : undefined);
    // curl sends them too; but a password read off the wire is worth a line on stderr (never the secret).
    if (authorization && parsed.endpoint.protocol === 'http' && !isLoopbackHost(parsed.endpoint.host)) {
      warnings.push(`vantage ${item.name ? `${name} (${url})` : name}: its credentials go in clear text over plain http to a host that is not loopback; use https:// (--web.config.file tls_server_config on that outage serve)`);
    }
    return { name, url, ...(authorization ? { authorization } : {}), ...(item.module ? { module: item.module } : {}) };
  });
  const names = vantages.map((v) => v.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i || n === 'here');
  if (twice) throw new UsageError(`vantage name ${JSON.stringify(twice)} is used twice (or is "here", which names this machine); give each a name`, 'usage.bad_vantage');
  return { vantages, secrets, warnings };
}

/** OUTAGE_VANTAGE_TOKEN, when set and some vantage may use it; a value no header can carry is a usage error that never shows it. */
function sharedToken(env: NodeJS.ProcessEnv, used: boolean): string | undefined {
  const value = env[VANTAGE_TOKEN_VARIABLE];
  if (!used || value === undefined || value === '') return undefined;
  if (!BEARER_TOKEN.test(value)) throw new UsageError(`${VANTAGE_TOKEN_VARIABLE}: a bearer token is 1-4096 printable ASCII characters without spaces (its value is not shown)`, 'usage.bad_vantage');
  return value;
}
