/** What outage knows about where its output goes. */
import { displayWidth } from '../report/wrap.js';

/**
 * The width tables fit: the terminal's when stdout is one (and reports a width), else `COLUMNS`
 * (so `COLUMNS=80 outage check | tee log` fits too), else undefined: natural width, as a file or
 * a pipe to another program wants.
 */
export function outputColumns(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY && (stream.columns ?? 0) > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/**
 * Whether the locale's character set is UTF-8, so the table's box drawing, the status symbols and
 * the spinner's braille can be shown. Read as setlocale reads it: LC_ALL, else LC_CTYPE, else
 * LANG, the first one set and not empty. A locale named explicitly without UTF-8 (`LANG=C`,
 * `LC_ALL=POSIX`, `en_US.ISO-8859-1`, `en_US`) means a terminal or a log that may show those
 * bytes as garbage, so outage writes ASCII. None set at all counts as UTF-8, as systemd counts it:
 * that is a container, cron or a CI step left without a locale, not a choice of character set.
 */
export function localeIsUtf8(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  return !locale || /utf-?8/i.test(locale);
}

// outage's own characters, each for one of the same width, so a table fitted in Unicode stays aligned.
const ASCII: Record<string, string> = {
  '─': '-',
  '│': '|',
  '┌': '+',
  '┬': '+',
  '┐': '+',
  '├': '+',
  '┼': '+',
  '┤': '+',
  '└': '+',
  '┴': '+',
  '┘': '+',
  '✔': '+',
  '✖': 'x',
  '▲': '!',
  '⚠': '!',
  '·': '-',
  '—': '-',
  '–': '-',
  '−': '-',
  '→': '>',
  '←': '<',
  '›': '>',
  '×': 'x',
  '…': '.',
  '≥': '>',
  'µ': 'u',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
};

let segmenter: Intl.Segmenter | undefined;

/**
 * Text for a terminal or log in the locale's character set: as it is under UTF-8; otherwise
 * outage's own symbols become ASCII ones (`+---+`, `+ up`, `x down`, `UP - 1 service`) and any
 * other character (a name or a reason quoting a server) one `?` per cell it takes, as `ls` shows
 * what the locale cannot, so columns stay aligned. Only for human output: JSON, XML, markdown and
 * the other machine formats are UTF-8 by their own definition, whatever the locale.
 */
export function terminalText(text: string, env: NodeJS.ProcessEnv = process.env): string {
  if (localeIsUtf8(env)) return text;
  // Only the runs of non-ASCII characters are looked at: a table of 10,000 rows is mostly ASCII.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\u0000-\u007f]+/g, (run) => {
    // outage's own symbols (the box's long rules among them) are each one character and one cell.
    let mapped = '';
    for (const char of run) mapped += ASCII[char] ?? '\u0000';
    if (!mapped.includes('\u0000')) return mapped;
    // Anything else by grapheme cluster (an emoji with its joiners is one), a ? for each cell.
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    let out = '';
    for (const { segment } of segmenter.segment(run)) out += ASCII[segment] ?? '?'.repeat(displayWidth(segment));
    return out;
  });
}
