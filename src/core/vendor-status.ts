/**
 * What a vendor declares about itself on its status page, normalised across status-page products.
 * The words are the vendor's own (incident names, descriptions); outage only adds the label.
 */
export const STATUS_KINDS = ['statuspage', 'slack', 'incidentio', 'instatus', 'gcp', 'aws'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

/** Statuspage's scale, which the other products are mapped onto. */
export type VendorIndicator = 'none' | 'maintenance' | 'minor' | 'major' | 'critical';

export interface VendorIncident {
  name: string;
  /** The vendor's impact word (`major`, `full_outage`, `MAJOROUTAGE`, …). */
  impact?: string;
  status?: string;
  url?: string;
  /** The latest update's text, when the product publishes it in the summary. */
  update?: string;
}

export interface VendorStatus {
  kind: StatusKind;
  indicator: VendorIndicator;
  /** The vendor's headline, e.g. "All Systems Operational" or "Partial System Outage". */
  description?: string;
  incidents: VendorIncident[];
  /** Components the vendor marks as not operational. */
  components: { name: string; status: string }[];
  /** The latest date the page gives for what it claims (ISO 8601), when it gives one. */
  updatedAt?: string;
  /** An outage claimed but not updated for a week: shown, ranked minor (status-pages/freshness.ts). */
  stale?: true;
  /** Incidents and components beyond those listed (a page listing thousands keeps the first few). */
  moreIncidents?: number;
  moreComponents?: number;
}

/** A parser gets the decoded JSON and returns what the vendor says, or why it could not tell. */
export type VendorParser = (body: unknown) => VendorStatus | string;

const RANK: Record<VendorIndicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };

export function worseIndicator(a: VendorIndicator, b: VendorIndicator): VendorIndicator {
  return RANK[b] > RANK[a] ? b : a;
}

const LABELS: Record<VendorIndicator, string> = {
  none: 'operational',
  maintenance: 'maintenance',
  minor: 'minor incident',
  major: 'major outage',
  critical: 'critical outage',
};

/** "major outage — Users may have trouble loading messages" */
export function vendorWords(status: VendorStatus): string {
  const words = currentWords(status);
  return status.stale && status.updatedAt ? `${words} (not updated since ${status.updatedAt.slice(0, 10)})` : words;
}

function currentWords(status: VendorStatus): string {
  const first = status.incidents[0];
  const others = status.incidents.length - 1 + (status.moreIncidents ?? 0);
  const more = others > 0 ? ` (+${others} more)` : '';
  if (first) return `${LABELS[status.indicator]} — ${first.name}${more}`;
  const component = status.components[0];
  if (component) return `${LABELS[status.indicator]} — ${component.name}: ${component.status.replace(/_/g, ' ')}`;
  // Statuspage's status.json has the indicator and the vendor's headline only ("Partial System Outage").
  if (status.indicator !== 'none' && status.description) return `${LABELS[status.indicator]} — ${status.description}`;
  return LABELS[status.indicator];
}
