/**
 * Running commands and measuring them: wall time, peak RSS (from GNU time's rusage, exact), and
 * the gap between the last byte of output and the process exiting — which shows whether anything
 * was left holding the event loop.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUTAGE = join(ROOT, 'bin', 'outage.js');

export interface Sample {
  wallMs: number;
  /** Peak resident set size in MB, when GNU time is available. */
  peakRssMb?: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** From the last byte on stdout to exit. */
  tailMs: number;
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

const gnuTime = hasCommand('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'outage-bench-'));
// Peak-RSS files and the peers' configs, removed however the run ends.
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; rss?: boolean } = {}): Promise<Sample> {
  const rssFile = join(scratch, `rss-${counter++}`);
  const [cmd, argv] = options.rss && gnuTime ? [gnuTime, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = performance.now();
    let lastOutput = started;
    // A variable given as undefined is removed from the child's environment, not passed on.
    const env = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: '1', ...options.env }).filter(([, v]) => v !== undefined));
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      lastOutput = performance.now();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(options.input ?? '');
    child.on('close', (exitCode) => {
      const ended = performance.now();
      let peakRssMb: number | undefined;
      if (options.rss && gnuTime) {
        const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
        if (Number.isFinite(kb)) peakRssMb = kb / 1024;
      }
      resolve({ wallMs: ended - started, peakRssMb, exitCode, stdout, stderr, tailMs: stdout ? ended - lastOutput : 0 });
    });
  });
}

export function outage(args: string[], options: { env?: NodeJS.ProcessEnv; rss?: boolean } = {}): Promise<Sample> {
  return run(process.execPath, [OUTAGE, ...args], options);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const scratchDir = scratch;

/** A loopback port nothing listens on (for a moment): for servers the harness starts later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
