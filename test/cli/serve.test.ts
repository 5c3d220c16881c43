/**
 * `outage serve` as a subprocess: /probe answers metrics and JSON, failure is data (200 with
 * probe_success 0 and the code), bad queries are 400, the scrape timeout bounds a probe, the
 * exporter's own metrics, health, and a graceful SIGTERM.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { requires } from '../helpers/requires.js';
import { get, promtoolProblems, sample, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { closedPort, ok, respond, startHttp, startHttps, type TestServer } from '../helpers/servers.js';

let healthy: TestServer;
let failing: TestServer;
let expired: TestServer;
let hanging: TestServer;
let h2: Http2SecureServer;
const h2Sessions = new Set<ServerHttp2Session>();
let dns: TestDnsServer;
let serve: RunningServe;
const probe = (query: string, headers: Record<string, string> = {}) => get(`${serve.url}/probe?${query}`, headers);

beforeAll(async () => {
  const pki = await testPki();
  healthy = await startHttp(ok);
  failing = await startHttp(respond(503));
  expired = await startHttps(pki.expired, ok);
  hanging = await startHttp(() => {});
  // An HTTP/2-only server (node:http2 without allowHTTP1): outage asks again offering h2.
  h2 = createSecureServer({ ...pki.valid, allowHTTP1: false }, (_req, res) => res.end('h2 ok'));
  h2.on('session', (session) => h2Sessions.add(session));
  await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
  dns = await startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] } }));
  const config = writeConfig({
    defaults: { timeout: '3s', retries: 0 },
    services: [{ name: 'configured', url: healthy.url, http: { headers: { Authorization: 'Bearer very-secret-token-123' } } }],
    modules: {
      named: { resolvers: [dns.address], timeout: '2s', retries: 0 },
      expect503: { http: { expect: { status: 503 } } },
      trustTestRoot: { tls: { ca: pki.rootFile } },
    },
  });
  serve = await startServe(['-c', config]);
});

afterAll(async () => {
  await serve?.stop();
  await Promise.all([healthy, failing, expired, hanging].map((s) => s?.close()));
  await dns?.close();
  await new Promise<void>((resolve) => {
    if (!h2) return resolve();
    h2.close(() => resolve());
    for (const session of h2Sessions) session.destroy();
  });
});

describe('GET /probe', () => {
  it('answers a healthy target with blackbox metric names and outage_probe_status up', async () => {
    const answer = await probe(`target=${encodeURIComponent(healthy.url)}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(answer.body, 'probe_success')).toBe(1);
    expect(sample(answer.body, 'probe_http_status_code')).toBe(200);
    expect(sample(answer.body, 'probe_http_version')).toBe(1.1);
    expect(sample(answer.body, 'outage_probe_status{status="up",code=""}')).toBe(1);
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
      expect(sample(answer.body, `probe_http_duration_seconds{phase="${phase}"}`)).toBeGreaterThanOrEqual(0);
    }
    expect(sample(answer.body, 'probe_duration_seconds')).toBeGreaterThan(0);
  });

  it('says probe_http_version 2 for an HTTP/2-only server, as blackbox_exporter does', async () => {
    const port = (h2.address() as { port: number }).port;
    const answer = await probe(`target=${encodeURIComponent(`https://localhost:${port}/`)}&module=trustTestRoot`);
    expect(sample(answer.body, 'probe_success')).toBe(1);
    expect(sample(answer.body, 'probe_http_version')).toBe(2);
    expect(answer.body).toContain('# HELP probe_http_version Returns the version of HTTP of the probe response (1.0, 1.1, 2).');
  });

  it('answers a failing target 200 with probe_success 0 and the failure code: failure is data', async () => {
    const down = await probe(`target=${encodeURIComponent(failing.url)}`);
    expect(down.status).toBe(200);
    expect(sample(down.body, 'probe_success')).toBe(0);
    expect(sample(down.body, 'probe_http_status_code')).toBe(503);
    expect(sample(down.body, 'outage_probe_status{status="down",code="http.status"}')).toBe(1);

    const tls = await probe(`target=${encodeURIComponent(`https://localhost:${expired.port}/`)}`);
    expect(tls.status).toBe(200);
    expect(sample(tls.body, 'probe_success')).toBe(0);
    expect(sample(tls.body, 'outage_probe_status{status="down",code="tls.expired"}')).toBe(1);
    expect(sample(tls.body, 'probe_ssl_earliest_cert_expiry')).toBeLessThan(Date.now() / 1000);
    expect(sample(tls.body, 'probe_tls_version_info{version="TLS 1.3"}')).toBe(1);
  });

  requires({ tools: ['promtool'] }).it('writes metrics that pass promtool check metrics', async () => {
    for (const target of [healthy.url, failing.url, `https://localhost:${expired.port}/`, `127.0.0.1:${healthy.port}`]) {
      const answer = await probe(`target=${encodeURIComponent(target)}`);
      expect(promtoolProblems(answer.body), target).toBe('');
    }
    expect(promtoolProblems((await get(`${serve.url}/metrics`)).body)).toBe('');
  });

  it('applies a module: its resolvers reach a name the system cannot resolve, its expectations judge', async () => {
    const named = await probe(`target=${encodeURIComponent(`http://app.test:${healthy.port}/`)}&module=named`);
    expect(sample(named.body, 'probe_success')).toBe(1);
    expect(sample(named.body, 'probe_dns_lookup_time_seconds')).toBeGreaterThanOrEqual(0);
    const expected = await probe(`target=${encodeURIComponent(failing.url)}&module=expect503`);
    expect(sample(expected.body, 'probe_success')).toBe(1);
  });

  it('probes a configured service by name, its secret header never in the answer', async () => {
    const answer = await probe('service=configured');
    expect(answer.status).toBe(200);
    expect(sample(answer.body, 'probe_success')).toBe(1);
    const json = await probe('service=configured&format=json');
    expect(json.body).not.toContain('very-secret-token-123');
  });

  it('never echoes the password of a target URL, in metrics, JSON or a 400', async () => {
    const secret = 'pw-never-shown-42';
    const withAuth = healthy.url.replace('http://', `http://admin:${secret}@`);
    const metrics = await probe(`target=${encodeURIComponent(withAuth)}`);
    expect(sample(metrics.body, 'probe_success')).toBe(1);
    const json = await probe(`target=${encodeURIComponent(withAuth)}&format=json`);
    const bad = await probe(`target=${encodeURIComponent(`https://admin:${secret}@x.test:99999/`)}`);
    expect(bad.status).toBe(400);
    for (const text of [metrics.body, json.body, bad.body, (await get(`${serve.url}/metrics`)).body, serve.stderr()]) expect(text).not.toContain(secret);
  });

  it('returns the report check --json prints with format=json', async () => {
    const answer = await probe(`target=${encodeURIComponent(failing.url)}&format=json`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const report = JSON.parse(answer.body);
    expect(report.schemaVersion).toBe(1);
    expect(report.services[0]).toMatchObject({ status: 'down', code: 'http.status', target: `${failing.url}/` });
  });

  it.each([
    ['', /target parameter is missing/],
    ['target=', /target must be/],
    [`target=${encodeURIComponent('https://x.test/')}&module=nope`, /unknown module "nope" \(modules in the config: named, expect503, trustTestRoot\)/],
    ['target=not%20a%20target', /neither a configured service/],
    ['target=x&service=y', /not both/],
    ['service=configured&module=named', /module applies to targets/],
    ['target=x&format=xml', /format must be prometheus or json/],
  ])('answers a bad query %j with 400 and a clear message', async (query, message) => {
    const answer = await probe(query);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(message);
  });

  it('takes a scrape timeout too long for a timer as the longest budget, not as none: a scrape waits its turn', async () => {
    const own = await startServe(['--max-concurrent', '1']);
    let arrived: () => void = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await startHttp((req, res) => {
      arrived();
      setTimeout(() => ok(req, res), 300);
    });
    try {
      const first = get(`${own.url}/probe?target=${encodeURIComponent(slow.url)}`);
      await requested; // the one slot is taken
      const waiting = await Promise.all(['1e308', '3000000'].map((seconds) => get(`${own.url}/probe?target=${encodeURIComponent(healthy.url)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': seconds })));
      expect(waiting.map((a) => a.status)).toEqual([200, 200]);
      expect((await first).status).toBe(200);
      expect(own.stderr()).not.toMatch(/Warning/);
    } finally {
      await own.stop();
      await slow.close();
    }
  });

  it('a probe that timed out in the time its wait for a slot took is 503 (outage overloaded), never a false probe_success 0', async () => {
    const own = await startServe(['--max-concurrent', '1']);
    let arrived: () => void = () => {};
    // Answers in 1 s: well within a 2 s scrape (1.5 s of budget) on its own.
    const slow = await startHttp((req, res) => {
      arrived();
      setTimeout(() => ok(req, res), 1000);
    });
    const refused = `http://127.0.0.1:${await closedPort()}/`;
    const scrape = (url: string) => get(`${own.url}/probe?target=${encodeURIComponent(url)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': '2' });
    /** Takes the one slot for ~1 s, then scrapes `url`, which waits that second for its turn. */
    const afterAWait = async (url: string) => {
      const requested = new Promise<void>((resolve) => (arrived = resolve));
      const first = scrape(slow.url);
      await requested;
      const queued = await scrape(url);
      expect((await first).status).toBe(200);
      return queued;
    };
    try {
      const queued = await afterAWait(slow.url);
      expect(queued.status, queued.body).toBe(503);
      expect(queued.body).toMatch(/ran out of time after waiting [\d.]+ s for a slot/);
      expect(queued.headers['retry-after']).toBe('1');
      // A failure that is no timer running out is the target's, however long the wait was.
      const refusedAfterWait = await afterAWait(refused);
      expect(refusedAfterWait.status).toBe(200);
      expect(refusedAfterWait.body).toContain('code="tcp.refused"');
      const metrics = (await get(`${own.url}/metrics`)).body;
      expect(sample(metrics, 'outage_serve_requests_refused_total{reason="overloaded"}')).toBe(1);
      expect(sample(metrics, 'outage_serve_probes_total{status="down"}')).toBe(1);
    } finally {
      await own.stop();
      await slow.close();
    }
  });

  it('gives the first attempt the whole scrape budget, as blackbox_exporter does; a quick failure is still retried', async () => {
    const own = await startServe(['-c', writeConfig({ defaults: { timeout: '10s', retries: 1 } })]);
    // Answers in 1.2 s: within a 2.5 s scrape (2 s of budget), where half the budget each would time out.
    const slow = await startHttp((req, res) => setTimeout(() => ok(req, res), 1200));
    let requests = 0;
    const flaky = await startHttp((req, res) => (++requests === 1 ? req.socket.destroy() : ok(req, res)));
    try {
      const scrape = (url: string) => get(`${own.url}/probe?target=${encodeURIComponent(url)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': '2.5' });
      const answer = await scrape(slow.url);
      expect(answer.status).toBe(200);
      expect(sample(answer.body, 'probe_success'), answer.body).toBe(1);
      const retried = await scrape(flaky.url);
      expect(retried.status).toBe(200);
      expect(requests).toBe(2);
      expect(retried.body).not.toContain('code="http.timeout"');
    } finally {
      await own.stop();
      await slow.close();
      await flaky.close();
    }
  });

  it('ends a probe within X-Prometheus-Scrape-Timeout-Seconds minus 0.5 s', async () => {
    const answer = await probe(`target=${encodeURIComponent(hanging.url)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' });
    expect(answer.status).toBe(200);
    expect(sample(answer.body, 'probe_success')).toBe(0);
    expect(answer.body).toContain('code="http.timeout"');
    // 1 s of budget; the config's own 3 s would have waited longer (slack for a loaded machine).
    expect(answer.ms).toBeLessThan(2500);
  });
});

describe('the exporter itself', () => {
  it('keeps /metrics to the same series however many distinct targets, modules and refusals scrapers send', async () => {
    const own = await startServe(['-c', writeConfig({ modules: { a: {}, b: { timeout: '2s' } } })]);
    try {
      const series = async () => (await get(`${own.url}/metrics`)).body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
      const before = await series();
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const target = i % 3 === 2 ? `http://169.254.${i}.1/` : `${healthy.url}/path-${i}?q=${'x'.repeat(i)}`;
          return get(`${own.url}/probe?target=${encodeURIComponent(target)}&module=${i % 2 ? 'a' : 'b'}`);
        }),
      );
      await get(`${own.url}/probe?target=${encodeURIComponent(healthy.url)}&module=nope`);
      await get(`${own.url}/no-such-path-${'y'.repeat(100)}`);
      expect(await series()).toEqual(before);
      expect(sample((await get(`${own.url}/metrics`)).body, 'outage_serve_requests_refused_total{reason="forbidden_target"}')).toBe(20);
    } finally {
      await own.stop();
    }
  });

  it('answers HEAD with the headers GET would send, Content-Length included, and no body', async () => {
    const head = (path: string) =>
      new Promise<{ status: number; length: string | undefined; type: string | undefined; body: string }>((resolve, reject) => {
        const req = request(`${serve.url}${path}`, { method: 'HEAD', agent: false }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], type: res.headers['content-type'], body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await head('/-/healthy')).toEqual({ status: 200, length: '3', type: 'text/plain; charset=utf-8', body: '' });
    const probed = await head(`/probe?target=${encodeURIComponent(healthy.url)}`);
    expect(probed).toMatchObject({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: '' });
    expect(Number(probed.length)).toBeGreaterThan(500);
  });

  it('serves its own and process metrics, health and readiness', async () => {
    const metrics = await get(`${serve.url}/metrics`);
    expect(metrics.status).toBe(200);
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'process_start_time_seconds', 'process_open_fds', 'outage_serve_probes_in_flight', 'outage_serve_errors_total']) {
      expect(metrics.body).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(sample(metrics.body, 'outage_serve_probes_total{status="down"}')).toBeGreaterThan(0);
    expect(sample(metrics.body, 'outage_serve_requests_refused_total{reason="bad_request"}')).toBeGreaterThan(0);
    expect(metrics.body).toMatch(/^outage_serve_probe_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(metrics.body).not.toContain('very-secret-token-123');
    expect((await get(`${serve.url}/-/healthy`)).status).toBe(200);
    expect((await get(`${serve.url}/-/ready`)).status).toBe(200);
    expect((await get(`${serve.url}/nothing-here`)).status).toBe(404);
  });
});

