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
