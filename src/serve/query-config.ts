/**
 * The part of the config one /probe query needs. The whole config is validated once, before the
 * port opens; a query then loads only `defaults`, `modules` and the services it may name. Loading
 * the whole document for each new target cost ~15 ms of the event loop with 300 services, and read
 * every service's files (`tls.ca`, …) again, so one that became unreadable broke the scrapes of
 * every other target with a 400.
 */
import { loadServices } from '../config/pipeline.js';
import { closest } from '../core/suggest.js';

type Document = Record<string, unknown>;

/** The configured services' names, lower case, as `service=` may name them (after `${VAR}`). */
export function configuredNames(raw: unknown, options: { env: NodeJS.ProcessEnv; file: string | undefined }): string[] {
  return loadServices(raw, { ...options, canaries: false }).config.services.map((s) => s.name);
}

/**
 * The config with only the services a query for `name` can select: those named so (without case,
 * as targets are matched) and any whose name is interpolated, which only loading can tell.
 * Canaries and vantages play no part in a probe.
 */
export function configFor(raw: unknown, name: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { services, canaries: _canaries, vantages: _vantages, ...rest } = raw as Document;
  if (!Array.isArray(services)) return rest;
  const wanted = name.toLowerCase();
  const named = (item: unknown) => {
    const itemName = (item as { name?: unknown } | null)?.name;
    return typeof itemName !== 'string' || itemName.includes('${') || itemName.toLowerCase() === wanted;
  };
  return { ...rest, services: services.filter(named) };
}

/** Why `service=<name>` names nothing to probe, or undefined when it names a configured service. */
export function notConfigured(name: string, names: readonly string[]): string | undefined {
  if (names.some((n) => n.toLowerCase() === name.toLowerCase())) return undefined;
  const hint = closest(name, names);
  const known = names.length === 0 ? 'the config has none' : hint ? `did you mean "${hint}"?` : `configured: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`;
  // A URL, host:port or catalog name here would be probed around --allow-target and the address guard.
  return `service= names a service of outage's config (${known}); a URL, host:port or catalog name goes in target=, where the target policy applies`;
}
