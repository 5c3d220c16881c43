/**
 * Vantage points: other places running `outage serve`, asked about the same services so that a
 * report can say whose problem a failure is. From `vantages:` in the config or `--from URL`
 * (which replaces the config's list). Credentials in a vantage URL become its Authorization
 * header and are secrets, as any URL's are.
 */
import { UsageError } from '../core/errors.js';
import type { ConfigInput } from './schema.js';
import { parseUrlTarget, redactUserInfo } from './targets.js';

export interface VantageSpec {
  /** Shown in every output: the configured name, else the URL's host:port. */
  name: string;
  /** The exporter's base URL, without credentials (`https://eu.example.net:19115`). */
  url: string;
  authorization?: string;
  module?: string;
}

export function vantageSpecs(configured: ConfigInput['vantages'], flags: readonly string[] | undefined): { vantages: VantageSpec[]; secrets: string[] } {
  const secrets: string[] = [];
  const items: { url: string; name?: string; module?: string }[] = flags && flags.length > 0 ? flags.map((url) => ({ url })) : (configured ?? []).map((v) => (typeof v === 'string' ? { url: v } : v));
  const vantages = items.map((item): VantageSpec => {
    const parsed = parseUrlTarget(item.url);
    if (typeof parsed === 'string') throw new UsageError(`--from ${JSON.stringify(redactUserInfo(item.url))}: ${parsed}`, 'usage.bad_vantage');
    secrets.push(...parsed.secrets);
    const url = parsed.endpoint.url?.toString().replace(/\/+$/, '') ?? item.url;
    const name = item.name ?? parsed.endpoint.url?.host ?? url;
    return { name, url, ...(parsed.authorization ? { authorization: parsed.authorization } : {}), ...(item.module ? { module: item.module } : {}) };
  });
  const names = vantages.map((v) => v.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i || n === 'here');
  if (twice) throw new UsageError(`vantage name ${JSON.stringify(twice)} is used twice (or is "here", which names this machine); give each a name`, 'usage.bad_vantage');
  return { vantages, secrets };
}
