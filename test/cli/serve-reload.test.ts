/**
 * `outage serve` and SIGHUP, as blackbox_exporter (and the `ExecReload=kill -HUP $MAINPID` of its
 * systemd unit) uses it: the config is read again and, when valid, serves the next scrapes; when
 * not, the previous one keeps serving and the failure is said on stderr and in /metrics.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, sample, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let maintenance: TestServer;
let slow: TestServer;
let arrived: () => void = () => {};

beforeAll(async () => {
  maintenance = await startHttp(respond(503));
  slow = await startHttp((req, res) => {
    arrived();
    setTimeout(() => ok(req, res), 800);
  });
});

afterAll(async () => {
  await Promise.all([maintenance?.close(), slow?.close()]);
});

/** Sends SIGHUP and waits for the `count`-th line about a reload on stderr. */
async function hangUp(serve: RunningServe, count: number): Promise<string> {
  serve.child.kill('SIGHUP');
  for (let i = 0; i < 500; i++) {
    const lines = serve.stderr().split('\n').filter((l) => /SIGHUP: /.test(l));
    if (lines.length >= count) return lines[count - 1] as string;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no reload line after SIGHUP:\n${serve.stderr()}`);
}

describe('SIGHUP', () => {
  it('reloads the config: a changed module judges the next scrape, a new one is known, and the exporter keeps running', async () => {
    const config = writeConfig({ modules: { site: {} } });
    const serve = await startServe(['-c', config]);
    try {
      const scrape = (module: string) => get(`${serve.url}/probe?target=${encodeURIComponent(maintenance.url)}&module=${module}`);
      expect(sample((await scrape('site')).body, 'probe_success')).toBe(0);
      expect((await scrape('extra')).status).toBe(400);

      writeFileSync(config, JSON.stringify({ modules: { site: { http: { expect: { status: [200, 503] } } }, extra: {} } }));
      expect(await hangUp(serve, 1)).toMatch(/SIGHUP: config reloaded/);
      const site = await scrape('site');
      expect(site.status).toBe(200);
      expect(sample(site.body, 'probe_success'), site.body).toBe(1);
      expect((await scrape('extra')).status).toBe(200);
      const metrics = (await get(`${serve.url}/metrics`)).body;
      expect(sample(metrics, 'outage_serve_config_last_reload_successful')).toBe(1);
      expect(sample(metrics, 'outage_serve_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
      expect((await get(`${serve.url}/-/ready`)).status).toBe(200);
      const exit = await serve.stop();
      expect(exit.code).toBe(0);
    } finally {
      await serve.stop();
    }
  });

  it('keeps serving the previous config when the new one is invalid, and says why', async () => {
    const config = writeConfig({ modules: { site: { http: { expect: { status: 503 } } } } });
    const serve = await startServe(['-c', config]);
    try {
      writeFileSync(config, JSON.stringify({ modules: { site: { timout: '1s' } } }));
      const line = await hangUp(serve, 1);
      expect(line).toMatch(/SIGHUP: config not reloaded/);
      expect(serve.stderr()).toContain('modules.site.timout: unknown key');
      const answer = await get(`${serve.url}/probe?target=${encodeURIComponent(maintenance.url)}&module=site`);
      expect(answer.status).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(1);
      expect(sample((await get(`${serve.url}/metrics`)).body, 'outage_serve_config_last_reload_successful')).toBe(0);
      expect((await serve.stop()).code).toBe(0);
    } finally {
      await serve.stop();
    }
  });

  it('refuses to reload a JavaScript config, which Node cannot import again, rather than say it did and serve the old one', async () => {
    const config = writeConfig('export default { modules: { site: {} } };\n', 'outage.config.mjs');
    const serve = await startServe(['-c', config]);
    try {
      writeFileSync(config, 'export default { modules: { site: {}, extra: {} } };\n');
      expect(await hangUp(serve, 1)).toMatch(/SIGHUP: config not reloaded, the previous one still serves: .*outage\.config\.mjs is code.*restart outage serve/);
      expect(sample((await get(`${serve.url}/metrics`)).body, 'outage_serve_config_last_reload_successful')).toBe(0);
      expect((await get(`${serve.url}/probe?target=${encodeURIComponent(maintenance.url)}&module=site`)).status).toBe(200);
      expect((await serve.stop()).code).toBe(0);
    } finally {
      await serve.stop();
    }
  });

  it('answers a scrape in flight across the reload', async () => {
    const config = writeConfig({ modules: { site: {} } });
    const serve = await startServe(['-c', config]);
    try {
      const requested = new Promise<void>((resolve) => (arrived = resolve));
      // Caught now: a reset connection is the failure asserted below, not an unhandled rejection.
      const inFlight = get(`${serve.url}/probe?target=${encodeURIComponent(slow.url)}&module=site`).catch((error: Error) => ({ status: 0, body: error.message }));
      await requested;
      await hangUp(serve, 1);
      const answer = await inFlight;
      expect(answer.status, answer.body).toBe(200);
      expect(sample(answer.body, 'probe_success')).toBe(1);
      expect((await serve.stop()).code).toBe(0);
    } finally {
      await serve.stop();
    }
  });
});
