/**
 * Peers on the same work, side by side in one run: outage (start-up included) against Prometheus
 * blackbox_exporter's /probe (already running and warm) at 200 services 64 at a time, 200 all at
 * once and 1000 all at once, against Node's own floor (a bare https.get per URL, judging nothing)
 * at each, and against `xargs -P 64 curl` at 200@64. Every service is a loopback
 * HTTPS URL that answers after 200 ms. Runs alternate between the tools so load from elsewhere on
 * the machine hits both alike; medians are compared.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, hasCommand, median, outage, run, scratchDir } from '../measure.js';
import { delayed, type Fixtures } from '../fixtures.js';
import { ms, ratio, type ScenarioResult, type Target } from './types.js';

/**
 * Node's own floor for the same work: a process that makes one `https.get` per URL, `parallel` at a
 * time, a new connection each (as outage and blackbox make), and judges and prints nothing. Any
 * Node client pays at least this: it shows how much of a gap to blackbox is Node's and how much outage's.
 */
const NODE_FLOOR = `
const urls = require('node:fs').readFileSync(process.argv[1], 'utf8').trim().split('\\n');
let next = 0;
const one = () => { const url = urls[next++]; if (url === undefined) return;
  require('node:https').get(url, { agent: false }, (res) => { res.resume(); res.on('end', one); }).on('error', (e) => { console.error(e.message); process.exit(1); }); };
for (let i = 0; i < Number(process.argv[2]); i++) one();
`;

/**
 * What worker threads could reach at best: the same services split in two halves, each checked by
 * its own outage process at half the concurrency, both at once (each process starts up, as a
 * worker would load the CLI again). The wall is until both have answered. No merging, no
 * coordination: an upper bound for "use every core" on this machine, measured rather than argued.
 */
async function splitInTwo(config: { services: unknown[] }, name: string, parallel: number, env: NodeJS.ProcessEnv): Promise<number> {
  const half = Math.ceil(config.services.length / 2);
  const files = [config.services.slice(0, half), config.services.slice(half)].map((services, i) => {
    const file = join(scratchDir, `${name}-half-${i}.json`);
    writeFileSync(file, JSON.stringify({ ...config, services }));
    return file;
  });
  const started = performance.now();
  const samples = await Promise.all(files.map((file) => outage(['check', '-c', file, '--concurrency', String(Math.max(1, Math.floor(parallel / 2))), '--json'], { env })));
  const wall = performance.now() - started;
  const failed = samples.find((s) => s.exitCode !== 0);
  if (failed) throw new Error(`outage split in two failed (exit ${failed.exitCode}): ${failed.stderr}`);
  return wall;
}

const WORK: [count: number, parallel: number][] = [
  [200, 64],
  [200, 200],
  [1000, 1000],
];

