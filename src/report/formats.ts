/**
 * The one registry of output formats: each a pure function of the report. Adding a format is
 * adding a line here; the CLI's choices and `--report` come from this list. Every format renders
 * the report the output-safety layer made (safe-report.ts): secrets out and each string one safe
 * line, except JSON, which stays exact and is encoded safely instead.
 */
import type { ChalkInstance } from 'chalk';
import type { FormatName } from './format-names.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderNagios } from './nagios.js';
import { renderPrometheus } from './prometheus.js';
import { renderSummary, renderTable, renderWarnings } from './table.js';
import { renderTap } from './tap.js';
import type { Report } from '../probes/result.js';
import type { Redact } from '../core/redact.js';
import { renderVerbose } from './verbose.js';
import { safeReport } from './safe-report.js';

export interface RenderOptions {
  chalk: ChalkInstance;
  /** Width the table fits (the terminal's, or COLUMNS); undefined: natural width. */
  columns?: number;
  /** The table wraps: secrets must be out before a line break can split one. */
  redact?: Redact;
  verbose?: boolean;
  quiet?: boolean;
  emoji?: boolean;
  /** At most this many bytes, where a reader has a limit (markdown: GitHub's step summary). */
  maxBytes?: number;
  /** The `--report` path being written; undefined for stdout. */
  reportFile?: string;
}

export type Renderer = (report: Report, options: RenderOptions) => string;

export const FORMATS: Record<FormatName, Renderer> = {
  table: (report, options) => {
    if (options.quiet) return `${renderSummary(report, options.chalk)}\n${renderWarnings(report, options.chalk, options)}`;
    return renderTable(report, options) + (options.verbose ? renderVerbose(report, options.chalk, options.redact) : '');
  },
  json: (report, options) => renderJson(report, options.redact),
  junit: (report, options) => renderJunit(safeReport(report, options.redact)),
  tap: (report, options) => renderTap(safeReport(report, options.redact)),
  markdown: (report, options) => renderMarkdown(safeReport(report, options.redact), { emoji: options.emoji, maxBytes: options.maxBytes }),
  github: (report, options) => renderGithub(safeReport(report, options.redact)),
  prometheus: (report, options) => renderPrometheus(safeReport(report, options.redact), { reportFile: options.reportFile }),
  nagios: (report, options) => renderNagios(safeReport(report, options.redact)),
};
