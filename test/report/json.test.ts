/**
 * `--json` is read by programs: jq in a CI step above all. Strings stay exact, except a lone
 * surrogate (half an emoji, possible only in a name a JSON or JavaScript config wrote): UTF-8 cannot
 * carry one, every other format shows U+FFFD, and JSON.stringify's `\ud800` escape made jq 1.6
 * (Ubuntu 22.04's, GitHub's runners') reject the whole document.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { buildReport } from '../../src/report/report.js';
import { service } from '../helpers/reports.js';
import { requires } from '../helpers/requires.js';

const meta = { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 10, failOn: 'degraded' as const, interrupted: false };
// Halves of a pair alone, a pair that is whole, and a backslash before `ud800` that is no escape.
const names = ['high \ud83d alone', 'low \udea8 alone', 'whole 🚨', 'text \\ud800 written out', 'both halves \udea8\ud83d reversed'];
const report = () => buildReport(names.map((name) => ({ ...service('x', 'down'), name })), meta);

describe('json', () => {
  it('writes a lone surrogate as U+FFFD, keeping every other string exact', () => {
    const text = renderJson(report());
    expect(text).not.toMatch(/(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i);
    const parsed = JSON.parse(text).services.map((s: { name: string }) => s.name);
    expect(parsed).toEqual(['high \ufffd alone', 'low \ufffd alone', 'whole 🚨', 'text \\ud800 written out', 'both halves \ufffd\ufffd reversed']);
  });

  requires({ tools: ['jq'] }).it('is read by jq', () => {
    const result = spawnSync('jq', ['-r', '.services[].name'], { input: renderJson(report()), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toContain('whole 🚨');
  });
});
