/**
 * `npm run bench [scenario…]`: runs the scenarios on loopback fixtures, prints medians, ratios and
 * each target as met or not, writes bench/results/latest.json and latest.md, and puts the table
 * into the README's Performance section. Scenarios: startup, one-check, scale, timing, peers, big-body, wait, serve.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from './fixtures.js';
import { ROOT } from './measure.js';
import { bigBody } from './scenarios/big-body.js';
import { oneCheck } from './scenarios/one-check.js';
import { peers } from './scenarios/peers.js';
import { scale } from './scenarios/scale.js';
import { serveBurst } from './scenarios/serve.js';
import { startup } from './scenarios/startup.js';
import { timingTruth } from './scenarios/timing.js';
import { waitScenario } from './scenarios/wait.js';
import type { ScenarioResult } from './scenarios/types.js';
import type { Fixtures } from './fixtures.js';

const SCENARIOS: Record<string, (fx: Fixtures) => Promise<ScenarioResult>> = {
  startup: () => startup(),
  'one-check': (fx) => oneCheck(fx),
  scale: (fx) => scale(fx),
  timing: (fx) => timingTruth(fx),
  peers: (fx) => peers(fx),
  'big-body': (fx) => bigBody(fx),
  wait: () => waitScenario(),
  serve: (fx) => serveBurst(fx),
};

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in SCENARIOS));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  spawnSync('bash', [join(ROOT, 'bench', 'setup.sh')], { stdio: 'inherit' });
  const loadAtStart = loadavg()[0] ?? 0;
  let machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  console.log(`outage benchmark — ${machine}\n`);
  const fx = await fixtures();
  const results: ScenarioResult[] = [];
  try {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (wanted.length && !wanted.includes(name)) continue;
      const result = await scenario(fx);
      results.push(result);
      console.log(renderText(result));
    }
  } finally {
    await fx.close();
  }
  // Other work on the machine inflates every figure: say how busy it was (1-minute load average).
  const load = `load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ${cpus().length} cores`;
  machine += `; ${load}${Math.max(loadAtStart, loadavg()[0] ?? 0) > cpus().length / 2 ? ' — a loaded machine: the timings are inflated by other work' : ''}`;
  console.log(load);
  // Only a full run replaces the recorded results, so latest.* and the README always agree.
  if (!wanted.length) {
    const markdown = renderMarkdown(results, machine);
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.md'), markdown);
    updateReadme(markdown);
  } else {
    console.log('(a partial run: bench/results and the README are left as they were)');
  }
  const missed = results.flatMap((r) => r.targets).filter((t) => t.met === false);
  console.log(missed.length ? `${missed.length} target(s) not met.` : 'Every measured target met.');
}

function renderText(result: ScenarioResult): string {
  const widths = result.columns.map((c, i) => Math.max(c.length, ...result.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const targets = result.targets.map((t) => `  ${t.met === undefined ? 'skipped' : t.met ? 'met    ' : 'NOT MET'}  ${t.text}: ${t.measured}`);
  return [`== ${result.title}`, line(result.columns), ...result.rows.map(line), ...targets, ...result.notes.map((n) => `  note: ${n}`), ''].join('\n');
}

function renderMarkdown(results: ScenarioResult[], machine: string): string {
  const out = [`Measured on ${machine}.`, ''];
  for (const r of results) {
    out.push(`**${r.title}**`, '', `| ${r.columns.join(' | ')} |`, `| ${r.columns.map(() => '---').join(' | ')} |`, ...r.rows.map((row) => `| ${row.join(' | ')} |`), '');
    for (const t of r.targets) out.push(`- ${t.met === undefined ? '⏭ skipped' : t.met ? '✅ met' : '❌ not met'}: ${t.text} — ${t.measured}`);
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function updateReadme(markdown: string) {
  const file = join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return;
  writeFileSync(file, `${readme.slice(0, from + start.length)}\n${markdown}${readme.slice(to)}`);
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
