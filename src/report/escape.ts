/**
 * Encoding for each consumer, on text the output-safety layer (safe-report.ts, core/safe-text.ts)
 * has already made one printable line: XML for JUnit, markdown for comments and step summaries.
 * Workflow commands (github.ts), TAP (tap.ts), plugin output (nagios-line.ts) and Prometheus
 * labels (prometheus.ts) encode next to their renderers.
 */
import { escapeMarkdownText } from '../core/markdown-text.js';
import { safeLine } from '../core/safe-text.js';

// Characters XML 1.0 cannot hold at all, even escaped (most C0 controls, lone surrogates, U+FFFE/F).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element text: markup escaped, characters XML cannot hold replaced; newlines kept as they are. */
export function escapeXmlText(text: string): string {
  return text.replace(XML_INVALID, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: also quotes, and whitespace as character references so parsers keep it. */
export function escapeXml(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Text inside a markdown table cell or quote: one printable line, escaped (core/markdown-text.ts). */
export function markdownCell(text: string): string {
  return escapeMarkdownText(safeLine(text).trim());
}
