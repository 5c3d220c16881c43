/**
 * How soon a waiter notices a service that comes up: `outage wait` and `wait-on` (npm) run side by
 * side against the same loopback port, which starts listening 1–2 s (a random moment, so neither
 * tool's polling rhythm is favoured) after both are polling. Measured from the server's listen to
 * each tool's exit — what a deploy script waiting on `outage wait && …` sees.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort, median, OUTAGE, ROOT } from '../measure.js';
import { ms, ratio, type ScenarioResult, type Target } from './types.js';

const WAIT_ON = join(ROOT, 'node_modules', '.bin', 'wait-on');

interface Waiter {
  /** performance.now() when the process exited. */
  exited: Promise<{ at: number; code: number | null; output: string }>;
  /** Resolves once the tool is known to be polling (outage prints its first state line). */
  polling: Promise<void>;
}

function startWaiter(command: string, args: string[], pollingLine?: RegExp): Waiter {
  const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let markPolling: () => void = () => {};
  const polling = new Promise<void>((resolve) => (markPolling = resolve));
  if (!pollingLine) markPolling();
  child.stdout.on('data', (d) => {
    output += d;
    if (pollingLine?.test(output)) markPolling();
  });
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ at: number; code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      markPolling();
      resolve({ at: performance.now(), code, output });
    }),
  );
  return { exited, polling };
}

export async function waitScenario(runs = 5): Promise<ScenarioResult> {
  const haveWaitOn = existsSync(WAIT_ON);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const outage = startWaiter(process.execPath, [OUTAGE, 'wait', `http://127.0.0.1:${port}/`, '--timeout', '60s'], /tcp\.refused/);
    const waitOn = haveWaitOn ? startWaiter(WAIT_ON, ['--timeout', '60000', `http-get://127.0.0.1:${port}/`]) : undefined;
    // Both are polling once outage has printed its first refusal and a second has passed.
    await outage.polling;
    await sleep(1000 + Math.random() * 1000);
    const server = await listen(port);
    const upAt = performance.now();
    try {
      const [a, b] = await Promise.all([outage.exited, waitOn?.exited]);
      if (a.code !== 0) throw new Error(`wait: outage exit ${a.code}: ${a.output}`);
      ours.push(a.at - upAt);
      if (b) {
        if (b.code !== 0) throw new Error(`wait: wait-on exit ${b.code}: ${b.output}`);
        theirs.push(b.at - upAt);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const oursMedian = median(ours);
  const samples = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
  const rows = [['outage wait', ms(oursMedian), samples(ours)]];
  const targets: Target[] = [{ text: 'outage wait notices a service within 200 ms of it listening', measured: ms(oursMedian), met: oursMedian <= 200 }];
  const notes = [`${runs} runs; the service listens 1–2 s after both tools are polling; time from listen to exit. wait-on runs with its defaults (a GET every 250 ms).`];
  if (haveWaitOn) {
    const theirsMedian = median(theirs);
    rows.push(['wait-on', ms(theirsMedian), samples(theirs)], ['outage / wait-on', ratio(oursMedian / theirsMedian), '']);
    targets.push({ text: 'outage wait at least as fast as wait-on', measured: `${ms(oursMedian)} vs ${ms(theirsMedian)}`, met: oursMedian <= theirsMedian });
  } else {
    targets.push({ text: 'outage wait at least as fast as wait-on', measured: 'wait-on is not installed (npm install)', met: undefined });
  }
  return { title: 'Noticing a service that comes up (`wait`)', columns: ['tool', `median of ${runs}`, 'each run (ms)'], rows, targets, notes };
}

function listen(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
