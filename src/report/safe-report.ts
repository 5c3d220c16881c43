/**
 * The output-safety layer, applied once per report: before any format sees a report, every string
 * in it — reasons, names, targets, DNS answers, certificate subjects, redirect hops, vendor
 * incident titles, common causes, and whatever a probe kind adds to its details later — is
 * redacted and made one safe line (core/safe-text.ts). Each renderer then only encodes for its
 * consumer (XML, markdown, workflow commands, TAP, Prometheus labels), so no field can be missed
 * by a renderer that forgot to escape it.
 */
import { NO_SECRETS, type Redact } from '../core/redact.js';
import { safeLine } from '../core/safe-text.js';
import type { Report } from '../probes/result.js';

/**
 * Fields holding outage's own vocabulary (statuses, kinds, codes, record types, timestamps) that
 * renderers look up in tables: a secret that happened to equal one of them must not turn `down`
 * into `***`, so they are made safe but not redacted (a vendor's own `status` word is safe-lined too).
 */
const VOCABULARY: ReadonlySet<string> = new Set(['kind', 'status', 'code', 'failOn', 'indicator', 'source', 'mode', 'type', 'verdict', 'startedAt', 'validFrom', 'validTo']);

/**
 * Every string of `value` through `edit` (`vocabulary` for VOCABULARY fields). What nothing
 * changed is shared, not copied: most strings need no work, and a report can hold 10,000 services.
 */
function mapStrings(value: unknown, edit: (text: string) => string, vocabulary: (text: string) => string): unknown {
  if (typeof value === 'string') return edit(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const mapped = mapStrings(v, edit, vocabulary);
      if (mapped !== v) (out ??= value.slice())[i] = mapped;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    const mapped = VOCABULARY.has(key) && typeof v === 'string' ? vocabulary(v) : mapStrings(v, edit, vocabulary);
    if (mapped !== v) (out ??= { ...record })[key] = mapped;
  }
  return out ?? value;
}

const none: Redact = NO_SECRETS;
// Table, -v, report files and the step summary render the same report: each version is made once.
const safeMade = new WeakMap<Report, Map<Redact, Report>>();
const redactedMade = new WeakMap<Report, Map<Redact, Report>>();

function once(made: WeakMap<Report, Map<Redact, Report>>, report: Report, redact: Redact, build: () => Report): Report {
  let byRedactor = made.get(report);
  if (!byRedactor) made.set(report, (byRedactor = new Map()));
  let result = byRedactor.get(redact);
  if (!result) {
    byRedactor.set(redact, (result = build()));
    // Made safe, a report is its own safe version (safeLine is idempotent): a renderer called
    // with the safe report, as FORMATS calls them, finds it here instead of walking it again.
    if (made === safeMade) safeMade.set(result, new Map([[none, result]]));
  }
  return result;
}

/** The report every human and CI format renders: secrets out, then each string one safe line. */
export function safeReport(report: Report, redact: Redact = none): Report {
  return once(safeMade, report, redact, () => distinctNames(mapStrings(report, (text) => safeLine(redact(text)), safeLine) as Report));
}

/**
 * Configured names are unique, but two can be one once made safe (`a\nb` and `a b`) or redacted
 * (two URLs that differ only in their password). Each later one gets ` (2)`, ` (3)`… — the first
 * number no other service's name already has — so every format tells them apart: in a Prometheus
 * textfile two services with one `service` label are one series twice, which node_exporter rejects
 * and Prometheus drops. Names already distinct come back as they are (so this is idempotent).
 */
export function distinctNames(report: Report): Report {
  const taken = new Set(report.services.map((s) => s.name));
  if (taken.size === report.services.length) return report;
  const seen = new Set<string>();
  const services = report.services.map((service) => {
    if (!seen.has(service.name)) {
      seen.add(service.name);
      return service;
    }
    let n = 2;
    while (taken.has(`${service.name} (${n})`)) n++;
    const name = `${service.name} (${n})`;
    taken.add(name);
    seen.add(name);
    return { ...service, name };
  });
  return { ...report, services };
}

/**
 * The report JSON renders: redacted before encoding (an escaped quote or newline inside a secret
 * would hide it from a redactor run on the JSON text), but otherwise exact: JSON is data, and its
 * encoding (safeJson in core/safe-text.ts) keeps control characters inert losslessly.
 */
export function redactedReport(report: Report, redact: Redact | undefined): Report {
  // With no secrets there is nothing to take out: walking ~100 strings a service only copied keys.
  if (!redact || redact === NO_SECRETS) return report;
  return once(redactedMade, report, redact, () => distinctNames(mapStrings(report, redact, (text) => text) as Report));
}
