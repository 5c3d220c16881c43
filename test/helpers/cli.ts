/** Runs the real executable in a subprocess, as a user or a CI job would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/outage.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** performance.now() in the test process when the child exited. */
  exitedAt: number;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called once the process has started; lets a test send it a signal. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves with stdout so far once it matches, rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  result: Promise<CliResult>;
}

export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout?.on('data', (d) => {
    stdout += d;
    for (const check of watchers) check();
  });
  child.stderr?.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      const exitedAt = performance.now();
      resolve({ code, signal, stdout, stderr, durationMs: exitedAt - started, exitedAt });
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`no ${pattern} in stdout within ${timeoutMs}ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      function check() {
        if (!pattern.test(stdout)) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve(stdout);
      }
      watchers.add(check);
      check();
    });
  return { child, waitFor, result };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** A config file in a fresh directory: an object is written as JSON, a string as is. */
export function configFile(content: unknown, name = 'outage.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-cli-'));
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
