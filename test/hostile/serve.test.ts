/**
 * Issue 15, must show 2: /probe against every hostile target. A failing target is never a 5xx
 * (failure is data), each scrape ends within its scrape timeout, the code is the one `check`
 * finds, and the metrics pass promtool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../helpers/requires.js';
import { get, promtoolProblems, sample, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { startHostileWorld, type Hostile, type HostileWorld } from './servers.js';

/**
 * 5 s: the probe's budget is 4.5 s, enough for the config's 2 s × 2 attempts, so each target is
 * judged on the same terms as in the hostile `check` run (a 1 byte/s trickle needs its 2 s); the
 * scrape timeout bounds the answer. (test/cli/serve.test.ts shows a budget cut by the header.)
 */
const SCRAPE_TIMEOUT_S = 5;

let world: HostileWorld;
let targets: Hostile[] = [];
let serve: RunningServe;
/** What each service's scrape answered, for the promtool check. */
const bodies = new Map<string, string>();

beforeAll(async () => {
  world = await startHostileWorld();
  targets = world.targets;
  // Every hostile target as a configured service (some need resolvers or expectations); the
  // plain ones are also asked for as ad-hoc targets below.
  const config = writeConfig({ defaults: { timeout: '2s', retries: 1 }, services: targets.map((t) => ({ name: t.name, ...t.service })) });
  serve = await startServe(['-c', config, '--max-concurrent', '64'], { NODE_EXTRA_CA_CERTS: world.caFile });
}, 30_000);

afterAll(async () => {
  await serve?.stop();
  await world?.close();
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
