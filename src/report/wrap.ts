/**
 * Display width and line wrapping for terminal output. Text is wrapped, never truncated: two
 * service names that differ only at the end must never render as the same stub.
 */

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
// Marks drawn on the previous character (variation selectors are among them).
const MARK = /^\p{M}$/u;
// Zero-width space, joiners, direction marks, word joiner.
const isZeroWidth = (char: string) => {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x200b && code <= 0x200f) || code === 0x2060 || MARK.test(char);
};
// East Asian wide and fullwidth characters, and emoji drawn as emoji: two cells each.
const WIDE =
  /^[\p{Emoji_Presentation}\u1100-\u115f\u2329\u232a\u2e80-\u303e\u3040-\u4dbf\u4e00-\ua4cf\ua960-\ua97c\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6b\uff00-\uff60\uffe0-\uffe6\u{1b000}-\u{1b001}\u{1f200}-\u{1f251}\u{20000}-\u{3fffd}]$/u;

// Text is measured and cut by grapheme cluster (what the user sees as one character: a letter
// with its accents, an emoji with its selector or joined family), so a cut never splits one.
// Made on first use: creating it loads ICU's break rules (~10 ms), which a plain-ASCII report
// never needs.
let segmenter: Intl.Segmenter | undefined;

// Text made only of these is one cell per UTF-16 unit (ASCII, Latin, box drawing, the status
// symbols): measured without the segmenter, which is slow enough to matter for 10,000 rows.
const SIMPLE = /^[\u0020-\u007e\u00a0-\u02ff\u2010-\u2027\u2190-\u2199\u2500-\u257f\u25b2\u2714\u2716]*$/;

function clusters(text: string): string[] {
  return SIMPLE.test(text) ? text.split('') : Array.from((segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text), (s) => s.segment);
}

function clusterWidth(cluster: string): number {
  const first = String.fromCodePoint(cluster.codePointAt(0) ?? 0);
  if (isZeroWidth(first)) return 0;
  // A text symbol with the emoji-style selector (❤️) is drawn as a two-cell emoji.
  return WIDE.test(first) || cluster.includes('\ufe0f') ? 2 : 1;
}

/** Terminal cells the widest line of `text` takes, color codes excluded. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.replace(SGR, '').split('\n')) {
    let width = 0;
    if (SIMPLE.test(line)) width = line.length;
    else for (const cluster of clusters(line)) width += clusterWidth(cluster);
    widest = Math.max(widest, width);
  }
  return widest;
}

/** The longest prefix of `text` (one line, no color codes) that fits in `width` cells. */
export function fitPrefix(text: string, width: number): string {
  if (SIMPLE.test(text)) return text.slice(0, Math.max(0, width));
  let used = 0;
  let end = 0;
  for (const cluster of clusters(text)) {
    used += clusterWidth(cluster);
    if (used > width) break;
    end += cluster.length;
  }
  return text.slice(0, end);
}

// Where a long word (a URL, a host name) reads best when broken: after a separator.
const BREAK_AFTER = new Set(['/', '.', '-', '_', '?', '&', '=', ':', ',', '@', '#', ';']);

/** Break one word wider than `width` into pieces, preferring to break after a separator. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (displayWidth(rest) > width) {
    const prefix = fitPrefix(rest, width);
    let cut = prefix.length;
    // Break after the last separator in the prefix, unless that leaves a stub under half the width.
    for (let i = prefix.length - 1; i > 0; i--) {
      if (BREAK_AFTER.has(prefix[i] as string) && displayWidth(prefix.slice(0, i + 1)) >= width / 2) {
        cut = i + 1;
        break;
      }
    }
    // A width of 0 or a character wider than the width: take at least one character.
    if (cut === 0) cut = clusters(rest)[0]?.length ?? 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Wrap plain text (no color codes) to `width` cells: at spaces where possible, long words broken
 * after a separator. Existing line breaks are kept. Joining the pieces of a broken word gives the
 * word back, so nothing is ever lost.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0; // width of `line`, kept as it grows: measuring the whole line each time is quadratic
    for (const word of paragraph.split(' ')) {
      const size = displayWidth(word);
      const joined = line ? used + 1 + size : size;
      if (joined <= width) {
        line = line ? `${line} ${word}` : word;
        used = joined;
        continue;
      }
      if (line) lines.push(line);
      const pieces = breakWord(word, width);
      line = pieces.pop() ?? '';
      used = displayWidth(line);
      lines.push(...pieces);
    }
    lines.push(line);
  }
  return lines;
}

/** The widest word of plain text: what a column needs to wrap it at spaces only. */
export function longestWord(text: string): number {
  return Math.max(0, ...text.split(/[ \n]/).map(displayWidth));
}

/** A paragraph for the terminal: wrapped when there is a width, as is when not; ends with a newline. */
export function fitParagraph(text: string, width: number | undefined): string {
  return `${width === undefined ? text : wrapText(text, width).join('\n')}\n`;
}
