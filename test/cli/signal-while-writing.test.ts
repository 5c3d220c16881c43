/**
 * A signal that arrives once every service is checked, while the results are being written: the
 * check is complete, so nothing is cut short — stdout and every report get the whole result — and
 * no temporary file is left behind, however the process ends. The signal is sent the moment the
 * first report's temporary file appears (a large report takes a while to write).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, configFile, startCli } from '../helpers/cli.js';
import { closedPort, ok, startHttp } from '../helpers/servers.js';

const SERVICES = 3000;
let config: string;
beforeAll(async () => {
  const port = await closedPort();
  const services = Array.from({ length: SERVICES }, (_, i) => ({ name: `svc${i}`, url: `http://127.0.0.1:${port}/${i}`, retries: 0 }));
  config = configFile({ services });
});
afterAll(() => rmSync(join(config, '..'), { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The signals sent, at the first temporary report file and `againAfterMs` later. */
  sent: number;
  files: string[];
  dir: string;
}

function interruptWhileWriting(signal: NodeJS.Signals, againAfterMs?: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'outage-signal-writing-'));
  const args = ['check', '--no-canaries', '-q', '-c', config, '--report', `json=${join(dir, 'r.json')}`, '--report', `junit=${join(dir, 'r.xml')}`];
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = 0;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const watcher = watch(dir, (_event, name) => {
    if (sent > 0 || !name?.endsWith('.tmp')) return;
    sent++;
    child.kill(signal);
    if (againAfterMs !== undefined) setTimeout(() => (sent++, child.kill(signal)), againAfterMs);
  });
  return new Promise((resolve) =>
    child.on('close', (code, signalled) => {
      watcher.close();
      resolve({ code, signal: signalled, stdout, stderr, sent, files: readdirSync(dir).sort(), dir });
    }),
  );
}

describe('a signal while the results are being written', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: stdout and every report get the whole result, with the check\'s own code', async (signal) => {
    const outcome = await interruptWhileWriting(signal);
    expect(outcome.sent).toBe(1);
    expect(outcome.files).toEqual(['r.json', 'r.xml']);
    const report = JSON.parse(readFileSync(join(outcome.dir, 'r.json'), 'utf8'));
    expect([report.services.length, report.interrupted, report.exitCode]).toEqual([SERVICES, false, 2]);
    expect(readFileSync(join(outcome.dir, 'r.xml'), 'utf8')).toContain(`tests="${SERVICES}"`);
    expect([outcome.code, outcome.signal]).toEqual([2, null]);
    expect(outcome.stdout).toMatch(new RegExp(`^DOWN · ${SERVICES} services: 0 up, ${SERVICES} down`));
    expect(outcome.stderr).toBe('');
    rmSync(outcome.dir, { recursive: true, force: true });
  });

  it('a second Ctrl-C exits at once, with no half-written file left', async () => {
    const outcome = await interruptWhileWriting('SIGINT', 0);
    expect(outcome.sent).toBe(2);
    expect(outcome.code).toBe(130);
    expect(outcome.files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(outcome.stderr).toBe('');
    rmSync(outcome.dir, { recursive: true, force: true });
  });
});

describe('Ctrl-C while a report waits for the reader of its named pipe', () => {
  it('stops waiting at once: exit 73 naming the pipe and how long it waited, the results still printed', async () => {
    const up = await startHttp(ok);
    const dir = mkdtempSync(join(tmpdir(), 'outage-signal-fifo-'));
    const fifo = join(dir, 'unread.xml');
    execFileSync('mkfifo', [fifo]);
    const running = startCli(['check', '--no-canaries', '--retries', '0', `${up.url}/`, '--report', `junit=${fifo}`]);
    // Checked once the server has answered; the pipe is then waited on for 3 s.
    while (up.requests < 1) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = performance.now();
    running.child.kill('SIGINT');
    const result = await running.result;
    await up.close();
    rmSync(dir, { recursive: true, force: true });
    expect(result.exitedAt - sentAt).toBeLessThan(500);
    expect(result.code).toBe(73);
    expect(result.stderr).toMatch(new RegExp(`^outage: cannot write the junit report to ${fifo}: it is a named pipe that no process is reading \\(stopped waiting for one after 0\\.\\d s: interrupted\\)\n$`));
    expect(result.stdout).toMatch(/UP · 1 service: 1 up/);
  });
});
