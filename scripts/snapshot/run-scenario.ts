/**
 * Runs one scenario: writes its config, runs the CLI once per format, one run after another, and
 * writes each run's stdout, stderr and exit code, normalised, under SNAPSHOT_DIR/<scenario>/.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VARIANTS } from './formats.js';
import type { Normalise } from './normalise.js';
import type { Scenario } from './scenarios/index.js';
import type { World } from './servers.js';

/** A run that takes longer than this is killed (and says so in its .exit file). */
const KILL_AFTER_MS = 30_000;

export interface SnapshotRun {
  /** bin/outage.js of the checkout under test. */
  bin: string;
  /** SNAPSHOT_DIR. */
  outDir: string;
  /** Temp folder for the config files (each scenario's runs start in its own subfolder). */
  confDir: string;
  /** Also write each output before normalisation (SNAPSHOT_RAW=1). */
  raw: boolean;
  world: World;
  normalise: Normalise;
}

/** One run's line in INDEX.txt, and the files it wrote. */
export interface Written {
  scenario: string;
  variant: string;
  args: string;
  exit: string;
  files: string[];
}

export async function runScenario(run: SnapshotRun, scenario: Scenario): Promise<Written[]> {
  const { world, normalise } = run;
  const dir = join(run.outDir, scenario.name);
  const work = join(run.confDir, scenario.name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const config = join(work, 'outage.json');
  writeFileSync(config, `${JSON.stringify(scenario.config(world), null, 2)}\n`);
  const files = ['config.json'];
  writeFileSync(join(dir, 'config.json'), normalise(readFileSync(config, 'utf8'), 'plain'));

  const base = ['check', '-c', config];
  if (!scenario.canaries) base.push('--no-canaries', '--resolver', world.dns[scenario.resolver ?? 'main']!.address);
  base.push(...(scenario.flags ?? []));
  const targets = scenario.targets?.(world) ?? [];

  const results: Written[] = [];
  for (const variant of VARIANTS) {
    scenario.reset?.(world);
    const env: Record<string, string> = { ...scenario.env };
    const summary = join(work, `${variant.name}.step-summary.md`);
    if (variant.github) {
      writeFileSync(summary, '# an earlier step\n');
      Object.assign(env, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    }
    const args = [...base, ...variant.flags, ...targets];
    const result = await runCli(run.bin, args, work, env);
    const exit = `${result.code ?? 'none'}${result.signal ? ` signal ${result.signal}` : ''}${result.killed ? ` (killed after ${KILL_AFTER_MS / 1000} s)` : ''}`;
    const out: [string, string][] = [
      [`${variant.name}.stdout.${variant.ext}`, normalise(result.stdout, variant.kind)],
      [`${variant.name}.stderr.txt`, normalise(result.stderr, 'plain')],
      [`${variant.name}.exit.txt`, `exit ${exit}\n`],
    ];
    if (variant.github) out.push([`${variant.name}.step-summary.md`, normalise(readFileSync(summary, 'utf8'), 'markdown')]);
    if (run.raw) out.push([`${variant.name}.raw.stdout.${variant.ext}`, result.stdout], [`${variant.name}.raw.stderr.txt`, result.stderr]);
    for (const [name, content] of out) writeFileSync(join(dir, name), content);
    results.push({ scenario: scenario.name, variant: variant.name, args: normalise(['outage', ...args].join(' '), 'plain'), exit, files: out.map(([name]) => name) });
  }
  results[0]?.files.unshift(...files);
  return results;
}

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

function runCli(bin: string, args: string[], cwd: string, extraEnv: Record<string, string>): Promise<CliResult> {
  // As test/helpers/cli.ts runs it: a minimal environment, no colour, no terminal.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TZ: 'UTC', ...extraEnv };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, killed, stdout, stderr });
    });
  });
}
