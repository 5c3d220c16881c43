/**
 * The built-in catalog (services.json): looking entries up by id, name or alias, and turning one
 * into a raw service config that the config schema validates like any other — so a catalog entry
 * and a hand-written service are checked by exactly the same code.
 */
import data from './services.json' with { type: 'json' };
import type { StatusKind } from '../core/vendor-status.js';

export interface CatalogEntry {
  id: string;
  name: string;
  aliases?: string[];
  /** Part of what a bare `outage check` checks. */
  default?: boolean;
  /** The user-facing URL: DNS, TCP, TLS and HTTP. */
  url: string;
  /** The API host, where one exists: checked with the other hosts. */
  api?: string;
  hosts?: string[];
  status?: { url: string; kind?: StatusKind };
  tags?: string[];
}

export const CATALOG: readonly CatalogEntry[] = (data as { entries: CatalogEntry[] }).entries;

const byKey = new Map<string, CatalogEntry>();
for (const entry of CATALOG) {
  for (const key of [entry.id, entry.name, ...(entry.aliases ?? [])]) byKey.set(key.toLowerCase(), entry);
}

export function findCatalogEntry(key: string): CatalogEntry | undefined {
  return byKey.get(key.trim().toLowerCase());
}

export function catalogKeys(): string[] {
  return CATALOG.map((e) => e.id);
}

export function defaultCatalogEntries(): CatalogEntry[] {
  return CATALOG.filter((e) => e.default);
}

/**
 * The raw service config of an entry. A vendor's front page that answers 4xx (a bot challenge, a
 * login wall) is still up, so only a server error or no answer counts against it.
 */
export function catalogService(entry: CatalogEntry): Record<string, unknown> {
  return {
    name: entry.name,
    catalog: entry.id,
    url: entry.url,
    tags: ['catalog', ...(entry.tags ?? [])],
    http: { expect: { status: '100-499' } },
    ...(entry.api || entry.hosts ? { hosts: [...(entry.api ? [entry.api] : []), ...(entry.hosts ?? [])] } : {}),
    ...(entry.status ? { status: entry.status } : {}),
  };
}

/**
 * A config item that names a catalog entry — `- slack`, or `{ catalog: slack, …overrides }` — as
 * the merged raw service; other items unchanged. Overrides replace the entry's keys, except that
 * `http` is merged key by key (override `http.expect` and keep the rest). Undefined: no such entry.
 */
export function expandCatalogItem(item: unknown): { value: unknown; unknown?: string } {
  if (typeof item === 'string') {
    const entry = findCatalogEntry(item);
    return entry ? { value: catalogService(entry) } : { value: item, unknown: item };
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { value: item };
  const overrides = item as Record<string, unknown>;
  if (typeof overrides.catalog !== 'string') return { value: item };
  const entry = findCatalogEntry(overrides.catalog);
  if (!entry) return { value: item, unknown: overrides.catalog };
  const base = catalogService(entry);
  const http = isObject(overrides.http) ? { ...(base.http as object), ...overrides.http } : (overrides.http ?? base.http);
  const merged: Record<string, unknown> = { ...base, ...overrides, http, catalog: entry.id };
  if (merged.status === false) delete merged.status;
  if (merged.tcp !== undefined) delete merged.url;
  return { value: merged };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
