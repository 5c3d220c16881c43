/**
 * `outage wait` re-checks a service that refuses every 100 ms, so a start is seen at once. The
 * canaries (local-network diagnosis) ran beside every one of those checks: with the built-in
 * ones, for an internet service not yet listening, that was HTTPS to 1.1.1.1 and 8.8.8.8 and DNS
 * lookups ten times a second for the whole wait. They run at most once per --interval while they
 * find the network fine, and every round while they do not.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { closedPort, delayed, ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let canary: TestServer;
let failingCanary: TestServer;
let slowCanary: TestServer;
let struggling: TestServer;
beforeAll(async () => {
  canary = await startHttp(ok);
  failingCanary = await startHttp(respond(503));
  slowCanary = await startHttp(delayed(300));
  struggling = await startHttp(respond(503));
});
afterAll(() => {
  canary.close();
  failingCanary.close();
  slowCanary.close();
  struggling.close();
});

describe('the canaries of a wait', () => {
  it('run at most once per --interval, not with every quick re-check of a service that refuses', async () => {
    const port = await closedPort();
    const config = configFile({ canaries: [{ name: 'canary', url: `${canary.url}/` }], services: [{ name: 'app', url: `http://127.0.0.1:${port}/` }] });
    try {
      const result = await runCli(['wait', '-c', config, '--timeout', '3s', '--interval', '2s']);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/app: down \(tcp\.refused\)/);
      // Checked at 0 s and about 2 s; each quick re-check (some 25 of them) used to ask it too.
      expect(canary.requests).toBeGreaterThanOrEqual(1);
      expect(canary.requests).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dirname(config), { recursive: true, force: true });
    }
  });

  it('run with every re-check while they find the network at fault: the wait goes on saying so, not by turns', async () => {
    const port = await closedPort();
    const config = configFile({ canaries: [{ name: 'canary', url: `${failingCanary.url}/` }], services: [{ name: 'app', url: `http://127.0.0.1:${port}/` }] });
    try {
      const result = await runCli(['wait', '-c', config, '--timeout', '3s', '--interval', '2s', '--json']);
      expect(result.code).toBe(2); // not ready when --timeout ran out
      const report = JSON.parse(result.stdout) as { localNetwork?: { ok: boolean }; services: { status: string }[] };
      expect(report.localNetwork?.ok).toBe(false);
      expect(report.services[0]?.status).toBe('unknown');
      // Every round (at about 0, 0.25, 0.75, 1.75 s and the last) asked them, not once per 2 s.
      expect(failingCanary.requests).toBeGreaterThanOrEqual(4);
    } finally {
      rmSync(dirname(config), { recursive: true, force: true });
    }
  });

  it('run with the full rounds beside a struggling service, not again with the re-checks of a refusing one between them', async () => {
    const port = await closedPort();
    const config = configFile({
      canaries: [{ name: 'canary', url: `${slowCanary.url}/` }],
      services: [{ name: 'app', url: `http://127.0.0.1:${port}/` }, { name: 'api', url: `${struggling.url}/` }],
    });
    try {
      const result = await runCli(['wait', '-c', config, '--timeout', '4s', '--interval', '1s']);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/2 of 2 services not ready\n {2}app: down \(tcp\.refused\)[^\n]*\n {2}api: down \(http\.status 503\)/);
      // Every full round (on api's back-off) asks them, api being no refusal. The re-checks of app
      // between them asked them too, once per --interval: twice a second in all, and a re-check
      // with a 300 ms canary in it put off the full round after it, the last one past the wait's end.
      expect(struggling.requests).toBeGreaterThanOrEqual(4);
      expect(slowCanary.requests).toBe(struggling.requests);
    } finally {
      rmSync(dirname(config), { recursive: true, force: true });
    }
  });
});
