/**
 * Issue 15, must show 1: a real Prometheus (the Debian package) scrapes `outage serve` with
 * blackbox_exporter's relabel config, unchanged but for the exporter's address, and its HTTP API
 * then has probe_success per target and the failure code of the failing one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { testPki } from '../helpers/certs.js';
import { requires } from '../helpers/requires.js';
import { get, promtoolProblems, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { ok, startHttp, startHttps, type TestServer } from '../helpers/servers.js';

const withPrometheus = requires({ tools: [{ name: 'prometheus', install: 'apt-get install prometheus' }, { name: 'promtool', install: 'apt-get install prometheus' }] });

let healthy: TestServer;
let expired: TestServer;
let serve: RunningServe | undefined;
let prometheus: ChildProcess | undefined;
let prometheusLog = '';

/** A free loopback port for Prometheus, which cannot be told to pick one and say which. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(api: string, promql: string): Promise<VectorSample[]> {
  const answer = await get(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const parsed = JSON.parse(answer.body) as { status: string; data: { result: VectorSample[] } };
  return parsed.status === 'success' ? parsed.data.result : [];
}

/** Polls until `done` holds (Prometheus scrapes once a second here), or gives up after `ms`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  const until = performance.now() + ms;
  let value = await read();
  while (!done(value) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

beforeAll(async () => {
  const pki = await testPki();
  healthy = await startHttp(ok);
  expired = await startHttps(pki.expired, ok);
});

afterAll(async () => {
  const child = prometheus;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
  await serve?.stop();
  await Promise.all([healthy?.close(), expired?.close()]);
});

withPrometheus.it('is scraped by a real Prometheus with the blackbox relabel config', async () => {
  // The module the blackbox example names, so its scrape config works unchanged.
  serve = await startServe(['-c', writeConfig({ modules: { http_2xx: { timeout: '2s', retries: 0 } } })]);
  const exporter = serve.url.replace('http://', '');
  const healthyTarget = `${healthy.url}/`;
  const failingTarget = `https://localhost:${expired.port}/`;
  const dir = mkdtempSync(join(tmpdir(), 'outage-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: blackbox',
      '    metrics_path: /probe',
      '    params:',
      '      module: [http_2xx]',
      '    static_configs:',
      '      - targets:',
      `        - ${healthyTarget}`,
      `        - ${failingTarget}`,
      '    relabel_configs:',
      '      - source_labels: [__address__]',
      '        target_label: __param_target',
      '      - source_labels: [__param_target]',
      '        target_label: instance',
      '      - target_label: __address__',
      `        replacement: ${exporter}`,
      '  - job_name: outage_exporter',
      '    static_configs:',
      `      - targets: [${exporter}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  prometheus.stderr?.on('data', (d) => (prometheusLog += d));

  const success = await eventually(
    () => query(api, 'probe_success').catch(() => []),
    (r) => r.length === 2,
    30_000,
  );
  const byInstance = Object.fromEntries(success.map((s) => [s.metric.instance, s.value[1]]));
  expect(byInstance, prometheusLog.slice(-2000)).toEqual({ [healthyTarget]: '1', [failingTarget]: '0' });
  expect(success.every((s) => s.metric.job === 'blackbox')).toBe(true);

  const codes = await query(api, 'outage_probe_status == 1');
  // An up target's code is empty, which Prometheus stores as no label at all.
  const codeOf = Object.fromEntries(codes.map((s) => [s.metric.instance, `${s.metric.status} ${s.metric.code ?? '(no code)'}`]));
  expect(codeOf).toEqual({ [healthyTarget]: 'up (no code)', [failingTarget]: 'down tls.expired' });

  // An alert on the code label, as the README shows, selects exactly the failing target.
  const alert = await query(api, 'outage_probe_status{code=~"tls\\\\..*"} == 1');
  expect(alert.map((s) => s.metric.instance)).toEqual([failingTarget]);
  // The scrape of the failing target itself succeeded: failure is data, not a failed scrape.
  const up = await query(api, 'up{job="blackbox"}');
  expect(up.map((s) => s.value[1])).toEqual(['1', '1']);

  // The exporter's own page, scraped as the README's outage_exporter job: Prometheus parses it
  // (up 1), counts the probes it made, and promtool finds nothing to say about it.
  const own = await eventually(
    () => query(api, 'sum(outage_serve_probes_total)').catch(() => []),
    (r) => r.length === 1 && Number(r[0]?.value[1]) > 0,
    15_000,
  );
  expect(Number(own[0]?.value[1])).toBeGreaterThan(0);
  expect((await query(api, 'up{job="outage_exporter"}')).map((s) => s.value[1])).toEqual(['1']);
  expect(promtoolProblems((await get(`${serve.url}/metrics`)).body)).toBe('');
}, 60_000);
