/**
 * Issue 15, must show 2: /probe against every hostile target. A failing target is never a 5xx
 * (failure is data), each scrape ends within its scrape timeout, the code is the one `check`
 * finds, and the metrics pass promtool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { requires } from '../helpers/requires.js';
import { get, promtoolProblems, sample, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';
import { startHostile, type Hostile } from './servers.js';

/**
 * 5 s: the probe's budget is 4.5 s, enough for the config's 2 s × 2 attempts, so each target is
 * judged on the same terms as in the hostile `check` run (a 1 byte/s trickle needs its 2 s); the
 * scrape timeout bounds the answer. (test/cli/serve.test.ts shows a budget cut by the header.)
 */
const SCRAPE_TIMEOUT_S = 5;

let dns: TestDnsServer;
let v6: TestServer;
let servers: TestServer[] = [];
let targets: Hostile[] = [];
let serve: RunningServe;
/** What each service's scrape answered, for the promtool check. */
const bodies = new Map<string, string>();

beforeAll(async () => {
  const pki = await testPki();
  v6 = await startHttp(ok, '::1');
  dns = await startDns(
    tableZone({
      'truncated.test': { A: ['127.0.0.1'], truncateUdp: true },
      'many.test': { A: ['127.0.0.1', ...Array.from({ length: 499 }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`)] },
      'empty.test': {},
      'silent.test': 'drop',
      'servfail.test': { rcode: 'SERVFAIL' },
      'v6only.test': { AAAA: ['::1'] },
      'xn--bcher-kva.test': { A: ['127.0.0.1'] },
    }),
  );
  ({ servers, targets } = await startHostile(pki, dns.address, () => v6.port));
  // Every hostile target as a configured service (some need resolvers or expectations); the
  // plain ones are also asked for as ad-hoc targets below.
  const config = writeConfig({ defaults: { timeout: '2s', retries: 1 }, services: targets.map((t) => ({ name: t.name, ...t.service })) });
  serve = await startServe(['-c', config, '--max-concurrent', '64'], { NODE_EXTRA_CA_CERTS: pki.rootFile });
}, 30_000);

afterAll(async () => {
  await serve?.stop();
  await Promise.all([...servers.map((s) => s.close()), dns?.close(), v6?.close()]);
});

describe('/probe against hostile targets', () => {
  it('answers every one 200 within the scrape timeout, with the code check finds and metrics promtool accepts', async () => {
    expect(targets.length).toBeGreaterThanOrEqual(30);
    const answers = await Promise.all(
      targets.map(async (t) => ({ t, answer: await get(`${serve.url}/probe?service=${encodeURIComponent(t.name)}`, { 'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT_S) }) })),
    );
    for (const { t, answer } of answers) {
      expect(answer.status, t.name).toBe(200);
      // The budget is the scrape timeout minus 0.5 s; a loaded machine gets 1 s more to answer.
      expect(answer.ms, t.name).toBeLessThan(SCRAPE_TIMEOUT_S * 1000 + 1000);
      const [status, code] = t.expect;
      expect(answer.body, t.name).toContain(`outage_probe_status{status="${status}",code="${code ?? ''}"} 1`);
      expect(sample(answer.body, 'probe_success'), t.name).toBe(status === 'up' ? 1 : 0);
      bodies.set(t.name, answer.body);
    }
    expect(answers.map((a) => a.answer.body).join('')).not.toContain('s3cr3t-pw');
  }, 60_000);

  requires({ tools: ['promtool'] }).it('writes metrics promtool accepts for every one', () => {
    expect(bodies.size).toBe(targets.length);
    for (const [name, body] of bodies) expect(promtoolProblems(body), name).toBe('');
  });

  it('answers the plain ones as ad-hoc targets too, never with a 5xx', async () => {
    const plain = targets.filter((t) => Object.keys(t.service).length === 1 && typeof t.service.url === 'string' && !String(t.service.url).includes('@'));
    expect(plain.length).toBeGreaterThan(15);
    const answers = await Promise.all(plain.map((t) => get(`${serve.url}/probe?target=${encodeURIComponent(String(t.service.url))}`, { 'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT_S) })));
    answers.forEach((answer, i) => {
      expect(answer.status, plain[i]?.name).toBe(200);
      expect(answer.ms, plain[i]?.name).toBeLessThan(SCRAPE_TIMEOUT_S * 1000 + 1000);
    });
  }, 60_000);
});