/** One request written as raw bytes, for request targets no HTTP client would send. */
function rawGet(base: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
  });
}

describe('clients that hold a connection', () => {
  it('a request whose body trickles in is cut off within 16 s, and the exporter keeps answering', async () => {
    const { hostname, port } = new URL(serve.url);
    const started = performance.now();
    const socket = connect(Number(port), hostname, () => socket.write(`POST /probe?target=x HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: 1000\r\n\r\n`));
    const trickle = setInterval(() => socket.writable && socket.write('x'), 500);
    socket.on('error', () => {});
    try {
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      expect(performance.now() - started).toBeLessThan(20_000);
      expect((await get(`${serve.url}/-/healthy`)).status).toBe(200);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }, 30_000);
});

describe('request targets', () => {
  it('a path is a path: //probe is 404, never the HTML index Prometheus cannot parse', async () => {
    const query = `?target=${encodeURIComponent(healthy.url)}`;
    for (const path of ['//probe', '//metrics', '//example.test/', '/probe/', '/metrics/']) {
      const answer = await rawGet(serve.url, `${path}${query}`);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toContain('not found');
    }
    // The absolute form (as sent to a proxy) still names the path.
    expect((await rawGet(serve.url, `http://127.0.0.1/metrics`)).status).toBe(200);
  });

  it('a request target that is no URL is a bad request (400), never a 500 counted as a bug in outage', async () => {
    const own = await startServe([]);
    try {
      for (const target of ['http://[x/', 'http://%zz/', 'http://a:b@c:99999/metrics', 'http://[::1/probe']) {
        const answer = await rawGet(own.url, target);
        expect(answer.status, target).toBe(400);
      }
      const metrics = await get(`${own.url}/metrics`);
      expect(sample(metrics.body, 'outage_serve_errors_total')).toBe(0);
      expect(sample(metrics.body, 'outage_serve_requests_refused_total{reason="bad_request"}')).toBe(4);
    } finally {
      await own.stop();
    }
  });
});

describe('a scraper that hangs up', () => {
  it('stops its probe, and is no refusal: outage_serve_requests_refused_total{reason="shutting_down"} stays 0', async () => {
    const own = await startServe([]);
    let arrived: () => void = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    let closed: () => void = () => {};
    const hungUp = new Promise<void>((resolve) => (closed = resolve));
    const stuck = await startHttp((req) => {
      arrived();
      req.socket.on('close', closed);
    });
    try {
      const scrape = request(`${own.url}/probe?target=${encodeURIComponent(stuck.url)}`, { agent: false });
      scrape.on('error', () => {});
      scrape.end();
      await requested;
      scrape.destroy();
      await hungUp; // the probe was stopped: its connection to the target closed
      let metrics = await get(`${own.url}/metrics`);
      // It winds down a moment after its connection closes.
      for (let i = 0; i < 100 && sample(metrics.body, 'outage_serve_probes_in_flight') !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        metrics = await get(`${own.url}/metrics`);
      }
      expect(sample(metrics.body, 'outage_serve_probes_in_flight')).toBe(0);
      expect(sample(metrics.body, 'outage_serve_requests_refused_total{reason="shutting_down"}')).toBe(0);
      expect((await get(`${own.url}/-/ready`)).status).toBe(200);
    } finally {
      await own.stop();
      await stuck.close();
    }
  });
});

describe('the config, read once', () => {
  it("a target's scrape does not depend on other services' files: one that became unreadable after start-up breaks nothing else", async () => {
    const pki = await testPki();
    const config = writeConfig({ services: [{ name: 'internal', url: `https://localhost:${expired.port}/`, tls: { ca: './ca.pem' } }] });
    const ca = join(dirname(config), 'ca.pem');
    writeFileSync(ca, pki.root.certPem);
    const own = await startServe(['-c', config]);
    try {
      rmSync(ca);
      const answer = await get(`${own.url}/probe?target=${encodeURIComponent(healthy.url)}`);
      expect(answer.status, answer.body).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(1);
    } finally {
      await own.stop();
    }
  });
});

describe('start-up', () => {
  it('validates the whole config, modules included, before it listens: exit 78', async () => {
    const config = writeConfig({ modules: { quick: { timout: '1s' }, tlsed: { tls: { ca: './missing-ca.pem' } } } });
    await expect(startServe(['-c', config])).rejects.toThrow(/exited \(78\)[\s\S]*modules\.quick\.timout: unknown key \(did you mean "timeout"\?\)/);
    const files = writeConfig({ modules: { tlsed: { tls: { ca: './missing-ca.pem' } } } });
    await expect(startServe(['-c', files])).rejects.toThrow(/exited \(78\)[\s\S]*modules\.tlsed[\s\S]*missing-ca\.pem/);
  });

  it('refuses a bad --listen and a port in use with exit 64', async () => {
    await expect(startServe(['--listen', '127.0.0.1:99999'])).rejects.toThrow(/exited \(64\)[\s\S]*--listen "127\.0\.0\.1:99999": expected host:port/);
    const taken = new URL(serve.url).port;
    await expect(startServe(['--listen', `127.0.0.1:${taken}`])).rejects.toThrow(/exited \(64\)[\s\S]*already in use/);
  });
});

describe('shutdown', () => {
  it('on SIGTERM stops accepting, lets a probe in flight finish and exits 0', async () => {
    const own = await startServe([]);
    let arrived: () => void = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await startHttp((req, res) => {
      arrived();
      setTimeout(() => ok(req, res), 600);
    });
    try {
      const inFlight = get(`${own.url}/probe?target=${encodeURIComponent(slow.url)}`);
      await requested; // the probe is in flight: its request reached the target
      const stopped = own.stop();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(1);
      const exit = await stopped;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain('SIGTERM: stopping');
    } finally {
      await own.stop();
      await slow.close();
    }
  });

  it('on SIGTERM answers a scrape still waiting for a slot 503 at once, never starting its probe, while the one in flight finishes', async () => {
    const own = await startServe(['--max-concurrent', '1', '--shutdown-grace', '10s']);
    let arrived: () => void = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await startHttp((req, res) => {
      arrived();
      setTimeout(() => ok(req, res), 1500);
    });
    let queuedProbed = 0;
    const queuedTarget = await startHttp((req, res) => {
      queuedProbed++;
      ok(req, res);
    });
    try {
      const inFlight = get(`${own.url}/probe?target=${encodeURIComponent(slow.url)}`);
      await requested; // the one slot is taken
      const queued = get(`${own.url}/probe?target=${encodeURIComponent(queuedTarget.url)}`);
      for (let i = 0; i < 200 && sample((await get(`${own.url}/metrics`)).body, 'outage_serve_probes_waiting') !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      const started = performance.now();
      const stopped = own.stop();
      const refused = await queued;
      expect(refused.status).toBe(503);
      expect(refused.body).toContain('shutting down');
      expect(refused.headers['retry-after']).toBe('1');
      // At once, not after the probe in flight (1.5 s) has finished.
      expect(performance.now() - started).toBeLessThan(1000);
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(1);
      expect((await stopped).code).toBe(0);
      expect(queuedProbed).toBe(0);
    } finally {
      await own.stop();
      await slow.close();
      await queuedTarget.close();
    }
  });

  it('interrupts probes still running after --shutdown-grace: their scrape gets 503, never a false down, and it exits 143', async () => {
    const own = await startServe(['--shutdown-grace', '300ms']);
    let arrived: () => void = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    const stuck = await startHttp(() => arrived());
    try {
      const inFlight = get(`${own.url}/probe?target=${encodeURIComponent(stuck.url)}`);
      await requested;
      const started = performance.now();
      const stopped = own.stop();
      const answer = await inFlight;
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('shutting down');
      const exit = await stopped;
      expect(exit.code).toBe(143);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await own.stop();
      await stuck.close();
    }
  });
});
