/**
 * The shape of a Nagios plugin's output, shared by the report (nagios.ts) and the CLI's errors:
 * `OUTAGE WORD - text | perfdata`, one line, within NRPE's 1024-byte buffer. Kept free of the
 * probe registry so the CLI can load it on its error path at no cost.
 */
import { safeLine } from '../core/safe-text.js';

/** NRPE (v2, and v3/v4's default) passes at most 1024 bytes: the whole output, newline included. */
export const NRPE_LIMIT = 1024;

export const PLUGIN_WORDS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Plugin text on one line, with no `|` (it would start the perfdata). */
export function pluginText(text: string): string {
  return safeLine(text).trim().replace(/\|/g, '/');
}

/** `text` cut to at most `max` bytes on a character boundary, ending in `…` when cut. */
export function truncateBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  if (max < byteLength('…')) return '';
  let kept = '';
  let size = byteLength('…');
  for (const char of text) {
    const bytes = byteLength(char);
    if (size + bytes > max) break;
    kept += char;
    size += bytes;
  }
  return `${kept.trimEnd()}…`;
}

/**
 * The plugin output: the status text first (cut if it alone is too long), then as many perfdata
 * items as still fit, in order. An item that does not fit is dropped with all after it, never
 * cut, so what Nagios graphs is always valid.
 */
export function pluginOutput(word: string, text: string, perfdata: readonly string[] = []): string {
  let line = truncateBytes(`OUTAGE ${word} - ${text}`, NRPE_LIMIT - 1);
  let separator = ' | ';
  for (const item of perfdata) {
    const next = `${line}${separator}${item}`;
    if (byteLength(next) > NRPE_LIMIT - 1) break;
    line = next;
    separator = ' ';
  }
  return `${line}\n`;
}

/**
 * An error as a plugin result: `OUTAGE UNKNOWN - <message>`. A multi-line message (a config error
 * listing its problems) becomes one line, problems separated by `; `.
 */
export function unknownOutput(message: string): string {
  const lines = message
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const text = lines.reduce((joined, l) => (joined === '' ? l : `${joined}${/[:;]$/.test(joined) ? ' ' : '; '}${l}`), '');
  return pluginOutput('UNKNOWN', pluginText(text));
}
