/**
 * Expected HTTP statuses: `200`, `[200, 204]`, `"200-399"`, `"2xx"`, or a list mixing them.
 * Parsed once at config time into inclusive ranges so judging a response is a simple scan.
 */
export type StatusRange = readonly [low: number, high: number];

export function parseStatusExpectation(input: unknown): StatusRange[] | string {
  const items = Array.isArray(input) ? input : [input];
  if (items.length === 0) return 'must list at least one status';
  const ranges: StatusRange[] = [];
  for (const item of items) {
    const range = parseOne(item);
    if (typeof range === 'string') return range;
    ranges.push(range);
  }
  return ranges;
}

function parseOne(item: unknown): StatusRange | string {
  if (typeof item === 'number') {
    return isStatus(item) ? [item, item] : `${item} is not an HTTP status (100-599)`;
  }
  if (typeof item !== 'string') return 'expected a status number, a range like "200-399", or "2xx"';
  const text = item.trim();
  let match = /^([1-5])xx$/i.exec(text);
  if (match) {
    const hundred = Number(match[1]) * 100;
    return [hundred, hundred + 99];
  }
  match = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  if (match) {
    const low = Number(match[1]);
    const high = Number(match[2]);
    if (!isStatus(low) || !isStatus(high)) return `"${text}" is not within HTTP statuses 100-599`;
    if (low > high) return `"${text}" is an empty range (low end above high end)`;
    return [low, high];
  }
  if (/^\d{3}$/.test(text) && isStatus(Number(text))) return [Number(text), Number(text)];
  return `"${text}" is not a status, a range like "200-399", or "2xx"`;
}

function isStatus(n: number): boolean {
  return Number.isInteger(n) && n >= 100 && n <= 599;
}

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}
