/**
 * Durations in config and flags: `250ms`, `10s`, `5m`, `1h`, `1d`, always with a unit, and
 * compounds of them largest unit first as Go and Prometheus write them (`1m30s`, `1h30m`; also
 * `1m 30s`, as outage's own tables print durations). Stricter
 * than general-purpose parsers on purpose: `1.5 hours` or `-1s` in a health-check config is far
 * more likely a mistake than an intent. A bare number is refused with the fix rather than read
 * in some unit: `--timeout 5` meant 5 ms here and 5 s in curl, and either reading surprises
 * someone (`5: add a unit, 5s or 5000ms`).
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SEGMENT = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/y;
/** Largest first: `30s1m` or `1m1m` is more likely a slip than a sum. */
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms'];
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** The JSON Schema pattern editors check durations against. */
export const DURATION_PATTERN = '^\\s*(?:\\d+(?:\\.\\d+)?\\s*(?:ms|s|m|h|d)\\s*)+$';

export const DAY_MS = UNIT_MS.d;

/**
 * The longest duration outage accepts: a day. Node's timers hold at most 2^31-1 ms (24.8 days)
 * and fire after 1 ms beyond that, so a longer `--timeout` would end at once; no budget, wait or
 * interval of a health check needs more than a day.
 */
export const MAX_DURATION_MS = DAY_MS;
export const MAX_DURATION_TEXT = '24h';

export const DURATION_HINT = 'a duration such as 500ms, 10s, 5m or 1h';

/** A number with its unit, in ms: `1.5s` → 1500; anything else (a bare number too) → undefined. */
export function parseDuration(input: string): number | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  let total = 0;
  let previous = -1;
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const match = SEGMENT.exec(text);
    const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
    const rank = unit === undefined ? -1 : UNIT_ORDER.indexOf(unit);
    if (!match || unit === undefined || rank <= previous) return undefined;
    previous = rank;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  return total;
}

/**
 * A duration from a flag or the config, in ms, or the problem as the user should read it, led by
 * the value as typed: `5: add a unit, 5s or 5000ms`, `25d: more than 24h, …`. YAML and JSON
 * numbers are bare numbers too.
 */
export function readDuration(input: unknown): number | string {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  if (text === undefined) return `${describe(input)}: not ${DURATION_HINT}`;
  if (BARE_NUMBER.test(text)) return `${text}: add a unit, ${unitFix(Number(text))}`;
  const ms = parseDuration(text);
  if (ms === undefined) return `${quote(text)}: not ${DURATION_HINT}`;
  if (ms > MAX_DURATION_MS) return `${quote(text)}: more than ${MAX_DURATION_TEXT}, the longest duration outage accepts`;
  return ms;
}

/**
 * A duration that must be more than zero (a timeout, an interval), or the problem. A bare 0 is
 * told what is wrong with it: "add a unit, 0s or 0ms" sent the user to a value refused next.
 */
export function readPositiveDuration(input: unknown): number | string {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (BARE_NUMBER.test(text) && Number(text) === 0) return `${text}: must be more than 0`;
  const ms = readDuration(input);
  return typeof ms === 'number' && ms <= 0 ? `${quote(String(input).trim())}: must be more than 0` : ms;
}

/**
 * The two ways to write what a bare number most likely meant: small numbers read as seconds
 * (`5` → `5s or 5000ms`, as curl reads them), large ones as the milliseconds they used to be
 * here (`5000` → `5000ms or 5s`).
 */
function unitFix(n: number): string {
  const round = (x: number) => Number(x.toPrecision(12));
  return n < 100 ? `${n}s or ${round(n * 1000)}ms` : `${n}ms or ${round(n / 1000)}s`;
}

function quote(text: string): string {
  return /^[\w.+-]+$/.test(text) ? text : JSON.stringify(text);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // A JavaScript config may export anything: JSON.stringify throws on a BigInt.
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * A budget as it would be typed: the largest unit that states it exactly (`10s`, `5m`, `1500ms`),
 * so a reason quotes back the `--timeout 10s` the user gave rather than `10000ms`.
 */
export function formatExactDuration(ms: number): string {
  const units = Object.entries(UNIT_MS).reverse() as [keyof typeof UNIT_MS, number][];
  const [unit, size] = units.find(([, size]) => ms >= size && ms % size === 0) ?? ['ms', 1];
  return `${unit === 'ms' ? Math.round(ms) : ms / size}${unit}`;
}

/** Human form for tables: `123ms`, `4.2s`, `3m 5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m ${s}s`;
}
