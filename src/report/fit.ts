/**
 * Tables that fit the terminal: `check`, `list` and `catalog` all render through here.
 *
 * Without a width (stdout not a terminal and no COLUMNS) a table takes its natural width, as
 * before. With one, columns give way widest first (wrapping, never truncating) down to each
 * column's floor; when even the floors do not fit, optional columns are left out; when that is
 * not enough, each row becomes a block of `Title  value` lines instead, which fits any width.
 */
import type { ChalkInstance } from 'chalk';
import type { Redact } from '../core/redact.js';
import { displayWidth, longestWord, wrapText } from './wrap.js';

export interface Column {
  title: string;
  /**
   * Narrowest the content may get before the table gives up for blocks. Set, it allows breaking
   * long words (names, URLs) down to it; unset, the column wraps at spaces only.
   */
  min?: number;
  /** Never wraps: short values such as a status, which read badly broken. */
  fixed?: boolean;
  /**
   * May be left out when the table would not fit with it: columns with a `drop` rank go, lowest
   * first, before the table gives up for blocks. Blocks show every column again.
   */
  drop?: number;
}

/** Plain text, painted (colored) only after wrapping so color codes never count as width. */
export interface Cell {
  text: string;
  paint?: (text: string) => string;
  /**
   * The text instead, once columns that may be dropped were, and in blocks: what they showed that
   * must not be lost (a failure's code, said in the probe columns) said here.
   */
  whenDropped?: string;
}

export interface FitOptions {
  chalk: ChalkInstance;
  /** Terminal width; undefined renders at the natural width. */
  width?: number;
  /**
   * Applied to every cell before wrapping: a secret broken over two lines would slip past the
   * redactor that runs on the finished output.
   */
  redact?: Redact;
}

/** The border characters: one per column plus one, and a space either side of each cell. */
const borders = (count: number) => count + 1 + 2 * count;

export function renderFitted(columns: Column[], unsafe: Cell[][], options: FitOptions): string {
  const redact = options.redact;
  const rows = redact
    ? unsafe.map((row) => row.map((cell) => ({ ...cell, text: redact(cell.text), ...(cell.whenDropped === undefined ? {} : { whenDropped: redact(cell.whenDropped) }) })))
    : unsafe;
  if (options.width === undefined) return renderTable(columns, rows, naturalWidths(columns, rows), options.chalk);
  const droppable = columns.filter((c) => c.drop !== undefined).sort((a, b) => (a.drop as number) - (b.drop as number));
  for (let dropped = 0; dropped <= droppable.length; dropped++) {
    const kept = columns.map((column, i) => ({ column, i })).filter(({ column }) => !droppable.slice(0, dropped).includes(column));
    const keptRows = rows.map((row) => kept.map(({ i }) => withDropped(row[i] as Cell, dropped > 0)));
    const widths = fitWidths(kept.map(({ column }) => column), keptRows, options.width);
    if (widths) return renderTable(kept.map(({ column }) => column), keptRows, widths, options.chalk);
  }
  // Blocks are no table either: the short probe cells beside a code's words read as one field among many.
  return renderBlocks(columns, rows.map((row) => row.map((cell) => withDropped(cell, true))), options);
}

function withDropped(cell: Cell, dropped: boolean): Cell {
  return dropped && cell.whenDropped !== undefined ? { ...cell, text: cell.whenDropped } : cell;
}

/**
 * The box, drawn here rather than by a table library: cli-table3 measured widths its own way (a
 * zero-width joiner as one cell) and cut any cell it found too wide with `…` — the stubs this
 * module exists to prevent. Cells arrive wrapped to their column, so nothing is ever cut.
 */
function renderTable(columns: Column[], rows: Cell[][], widths: number[], chalk: ChalkInstance): string {
  const rule = (left: string, middle: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`;
  const head = columns.map((column) => ({ text: column.title, paint: (text: string) => chalk.bold(text) }));
  const lines = [rule('┌', '┬', '┐'), ...drawRow(head, widths)];
  for (const row of rows) lines.push(rule('├', '┼', '┤'), ...drawRow(row, widths));
  lines.push(rule('└', '┴', '┘'));
  return `${lines.join('\n')}\n`;
}

/** One row: each cell wrapped to its column, painted line by line, padded to the column. */
function drawRow(row: Cell[], widths: number[]): string[] {
  const cells = widths.map((width, i) => {
    const cell = row[i] ?? { text: '' };
    return wrapText(cell.text, width).map((line) => ({ line: cell.paint ? cell.paint(line) : line, width: displayWidth(line) }));
  });
  const height = Math.max(...cells.map((lines) => lines.length));
  return Array.from({ length: height }, (_, n) =>
    `│${cells.map((lines, i) => ` ${lines[n]?.line ?? ''}${' '.repeat(Math.max(0, (widths[i] as number) - (lines[n]?.width ?? 0)))} `).join('│')}│`,
  );
}

function naturalWidths(columns: Column[], rows: Cell[][]): number[] {
  return columns.map((column, i) => Math.max(displayWidth(column.title), ...rows.map((row) => displayWidth(row[i]?.text ?? ''))));
}

/**
 * Content widths that fit `width`, or undefined when the floors alone do not. The widest column
 * that can still give way loses a cell at a time, so long names and long reasons share the
 * shortfall and short columns keep their natural width.
 */
export function fitWidths(columns: Column[], rows: Cell[][], width: number): number[] | undefined {
  const widths = naturalWidths(columns, rows);
  const floors = columns.map((column, i) => {
    const natural = widths[i] as number;
    if (column.fixed) return natural;
    const words = Math.max(longestWord(column.title), ...rows.map((row) => longestWord(row[i]?.text ?? '')));
    return Math.min(natural, Math.max(longestWord(column.title), column.min ?? words));
  });
  const available = width - borders(columns.length);
  if (floors.reduce((a, b) => a + b, 0) > available) return undefined;
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if ((widths[i] as number) > (floors[i] as number) && (widest < 0 || (widths[i] as number) > (widths[widest] as number))) widest = i;
    }
    widths[widest] = (widths[widest] as number) - 1;
    excess--;
  }
  return widths;
}

/**
 * Narrow terminals: one block per row, `Title  value`, values wrapped beside their titles; when
 * even that leaves under 16 cells for a value, the title gets its own line and the value goes
 * under it, indented by two.
 */
function renderBlocks(columns: Column[], rows: Cell[][], options: FitOptions): string {
  const width = options.width ?? 80;
  const label = Math.max(...columns.map((c) => displayWidth(c.title)));
  const beside = width - label - 2 >= 16;
  const valueWidth = Math.max(1, beside ? width - label - 2 : width - 2);
  const blocks = rows.map((row) =>
    columns
      .map((column, i) => {
        const cell = row[i];
        // An empty cell or a dash (no such probe) says nothing on its own line.
        if (!cell || cell.text === '' || cell.text === '—') return '';
        const lines = wrapText(cell.text, valueWidth).map((line) => (cell.paint ? cell.paint(line) : line));
        const title = options.chalk.bold(beside ? column.title.padEnd(label) : column.title);
        const indent = beside ? ' '.repeat(label + 2) : '  ';
        const body = beside ? [`${title}  ${lines[0] ?? ''}`, ...lines.slice(1).map((line) => indent + line)] : [title, ...lines.map((line) => indent + line)];
        return `${body.join('\n')}\n`;
      })
      .join(''),
  );
  // A blank line after the last block too, so what follows (a summary) does not read as a field.
  return `${blocks.join('\n')}\n`;
}
