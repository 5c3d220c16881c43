/**
 * `outage serve` must not become an SSRF proxy or an open door: the target policy (checked on the
 * resolved address), basic and bearer auth and TLS from a web config, the per-client rate limit,
 * and a burst of 1000 scrapes answered without falling over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { testPki, type TestPki } from '../helpers/certs.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { get, sample, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { closedPort, ok, startHttp, type TestServer } from '../helpers/servers.js';
import { answer, forwardTo, startFakeProxy } from '../helpers/fake-proxy.js';

let healthy: TestServer;
let dns: TestDnsServer;
let pki: TestPki;
const running: RunningServe[] = [];
const serveWith = async (args: string[]) => {
  const s = await startServe(args);
  running.push(s);
  return s;
};
const q = (target: string) => `/probe?target=${encodeURIComponent(target)}`;

beforeAll(async () => {
  pki = await testPki();
  healthy = await startHttp(ok);
  // rebind.test resolves to loopback: allowed by name, refused when only 127.0.0.2/32 is allowed.
  // meta.test points at the metadata address: only ever an answer, never connected to.
  // mixed.test: one address outside 127.0.0.2/32, then the allowed one.
  dns = await startDns(tableZone({ 'rebind.test': { A: ['127.0.0.1'] }, 'meta.test': { A: ['169.254.169.254'] }, 'mixed.test': { A: ['127.0.0.3', '127.0.0.2'] } }));
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await healthy?.close();
  await dns?.close();
});

describe('the target policy', () => {
  it('refuses a target no --allow-target pattern admits with 403, before any probe', async () => {
    const serve = await serveWith(['--allow-target', 'https://*.example.com']);
    const refused = await get(`${serve.url}${q(healthy.url)}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/matches no --allow-target pattern \(https:\/\/\*\.example\.com\)/);
    const metrics = await get(`${serve.url}/metrics`);
    expect(sample(metrics.body, 'outage_serve_requests_refused_total{reason="forbidden_target"}')).toBe(1);
    expect(sample(metrics.body, 'outage_serve_probes_total{status="up"}')).toBe(0);
  });

  it('refuses link-local and metadata targets as typed (403), whatever the patterns', async () => {
    const serve = await serveWith([]);
    for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://metadata.google.internal/', 'http://[::ffff:169.254.169.254]/']) {
      const answer = await get(`${serve.url}${q(target)}`);
      expect(answer.status, target).toBe(403);
    }
  });

  it('checks the address a name resolves to, not the name: outside the allowed CIDR it is tcp.forbidden, never connected', async () => {
    // Retries allowed: a refused address is refused again, so it is not tried twice.
    const config = writeConfig({ modules: { lab: { resolvers: [dns.address], retries: 2 } } });
    const serve = await serveWith(['-c', config, '--allow-target', '127.0.0.2/32']);
    let connections = 0;
    const counted = await startHttp((req, res) => {
      connections++;
      ok(req, res);
    });
    try {
      const answer = await get(`${serve.url}${q(`http://rebind.test:${counted.port}/`)}&module=lab`);
      expect(answer.status).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(0);
      expect(answer.body).toContain('outage_probe_status{status="unknown",code="tcp.forbidden"} 1');
      expect(sample(answer.body, 'outage_probe_attempts')).toBe(1);
      expect(connections).toBe(0);
      // The same name with loopback allowed connects.
      const open = await serveWith(['-c', config, '--allow-target', '127.0.0.0/8']);
      const allowed = await get(`${open.url}${q(`http://rebind.test:${counted.port}/`)}&module=lab`);
      expect(sample(allowed.body, 'probe_success')).toBe(1);
      expect(connections).toBe(1);
    } finally {
      await counted.close();
    }
  });

  it('through a proxy, refuses a name that resolves here to a metadata address, and a redirect to one, before the proxy is asked', async () => {
    // The proxy tunnels or forwards app.test to loopback only; anything else gets a 502, never a connection.
    const proxy = await startFakeProxy((request, socket, rest) => {
      const host = request.method === 'CONNECT' ? new URL(`http://${request.target}`).hostname : new URL(request.target).hostname;
      (host === 'app.test' ? forwardTo({ 'app.test': '127.0.0.1' }) : answer(502, 'Bad Gateway'))(request, socket, rest);
    });
    const origin = await startHttp((req, res) => {
      const to = { '/to-address': 'http://169.254.169.254/latest/meta-data/', '/to-name': 'http://meta.test/latest/meta-data/' }[req.url ?? ''];
      if (to) res.writeHead(302, { location: to }).end();
      else ok(req, res);
    });
    try {
      const config = writeConfig({ modules: { proxied: { resolvers: [dns.address], retries: 1, proxy: proxy.url } } });
      const serve = await serveWith(['-c', config]);
      const probe = (target: string) => get(`${serve.url}${q(target)}&module=proxied`);
      // Through the proxy, app.test (which does not resolve here) is up: the guard lets the proxy decide.
      expect(sample((await probe(`http://app.test:${origin.port}/`)).body, 'probe_success')).toBe(1);
      for (const path of ['', '/to-address', '/to-name']) {
        const target = path ? `http://app.test:${origin.port}${path}` : `http://meta.test:${origin.port}/`;
        const answered = await probe(target);
        expect(answered.status, target).toBe(200);
        expect(sample(answered.body, 'probe_success'), target).toBe(0);
        expect(answered.body, target).toContain('code="tcp.forbidden"');
        expect(sample(answered.body, 'outage_probe_attempts'), target).toBe(1);
      }
      // The proxy was never asked for the metadata service, by address or by name.
      expect(proxy.seen.map((r) => r.target).filter((t) => /169\.254|meta\.test/.test(t))).toEqual([]);
      expect(proxy.seen.length).toBeGreaterThan(0);
    } finally {
      await origin.close();
      await proxy.close();
    }
  });

  it("through a proxy, the guard's local lookup of each redirect hop's name is not counted as the target's time", async () => {
    // Local DNS that never answers (a proxied network): each new origin waits out the guard's bound.
    const silentDns = await startDns(() => 'drop');
    const hops: Record<string, string> = { 'a.test': 'http://b.test/', 'b.test': 'http://c.test/' };
    const proxy = await startFakeProxy((request, socket, rest) => {
      const next = hops[new URL(request.target).hostname];
      (next ? answer(302, 'Found', { location: next }) : answer(200, 'OK', {}, 'ok'))(request, socket, rest);
    });
    try {
      const config = writeConfig({ modules: { proxied: { resolvers: [silentDns.address], retries: 0, proxy: proxy.url, timeout: '10s', latency: { degraded: '1500ms' } } } });
      const serve = await serveWith(['-c', config]);
      const report = JSON.parse((await get(`${serve.url}${q('http://a.test/')}&module=proxied&format=json`)).body) as { services: { status: string; reason: string }[] };
      // The proxy answered every hop at once: up, not degraded by ~2 s of outage's own lookups.
      expect(report.services[0]?.status, report.services[0]?.reason).toBe('up');
    } finally {
      await proxy.close();
      await silentDns.close();
    }
  });

  it('through a proxy, a name admitted only by an --allow-target range must resolve into it here', async () => {
    const proxy = await startFakeProxy(forwardTo({ 'app.test': '127.0.0.1', 'rebind.test': '127.0.0.1' }));
    try {
      const config = writeConfig({ modules: { proxied: { resolvers: [dns.address], retries: 0, proxy: proxy.url } } });
      const serve = await serveWith(['-c', config, '--allow-target', '127.0.0.0/8']);
      const probe = (target: string) => get(`${serve.url}${q(target)}&module=proxied`);
      // rebind.test resolves here into 127.0.0.0/8: through the proxy it is checked and up.
      expect(sample((await probe(`${healthy.url.replace('127.0.0.1', 'rebind.test')}`)).body, 'probe_success')).toBe(1);
      // app.test does not resolve here: nothing holds it to the range, so it is refused.
      const unresolved = await probe(healthy.url.replace('127.0.0.1', 'app.test'));
      expect(unresolved.body).toContain('code="tcp.forbidden"');
      expect(proxy.seen.map((r) => r.target).filter((t) => t.includes('app.test'))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('retries a name whose allowed address failed, though another of its addresses was refused by the policy', async () => {
    const config = writeConfig({ modules: { lab: { resolvers: [dns.address], retries: 2 } } });
    const serve = await serveWith(['-c', config, '--allow-target', '127.0.0.2/32']);
    // Nothing listens at 127.0.0.2 on this port: a refusal another attempt could change.
    const answer = await get(`${serve.url}${q(`http://mixed.test:${await closedPort()}/`)}&module=lab`);
    expect(sample(answer.body, 'probe_success')).toBe(0);
    expect(answer.body).toContain('code="tcp.refused"} 1');
    expect(sample(answer.body, 'outage_probe_attempts')).toBe(3);
  });

  it('service= names a configured service only: a URL or host:port there is 400, never probed around the policy', async () => {
    const serve = await serveWith(['--allow-target', 'https://*.example.com']);
    let connections = 0;
    const counted = await startHttp((req, res) => {
      connections++;
      ok(req, res);
    });
    try {
      for (const service of [counted.url, `127.0.0.1:${counted.port}`, `http://[::ffff:127.0.0.1]:${counted.port}/`]) {
        const answer = await get(`${serve.url}/probe?service=${encodeURIComponent(service)}`);
        expect(answer.status, service).toBe(400);
        expect(answer.body, service).toMatch(/service= names a service of outage's config[\s\S]*target=/);
      }
      expect(connections).toBe(0);
    } finally {
      await counted.close();
    }
  });

  it('refuses a bad --allow-target pattern at start-up with exit 64', async () => {
    await expect(startServe(['--allow-target', 'ftp://x'])).rejects.toThrow(/exited \(64\)[\s\S]*scheme must be/);
  });
});

describe('authentication and TLS from --web.config.file', () => {
  let serve: RunningServe;
  const password = 'correct horse battery';
  const token = 'tok-0123456789abcdef';
  const basic = (user: string, pass: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

  beforeAll(async () => {
    const dir = writeConfig('', 'unused');
    const certFile = `${dir}.cert.pem`;
    const keyFile = `${dir}.key.pem`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(certFile, pki.valid.cert);
    writeFileSync(keyFile, pki.valid.key);
    const web = writeConfig(
      [
        'tls_server_config:',
        `  cert_file: ${certFile}`,
        `  key_file: ${keyFile}`,
        'basic_auth_users:',
        `  prometheus: ${bcrypt.hashSync(password, 4)}`,
        'bearer_token_hashes:',
        `  - ${bcrypt.hashSync(token, 4)}`,
      ].join('\n'),
      'web.yml',
    );
    serve = await serveWith(['--web.config.file', web]);
  });

  it('serves https with the configured certificate', () => {
    expect(serve.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 without credentials, with a wrong password, an unknown user or a wrong token', async () => {
    const url = `${serve.url.replace('127.0.0.1', 'localhost')}${q(healthy.url)}`;
    const ca = pki.root.certPem;
    const anonymous = await get(url, {}, ca);
    expect(anonymous.status).toBe(401);
    // Both schemes the web config takes are offered (RFC 9110 §11.6.1): a client learns it may send a token.
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="outage", charset="UTF-8", Bearer realm="outage"');
    expect((await get(url, basic('prometheus', 'wrong'), ca)).status).toBe(401);
    expect((await get(url, basic('nobody', password), ca)).status).toBe(401);
    expect((await get(url, { Authorization: 'Bearer nope' }, ca)).status).toBe(401);
    expect((await get(`${serve.url.replace('127.0.0.1', 'localhost')}/metrics`, {}, ca)).status).toBe(401);
  });

  it('answers with the right password or token, and never echoes either', async () => {
    const url = `${serve.url.replace('127.0.0.1', 'localhost')}${q(healthy.url)}`;
    const ca = pki.root.certPem;
    const withPassword = await get(url, basic('prometheus', password), ca);
    expect(withPassword.status).toBe(200);
    expect(sample(withPassword.body, 'probe_success')).toBe(1);
    const withToken = await get(url, { Authorization: `Bearer ${token}` }, ca);
    expect(withToken.status).toBe(200);
    const metrics = await get(`${serve.url.replace('127.0.0.1', 'localhost')}/metrics`, basic('prometheus', password), ca);
    expect(sample(metrics.body, 'outage_serve_requests_refused_total{reason="unauthorized"}')).toBe(5);
    for (const text of [withPassword.body, metrics.body, serve.stderr()]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(token);
    }
  });

  it('says in words why a web config or a file it names cannot be read (exit 78)', async () => {
    await expect(startServe(['--web.config.file', '/nonexistent/outage-web.yml'])).rejects.toThrow(/exited \(78\)[\s\S]*cannot read the web config: no such file \(ENOENT\)/);
    const web = writeConfig('tls_server_config:\n  cert_file: missing.crt\n  key_file: /\n', 'web.yml');
    await expect(startServe(['--web.config.file', web])).rejects.toThrow(/cert_file: cannot read \S+missing\.crt: no such file \(ENOENT\)[\s\S]*key_file: cannot read \/: is a directory, not a file \(EISDIR\)/);
  });

  it('an empty --web.config.file (an unset variable) is a usage error, never a start without authentication', async () => {
    await expect(startServe(['--web.config.file', ''])).rejects.toThrow(/exited \(64\)[\s\S]*--web\.config\.file "": the path is empty \(an unset variable\?\)/);
  });

  it('refuses an invalid web config at start-up with exit 78, naming the key', async () => {
    const bad = writeConfig('basic_auth_users:\n  alice: plaintext\nunknown_key: 1\n', 'bad-web.yml');
    await expect(startServe(['--web.config.file', bad])).rejects.toThrow(/exited \(78\)[\s\S]*basic_auth_users\.alice: must be a bcrypt hash[\s\S]*unknown_key: unknown key/);
  });
});

describe('load', () => {
  it('limits each client to its rate: past the burst, 429 with Retry-After', async () => {
    const serve = await serveWith(['--rate-limit', '1', '--rate-burst', '3']);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await get(`${serve.url}/metrics`)).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect((await get(`${serve.url}/metrics`)).headers['retry-after']).toBe('1');
    // Health checks are never limited: an orchestrator must always get an answer.
    expect((await get(`${serve.url}/-/healthy`)).status).toBe(200);
  });

  it('answers 1000 scrapes in a burst with 200, 429 or 503 only, and stays up', async () => {
    const serve = await serveWith(['--max-concurrent', '16', '--max-waiting', '64', '--rate-burst', '600']);
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () => get(`${serve.url}${q(healthy.url)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': '10' }).then((a) => a.status, () => -1)),
    );
    const counts: Record<number, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    expect(Object.keys(counts).map(Number).every((s) => [200, 429, 503].includes(s)), JSON.stringify(counts)).toBe(true);
    expect(counts[200]).toBeGreaterThan(0);
    expect(counts[429]).toBeGreaterThan(0);
    const health = await get(`${serve.url}/-/healthy`);
    expect(health.status).toBe(200);
    // This client spent its burst: wait for its bucket to refill rather than a fixed time.
    let metrics = await get(`${serve.url}/metrics`);
    while (metrics.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await get(`${serve.url}/metrics`);
    }
    expect(sample(metrics.body, 'outage_serve_probes_in_flight')).toBe(0);
    expect(sample(metrics.body, 'outage_serve_errors_total')).toBe(0);
    // Loosely bounded memory: a leak per request would show as hundreds of MB here.
    expect(sample(metrics.body, 'process_resident_memory_bytes')).toBeLessThan(400 * 1024 * 1024);
  }, 60_000);
});