export async function peers(fx: Fixtures, runs = 3): Promise<ScenarioResult> {
  const server = await fx.https(delayed(200));
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const blackbox = hasCommand('prometheus-blackbox-exporter') ? await blackboxExporter(fx.pki.rootFile) : undefined;
  const rows: string[][] = [];
  const targets: Target[] = [];
  try {
    for (const [count, parallel] of WORK) {
      const urls = Array.from({ length: count }, (_, i) => `https://localhost:${server.port}/?delay=200&i=${i}`);
      const config = join(scratchDir, `peers-${count}.json`);
      const configData = { defaults: { retries: 0 }, services: urls.map((url, i) => ({ name: `endpoint-${i}`, url })) };
      writeFileSync(config, JSON.stringify(configData));
      const urlFile = join(scratchDir, `urls-${count}.txt`);
      writeFileSync(urlFile, `${urls.join('\n')}\n`);
      const ours: number[] = [];
      const theirs: number[] = [];
      const floor: number[] = [];
      const split: number[] = [];
      let outcome = '';
      // Every service answers in 200 ms: any slow or down verdict in any run is outage's own load.
      let falseAlarms = 0;
      // Warm: the first probes pay for Go's TLS and DNS set-up, which a running exporter has paid.
      if (blackbox) await blackbox.probeAll(urls.slice(0, 50), 50);
      for (let i = 0; i < runs; i++) {
        const sample = await outage(['check', '-c', config, '--concurrency', String(parallel), '--json'], { env });
        const counts = JSON.parse(sample.stdout).counts as Record<string, number>;
        outcome = `${counts.up} up${counts.degraded ? `, ${counts.degraded} slow` : ''}${counts.down ? `, ${counts.down} down` : ''}`;
        falseAlarms += count - (counts.up ?? 0);
        ours.push(sample.wallMs);
        if (blackbox) theirs.push(await blackbox.probeAll(urls, parallel));
        const bare = await run(process.execPath, ['-e', NODE_FLOOR, urlFile, String(parallel)], { env });
        if (bare.exitCode !== 0) throw new Error(`Node's https.get floor failed: ${bare.stderr}`);
        floor.push(bare.wallMs);
        split.push(await splitInTwo(configData, `peers-${count}`, parallel, env));
      }
      const label = `${count} services, ${parallel} at a time`;
      const [o, b] = [median(ours), theirs.length ? median(theirs) : undefined];
      rows.push([label, 'outage check', ms(o), outcome, b === undefined ? '' : ratio(o / b)]);
      rows.push([label, "node: https.get each (Node's floor)", ms(median(floor)), '', ratio(o / median(floor))]);
      rows.push([label, 'outage split in two processes (what worker threads could reach)', ms(median(split)), b === undefined ? '' : `${ratio(median(split) / b)} blackbox`, ratio(o / median(split))]);
      if (b !== undefined) {
        rows.push([label, 'blackbox_exporter /probe', ms(b), `${count} up`, '1.00×']);
        targets.push({ text: `${count}@${parallel}: outage (start-up included) ≤ blackbox_exporter`, measured: `${ms(o)} vs ${ms(b)} (${ratio(o / b)})`, met: o <= b });
      } else {
        targets.push({ text: `${count}@${parallel}: outage ≤ blackbox_exporter`, measured: 'prometheus-blackbox-exporter not installed', met: undefined });
      }
      targets.push({ text: `${count}@${parallel}: no service slow or down because of outage's own load, in any run`, measured: `${falseAlarms} of ${count * runs}`, met: falseAlarms === 0 });
      if (count === 200 && parallel === 64 && hasCommand('curl')) {
        const curl: number[] = [];
        for (let i = 0; i < runs; i++) curl.push((await run('sh', ['-c', `xargs -P ${parallel} -n 1 curl -sS -o /dev/null --cacert '${fx.pki.rootFile}' < '${urlFile}'`])).wallMs);
        rows.push([label, `xargs -P ${parallel} curl`, ms(median(curl)), '', ratio(o / median(curl))]);
        targets.push({ text: '200@64: outage ≤ parallel curl', measured: `${ms(o)} vs ${ms(median(curl))}`, met: o <= median(curl) });
      }
    }
  } finally {
    blackbox?.stop();
  }
  const notes = [
    `${runs} runs each, the tools alternating; every service answers after 200 ms. outage's time includes its start-up; blackbox_exporter was started before and warmed, and its time is from the first /probe request to the last answer. "Node's floor" is a node process (start-up included) making one https.get per URL at the same concurrency and judging nothing; its ratio column is outage / floor. "Split in two" is two outage processes at once, each with half the services at half the concurrency, timed until both answer: the most worker threads could gain on this machine (each worker would load the CLI again, as each process does); its ratio column is outage / split.`,
    'The HTTPS server runs in the harness process, on the same cores as the tools it serves.',
  ];
  return { title: 'Peers on the same work (loopback HTTPS answering after 200 ms)', columns: ['work', 'tool', 'wall (median)', 'last run', 'outage / tool'], rows, targets, notes };
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}

interface Blackbox {
  /** Wall time of probing every URL through /probe, `parallel` requests at a time. */
  probeAll(urls: string[], parallel: number): Promise<number>;
  stop(): void;
}

async function blackboxExporter(caFile: string): Promise<Blackbox> {
  const config = join(scratchDir, 'blackbox.yml');
  writeFileSync(config, `modules:\n  https:\n    prober: http\n    timeout: 10s\n    http:\n      preferred_ip_protocol: ip4\n      tls_config:\n        ca_file: ${caFile}\n`);
  const port = await freePort();
  const child = spawn('prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const probeAll = async (urls: string[], parallel: number) => {
    const started = performance.now();
    const bodies = await pool(urls, parallel, async (target) => (await fetch(`${url}/probe?module=https&target=${encodeURIComponent(target)}`)).text());
    const wall = performance.now() - started;
    const failed = bodies.filter((b) => !/^probe_success 1$/m.test(b)).length;
    if (failed) throw new Error(`blackbox_exporter: ${failed} probes failed`);
    return wall;
  };
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${url}/-/healthy`).then((r) => r.ok, () => false);
    if (ready) {
      return { probeAll, stop: () => child.kill() };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('blackbox_exporter did not start');
}
