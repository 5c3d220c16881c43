/** "Did you mean …?" for a mistyped key: the closest known key within a small edit distance. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  const typed = input.toLowerCase();
  for (const candidate of candidates) {
    const known = candidate.toLowerCase();
    // A shared stem (`retry` for `retries`) is as telling as a one-letter typo.
    const stem = typed.length >= 4 && known.startsWith(typed.slice(0, 4));
    const d = Math.min(distance(typed, known), stem ? 1 : Infinity);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
