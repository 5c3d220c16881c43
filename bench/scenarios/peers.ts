/**
 * Peers on the same work: 200 https endpoints (each answering after 100 ms) checked by outage, by
 * `xargs -P 64 curl`, and by Prometheus blackbox_exporter's /probe, 64 requests at a time.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, hasCommand, median, outage, run, scratchDir } from '../measure.js';
import { delayed, type Fixtures } from '../fixtures.js';
import { ms, type ScenarioResult, type Target } from './types.js';

const COUNT = 200;
const PARALLEL = 64;

export async function peers(fx: Fixtures, runs = 3): Promise<ScenarioResult> {
  const servers = await Promise.all(Array.from({ length: COUNT }, () => fx.https(delayed(100))));
  const urls = servers.map((s) => `https://localhost:${s.port}/`);
  const config = join(scratchDir, 'peers.json');
  writeFileSync(config, JSON.stringify({ defaults: { retries: 0, concurrency: PARALLEL }, services: urls.map((url, i) => ({ name: `endpoint-${i}`, url })) }));
  const urlFile = join(scratchDir, 'urls.txt');
  writeFileSync(urlFile, `${urls.join('\n')}\n`);
  const notes: string[] = [`${COUNT} endpoints, ${PARALLEL} at a time for every tool, ${runs} runs each; outage's time includes its start-up, blackbox_exporter's excludes its own.`];

  const measure = async (fn: () => Promise<number>) => median(await sequence(runs, fn));
  const ours = await measure(async () => {
    const sample = await outage(['check', '-c', config, '-q'], { env: { NODE_EXTRA_CA_CERTS: fx.pki.rootFile } });
    if (sample.exitCode !== 0) throw new Error(`peers: outage exit ${sample.exitCode}: ${sample.stdout}`);
    return sample.wallMs;
  });
  const rows = [['outage check', ms(ours)]];
  const targets: Target[] = [];

  if (hasCommand('curl')) {
    const curl = await measure(async () => (await run('sh', ['-c', `xargs -P ${PARALLEL} -n 1 curl -sS -o /dev/null --cacert '${fx.pki.rootFile}' < '${urlFile}'`])).wallMs);
    rows.push([`xargs -P ${PARALLEL} curl`, ms(curl)]);
    targets.push({ text: 'outage ≤ parallel curl', measured: `${ms(ours)} vs ${ms(curl)}`, met: ours <= curl });
  } else {
    targets.push({ text: 'outage ≤ parallel curl', measured: 'curl not installed', met: undefined });
  }

  if (hasCommand('prometheus-blackbox-exporter')) {
    const blackbox = await blackboxExporter(fx.pki.rootFile);
    try {
      const wall = await measure(async () => {
        const started = performance.now();
        const bodies = await pool(urls, PARALLEL, async (url) => (await fetch(`${blackbox.url}/probe?module=https&target=${encodeURIComponent(url)}`)).text());
        const failed = bodies.filter((b) => !/^probe_success 1$/m.test(b)).length;
        if (failed) throw new Error(`blackbox_exporter: ${failed} probes failed`);
        return performance.now() - started;
      });
      rows.push(['blackbox_exporter /probe', ms(wall)]);
      targets.push({ text: 'outage ≤ blackbox_exporter', measured: `${ms(ours)} vs ${ms(wall)}`, met: ours <= wall });
    } finally {
      blackbox.stop();
    }
  } else {
    targets.push({ text: 'outage ≤ blackbox_exporter', measured: 'prometheus-blackbox-exporter not installed', met: undefined });
  }
  return { title: `Peers on the same work (${COUNT} https endpoints)`, columns: ['tool', 'wall (median)'], rows, targets, notes };
}

async function sequence<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}

async function blackboxExporter(caFile: string): Promise<{ url: string; stop(): void }> {
  const config = join(scratchDir, 'blackbox.yml');
  writeFileSync(config, `modules:\n  https:\n    prober: http\n    timeout: 10s\n    http:\n      preferred_ip_protocol: ip4\n      tls_config:\n        ca_file: ${caFile}\n`);
  const port = await freePort();
  const child = spawn('prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${url}/-/healthy`).then((r) => r.ok, () => false);
    if (ready) return { url, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('blackbox_exporter did not start');
}
