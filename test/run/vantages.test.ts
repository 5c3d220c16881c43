/**
 * Asking a vantage, in process: whatever the other machine does, the answer is bounded in time and
 * is `unknown` for that vantage only. (End to end with real `outage serve` instances:
 * test/cli/vantages.test.ts.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { askVantage } from '../../src/run/vantages.js';
import { startHttp, type TestServer } from '../helpers/servers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const service = (timeout: string) => validateConfig({ services: [{ name: 'x', url: 'http://127.0.0.1:1/', timeout, retries: 0 }] }, { env: {} }).services[0]!;

describe('askVantage', () => {
  it('gives up on a vantage that sends headers then never finishes, even when garbage is collected meanwhile', async () => {
    // A byte every 50 ms, for ever: the answer never ends and never goes quiet.
    const drip = await startHttp((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    servers.push(drip);
    const collector = setInterval(gc, 100);
    try {
      const started = performance.now();
      // 300 ms for the probe + 1.5 s for the answer to travel: given up on well within 5 s.
      const answer = await Promise.race([
        askVantage({ name: 'drip', url: drip.url }, service('300ms')),
        new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
      ]);
      expect(answer).toMatchObject({ from: 'drip', status: 'unknown', code: 'vantage.unreachable', reason: 'drip did not answer: no answer within 2s' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_800);
    } finally {
      clearInterval(collector);
    }
  });
});

describe('what a vantage is not asked', () => {
  it('a check with a longer timeout than the default: the remote would time out what is up here', async () => {
    let asked = 0;
    const vantage = await startHttp((_req, res) => {
      asked++;
      res.end('{}');
    });
    servers.push(vantage);
    const patient = await askVantage({ name: 'eu', url: vantage.url }, service('30s'));
    expect(patient).toMatchObject({ from: 'eu', status: 'unknown', code: null });
    expect(patient.reason).toMatch(/^not asked: timeout decides this check/);
    // A shorter one only makes the remote more lenient: asked.
    await askVantage({ name: 'eu', url: vantage.url }, service('2s'));
    expect(asked).toBe(1);
  });
});

describe('what a vantage answers, checked whole', () => {
  const remote = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ schemaVersion: 1, services: [service], ...extra });
  const good = { status: 'down', code: 'http.status', reason: 'HTTP 503', durationMs: 12 };
  const askWith = async (body: string) => {
    const vantage = await startHttp((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    servers.push(vantage);
    return askVantage({ name: 'eu', url: vantage.url }, service('2s'));
  };

  it('takes a well-formed answer as that vantage measured it', async () => {
    expect(await askWith(remote(good))).toEqual({ from: 'eu', ...good });
    // A code this version does not know yet (a newer remote) is kept out, the status kept.
    expect(await askWith(remote({ ...good, code: 'http.newer_code' }))).toEqual({ from: 'eu', ...good, code: null });
  });

  it.each([
    ['a duration of 1e308 ms', remote({ ...good, durationMs: 1e308 }), /durationMs 1e\+308 is not 0-\d+ ms \(the time this machine waited for the answer\)/],
    ['a negative duration', remote({ ...good, durationMs: -5 }), /durationMs -5 is not 0-\d+ ms/],
    ['a duration longer than this machine waited', remote({ ...good, durationMs: 60_000 }), /durationMs 60000 is not 0-\d+ ms/],
    ['a duration that is a string', remote({ ...good, durationMs: '12' }), /durationMs is not a number/],
    ['no duration', remote({ status: 'up', code: null, reason: '' }), /durationMs is not a number/],
    ['an unknown status', remote({ ...good, status: 'sideways' }), /status "sideways" is not up, degraded, down or unknown/],
    ['a code that is no failure code', remote({ ...good, code: 42 }), /code is not a failure code/],
    ['a reason that is no text', remote({ ...good, reason: { a: 1 } }), /reason is not text/],
    ['no service', remote(good).replace(/\[.*\]/, '[]'), /1 service asked about, 0 answered/],
    ['two services', JSON.stringify({ schemaVersion: 1, services: [good, good] }), /1 service asked about, 2 answered/],
    ['another schema version', remote(good, { schemaVersion: 99 }), /report schema version 99, not 1/],
    ['not an object', '[1,2,3]', /not an outage report/],
    ['not JSON', 'hello', /not an outage report/],
  ])('refuses %s: unknown for that vantage, saying why', async (_what, body, why) => {
    const answer = await askWith(body);
    expect(answer).toMatchObject({ from: 'eu', status: 'unknown', code: 'vantage.unreachable' });
    expect(answer.reason).toMatch(/^eu answered an unusable report: /);
    expect(answer.reason).toMatch(why);
    expect(answer.durationMs).toBeGreaterThanOrEqual(0);
    expect(answer.durationMs).toBeLessThan(10_000);
  });
});
