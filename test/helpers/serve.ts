/**
 * `outage serve` in a subprocess, as a user runs it: started on port 0, its address read from the
 * line it prints on stderr, stopped (SIGTERM, then SIGKILL) whatever happens in the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

export interface RunningServe {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** SIGTERM and wait for the exit; SIGKILL after `killAfterMs`. */
  stop(killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`outage serve did not start within 15 s:\n${stderr}`)), 15_000);
    child.stderr?.on('data', (d) => {
      stderr += d;
      const found = /listening on (https?:\/\/\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`outage serve exited (${code}) before listening:\n${stderr}`));
    });
  });
  child.stdout?.resume();
  return {
    child,
    url,
    stderr: () => stderr,
    exited,
    async stop(killAfterMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, stderr };
    },
  };
}

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/** A GET with chosen headers (and a CA for https); never throws for an HTTP status. */
export function get(url: string, headers: Record<string, string> = {}, ca?: string): Promise<Fetched> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { headers, agent: false, ...(ca ? { ca } : {}) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (d) => (body += d));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, ms: performance.now() - started }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** The value of a sample (`name{labels}` exactly as written, or a bare name). */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (line.slice(0, space) === series) return Number(line.slice(space + 1));
  }
  return undefined;
}

/** `promtool check metrics` on exposition text: its complaints, '' when it has none. */
export function promtoolProblems(text: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}`.trim();
}

/** A config file in a fresh temporary directory. */
export function writeConfig(config: unknown, name = 'outage.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-serve-'));
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}
