/** Reading untrusted JSON without trusting its shape: every accessor tolerates anything. */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The latest of the dates given (ISO 8601 or any form Date.parse reads), as ISO 8601; undefined when none is a date. */
export function latest(...values: unknown[]): string | undefined {
  const times = values.map((v) => (typeof v === 'string' ? Date.parse(v) : NaN)).filter((t) => Number.isFinite(t));
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}

/** The objects of a list that have a name-like field: malformed entries are dropped, not fatal. */
export function objects(value: unknown): Json[] {
  return list(value).flatMap((item) => {
    const o = obj(item);
    return o ? [o] : [];
  });
}

/**
 * A table of a product's words: a vendor's word that happens to name an Object property
 * ("constructor", "toString", "__proto__") is a word outage does not know, not a function.
 */
export function words<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
