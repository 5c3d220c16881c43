/**
 * Which services a run checks: positional arguments name configured services or are ad-hoc
 * targets (checked with the config's defaults); `--tag` narrows; flags override settings.
 */
import type { ResolvedConfig, ServiceSpec } from '../config/service.js';
import { adHocService } from '../config/targets.js';
import { catalogKeys, defaultCatalogEntries, findCatalogEntry } from '../catalog/catalog.js';
import { closest } from '../core/suggest.js';
import { validateConfig } from '../config/validate.js';
import { UsageError } from '../core/errors.js';

export interface Overrides {
  timeoutMs?: number;
  retries?: number;
  resolvers?: string[];
}

export function selectServices(
  config: ResolvedConfig | undefined,
  rawDefaults: unknown,
  targets: readonly string[],
  tags: readonly string[],
  env: NodeJS.ProcessEnv,
): { services: ServiceSpec[]; secrets: string[] } {
  const configured = config?.services ?? [];
  const byName = new Map(configured.map((s) => [s.name.toLowerCase(), s]));
  const secrets = [...(config?.secrets ?? [])];
  let services: ServiceSpec[];

  if (targets.length === 0 && config) {
    services = configured;
  } else {
    // No config and no target: the catalog's default set, so `outage check` alone answers
    // "is the internet I depend on up?".
    if (targets.length === 0) targets = defaultCatalogEntries().map((e) => e.id);
    const adHoc: string[] = [];
    const picks: (ServiceSpec | number)[] = [];
    for (const target of targets) {
      const named = byName.get(target.toLowerCase());
      if (named) picks.push(named);
      else if (findCatalogEntry(target) || adHocService(target)) picks.push(adHoc.push(target) - 1);
      else throw unknownTarget(target, configured);
    }
    const extra = adHoc.length ? validateConfig({ defaults: rawDefaults }, { env, adHocTargets: adHoc, file: config?.file }) : undefined;
    secrets.push(...(extra?.secrets ?? []));
    services = picks.map((p) => (typeof p === 'number' ? (extra?.services[p] as ServiceSpec) : p));
  }

  if (tags.length > 0) {
    const wanted = new Set(tags);
    const tagged = services.filter((s) => s.tags.some((t) => wanted.has(t)));
    if (tagged.length === 0) {
      const known = [...new Set(services.flatMap((s) => s.tags))].sort();
      throw new UsageError(`No service has tag ${tags.join(' or ')}${known.length ? ` (tags in use: ${known.join(', ')})` : ' (no service has any tag)'}`, 'usage.no_match');
    }
    services = tagged;
  }
  return { services, secrets };
}

export function applyOverrides(services: ServiceSpec[], overrides: Overrides): ServiceSpec[] {
  return services.map((s) => ({
    ...s,
    timeoutMs: overrides.timeoutMs ?? s.timeoutMs,
    retries: overrides.retries ?? s.retries,
    resolvers: overrides.resolvers && overrides.resolvers.length > 0 ? overrides.resolvers : s.resolvers,
  }));
}

function unknownTarget(target: string, configured: ServiceSpec[]): UsageError {
  const names = configured.map((s) => s.name);
  const hint = names.length ? ` Configured services: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}.` : '';
  const catalogHint = closest(target, catalogKeys());
  const suggestion = catalogHint ? ` Did you mean the catalog's "${catalogHint}"?` : '';
  return new UsageError(
    `"${target}" is neither a configured service, a catalog entry (outage catalog) nor a target (https://…, http://…, host:port).${suggestion}${hint}`,
    'usage.unknown_target',
  );
}
