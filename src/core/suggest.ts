/** "Did you mean …?" for a mistyped key or name: the closest known one within a small edit distance. */
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

/**
 * Edits between two words, a swap of neighbours counting as one (`slakc` is one from `slack`):
 * the optimal-string-alignment distance, as commander's suggestions use.
 */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
