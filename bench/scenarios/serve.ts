/**
 * `outage serve` under a burst: 1000 /probe requests fired at once (rate limit off, the default
 * concurrency cap of 32 and its queue), twice. Peak and settled RSS show memory stays bounded, and
 * the second burst shows it does not grow per request.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { OUTAGE } from '../measure.js';
import { delayed, type Fixtures } from '../fixtures.js';
import { mb, ms, type ScenarioResult } from './types.js';

const BURST = 1000;

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(-1));
    req.end();
  });
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `outage serve` on a free loopback port; resolves once it says where it listens. */
function startServe(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [OUTAGE, 'serve', '--listen', '127.0.0.1:0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const found = /listening on (http:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1] as string);
    });
    void exited.then(() => reject(new Error(`outage serve exited:\n${stderr}`)));
  });
  return {
    child,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function serveBurst(fx: Fixtures): Promise<ScenarioResult> {
  const target = await fx.https(delayed(0));
  const serve = await startServe(['--rate-limit', '0'], { NODE_EXTRA_CA_CERTS: fx.pki.rootFile });
  const pid = serve.child.pid ?? 0;
  const url = `${await serve.url}/probe?target=${encodeURIComponent(`https://localhost:${target.port}/?delay=0`)}`;
  try {
    await statusOf(url); // warm: the first https check parses the root store
    const idle = rssMb(pid, 'VmRSS');
    const rows: string[][] = [];
    const counts: Record<number, number>[] = [];
    let wall = 0;
    for (const round of [1, 2]) {
      const started = performance.now();
      const statuses = await Promise.all(Array.from({ length: BURST }, () => statusOf(url)));
      wall = performance.now() - started;
      const count: Record<number, number> = {};
      for (const s of statuses) count[s] = (count[s] ?? 0) + 1;
      counts.push(count);
      rows.push([`burst ${round}: answers`, Object.entries(count).map(([s, n]) => `${n}× ${s}`).join(', ')]);
      rows.push([`burst ${round}: wall`, ms(wall)]);
      rows.push([`burst ${round}: RSS after`, mb(rssMb(pid, 'VmRSS'))]);
    }
    const peak = rssMb(pid, 'VmHWM');
    const settled = rssMb(pid, 'VmRSS');
    rows.unshift(['RSS idle (after one probe)', mb(idle)], ['peak RSS (VmHWM)', mb(peak)]);
    const onlyExpected = counts.every((c) => Object.keys(c).every((s) => ['200', '503'].includes(s)));
    const growth = idle !== undefined && peak !== undefined ? peak - idle : undefined;
    return {
      title: `outage serve: ${BURST} scrapes at once, twice`,
      columns: ['', 'value'],
      rows,
      targets: [
        { text: `every one of ${BURST} answered 200 (or 503 when the queue is full), never an error`, measured: counts.map((c) => JSON.stringify(c)).join(' then '), met: onlyExpected },
        { text: 'peak RSS < idle + 150 MB', measured: mb(growth), met: growth === undefined ? undefined : growth < 150 },
      ],
      notes: ['Rate limit off; --max-concurrent 32 with a queue of 256: the rest are 503 at once with Retry-After.', `Settled RSS after both bursts: ${mb(settled)}.`],
    };
  } finally {
    await serve.stop();
  }
}
