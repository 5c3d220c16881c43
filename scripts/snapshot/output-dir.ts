/** SNAPSHOT_DIR: cleared before a run (only if this harness wrote it), indexed after. */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VARIANTS } from './formats.js';
import type { Written } from './run-scenario.js';
import type { Scenario } from './scenarios/index.js';

/** The marker that lets the harness clear a SNAPSHOT_DIR it wrote before, and nothing else. */
const MARKER = '.outage-snapshot';

export function prepareOutput(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`SNAPSHOT_DIR ${dir} is not empty and was not written by this harness: refusing to clear it`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'written by scripts/snapshot/run.snap.ts; cleared on its next run\n');
}

/**
 * Writes INDEX.txt — one line per run, in scenario order: the exit codes at a glance, and part of
 * the diff — and returns the summary to print.
 */
export function writeIndex(bin: string, dir: string, scenarios: Scenario[], written: ReadonlyMap<string, Written[]>): string {
  const index = scenarios.flatMap((s) => written.get(s.name) ?? []).map((r) => `${r.scenario}/${r.variant}: exit ${r.exit} · ${r.args}`);
  writeFileSync(join(dir, 'INDEX.txt'), `${index.join('\n')}\n`);
  const missing = scenarios.filter((s) => !written.has(s.name)).map((s) => s.name);
  const lines = [
    `snapshot of ${bin}`,
    `  ${written.size} scenarios × ${VARIANTS.length} formats = ${index.length} runs; ${countFiles(dir)} files in ${dir}`,
    `  formats: ${VARIANTS.map((v) => `${v.name}${v.flags.length ? ` (${v.flags.join(' ')})` : ''}`).join(', ')}`,
    ...scenarios
      .filter((s) => written.has(s.name))
      .map((s) => {
        const runs = written.get(s.name)!;
        const exits = [...new Set(runs.map((r) => r.exit))].join('/');
        return `  ${relative(dir, join(dir, s.name))}/  ${runs.reduce((n, r) => n + r.files.length, 0)} files, exit ${exits}`;
      }),
    ...(missing.length ? [`  NOT WRITTEN (failed): ${missing.join(', ')}`] : []),
  ];
  return lines.join('\n');
}

function countFiles(dir: string): number {
  return readdirSync(dir).reduce((n, entry) => n + (statSync(join(dir, entry)).isDirectory() ? countFiles(join(dir, entry)) : 1), 0);
}
