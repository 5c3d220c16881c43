/**
 * Which services a run checks: positional arguments name configured services, catalog entries or
 * ad-hoc targets (checked with the config's defaults); `--tag` narrows. Part of expansion
 * (expand.ts): a target that is not a configured service becomes an entry of its own, resolved
 * with everything else.
 */
import { catalogKeys, catalogService, defaultCatalogEntries, findCatalogEntry } from '../catalog/catalog.js';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import type { ServiceEntry } from './entry.js';
import type { ServiceInput } from './schema.js';
import { adHocService, missingScheme, redactUserInfo } from './targets.js';

export interface SelectRequest {
  /** Configured service names, catalog names, URLs or host:port, as typed. */
  targets: readonly string[];
  tags: readonly string[];
  /** False when there is no config at all. */
  hasConfig: boolean;
  /** Makes the entry of the `index`th target that is not a configured service, from `argument`. */
  entryFor: (input: ServiceInput, index: number, argument: string) => ServiceEntry;
  /** Reads a catalog entry's service as the config's services are read (ParsedConfig.readService). */
  readService: (raw: unknown) => ServiceInput;
}

export interface Selection {
  /** What the run checks, in the order asked for: configured entries and target entries. */
  chosen: ServiceEntry[];
  /** Entries made for targets that are not configured services. */
  targets: ServiceEntry[];
  /** An unknown target, or tags no chosen service has. */
  error?: UsageError;
}

export function selectServices(configured: ServiceEntry[], request: SelectRequest): Selection {
  let chosen = configured;
  const made: ServiceEntry[] = [];
  if (request.targets.length > 0 || !request.hasConfig) {
    // No config and no target: the catalog's default set, so `outage check` alone answers
    // "is the internet I depend on up?".
    const targets = request.targets.length > 0 ? request.targets : defaultCatalogEntries().map((e) => e.id);
    const exactly = new Map(configured.map((e) => [e.input.name, e]));
    const byName = new Map<string, ServiceEntry[]>();
    for (const e of configured) byName.set(e.input.name.toLowerCase(), [...(byName.get(e.input.name.toLowerCase()) ?? []), e]);
    chosen = [];
    // A target named twice (`api API`, a URL pasted twice) is checked once: two results under one
    // name would be a Prometheus series twice, which node_exporter rejects, and would count twice
    // toward `wait --stable`.
    const seen = new Set<string>();
    for (const target of targets) {
      // Names are matched without case, but a name typed exactly is that service: with `api` and
      // `API` both configured, `check api` used to check whichever came last. Typed in neither
      // spelling, it names no one service. A URL's path is not matched without case: a URL counts as typed.
      const caseless = byName.get(target.toLowerCase()) ?? [];
      if (!exactly.has(target) && caseless.length > 1) return { chosen: [], targets: [], error: ambiguousName(target, caseless) };
      const named = exactly.get(target) ?? caseless[0];
      const key = named ? `service ${named.input.name}` : (findCatalogEntry(target)?.id ?? target);
      if (seen.has(key)) continue;
      seen.add(key);
      if (named) {
        chosen.push(named);
        continue;
      }
      const input = targetInput(target, request.readService);
      // The first unknown target is the answer: the targets before it are not checked either.
      if (!input) return { chosen: [], targets: [], error: unknownTarget(target, configured) };
      const entry = request.entryFor(input, made.length, target);
      made.push(entry);
      chosen.push(entry);
    }
  }

  if (request.tags.length > 0) {
    const wanted = new Set(request.tags);
    const tagsOf = (e: ServiceEntry) => e.input.tags ?? [];
    const tagged = chosen.filter((e) => tagsOf(e).some((t) => wanted.has(t)));
    if (tagged.length === 0) {
      const known = [...new Set(chosen.flatMap(tagsOf))].sort();
      const error = new UsageError(`No service has tag ${request.tags.join(' or ')}${known.length ? ` (tags in use: ${known.join(', ')})` : ' (no service has any tag)'}`, 'usage.no_match');
      return { chosen: [], targets: made, error };
    }
    chosen = tagged;
  }
  return { chosen, targets: made };
}

/** A target that is not a configured service: a catalog entry, or a URL or host:port. */
export function targetInput(text: string, readService: (raw: unknown) => ServiceInput): ServiceInput | undefined {
  const entry = findCatalogEntry(text);
  return entry ? readService(catalogService(entry)) : adHocService(text);
}

function ambiguousName(target: string, named: ServiceEntry[]): UsageError {
  const names = named.map((e) => `"${e.input.name}"`);
  return new UsageError(`${quoteArgument(target)} names ${names.slice(0, -1).join(', ')} and ${names.at(-1)}, configured services whose names differ only in case: type one as it is written`, 'usage.ambiguous_target');
}

function unknownTarget(target: string, configured: ServiceEntry[]): UsageError {
  const names = configured.map((e) => e.input.name);
  // A configured name is the likelier meaning of a typo than a catalog entry.
  const hint = closest(target, names) ?? closest(target, catalogKeys());
  // `localhost:8080/health`, `www.example.com`: a URL without its scheme, not an unknown name.
  const schemeless = missingScheme(target);
  if (schemeless !== undefined) return new UsageError(`${schemeless}${hint ? ` (or did you mean "${hint}"?)` : ''}`, 'usage.bad_target');
  const listed = !hint && names.length ? ` Configured services: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}.` : '';
  return new UsageError(
    `${quoteArgument(target)} is neither a configured service, a catalog entry (outage catalog) nor a target (https://…, http://…, host:port)${hint ? `; did you mean "${hint}"?` : '.'}${listed}`,
    'usage.unknown_target',
  );
}

/**
 * Command-line targets that cannot be checked as typed (`https://x:99999/`), each quoted with its
 * problem: `"https://x:99999/": port 99999 is not within 1-65535`.
 */
export function badTargetError(problems: readonly { argument: string; message: string }[]): UsageError {
  const lines = problems.map(({ argument, message }) => {
    const quoted = quoteArgument(argument);
    return message.startsWith(quoted) ? message : `${quoted}: ${message}`;
  });
  return new UsageError([...new Set(lines)].join('\n  '), 'usage.bad_target');
}

/** An argument as the user typed it, in quotes, with URL credentials hidden. */
function quoteArgument(argument: string): string {
  return JSON.stringify(redactUserInfo(argument));
}
