/**
 * The one registry of output formats: each a pure function of the report. Adding a format is
 * adding a line here; the CLI's choices and `--report` come from this list.
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

export interface RenderOptions {
  chalk: ChalkInstance;
  /** Width the table fits (the terminal's, or COLUMNS); undefined: natural width. */
  columns?: number;
  /** The table wraps: secrets must be out before a line break can split one. */
  redact?: Redact;
  verbose?: boolean;
  quiet?: boolean;
  emoji?: boolean;
  /** The `--report` path being written; undefined for stdout. */
  reportFile?: string;
}

export type Renderer = (report: Report, options: RenderOptions) => string;

export const FORMATS: Record<FormatName, Renderer> = {
  table: (report, options) => {
    if (options.quiet) return `${renderSummary(report, options.chalk)}\n${renderWarnings(report, options.chalk, options)}`;
    return renderTable(report, options) + (options.verbose ? renderVerbose(report, options.chalk) : '');
  },
  json: (report) => renderJson(report),
  junit: (report) => renderJunit(report),
  tap: (report) => renderTap(report),
  markdown: (report, options) => renderMarkdown(report, { emoji: options.emoji }),
  github: (report) => renderGithub(report),
  prometheus: (report, options) => renderPrometheus(report, { reportFile: options.reportFile }),
  nagios: (report) => renderNagios(report),
};
