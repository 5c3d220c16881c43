/**
 * Configured services are picked by name without case (`outage check API`), but two names that
 * differ only in case are still two services: the one typed exactly is the one checked. With `api`
 * (failing) and `API` (healthy) both configured, `outage check api` used to check whichever came
 * last, and serve's `?service=api` answered for the other service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { get, sample, startServe } from '../helpers/serve.js';
import { ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let failing: TestServer;
let healthy: TestServer;
let config: string;
beforeAll(async () => {
  failing = await startHttp(respond(503));
  healthy = await startHttp(ok);
  config = configFile({ services: [{ name: 'api', url: `${failing.url}/` }, { name: 'API', url: `${healthy.url}/` }] });
});
afterAll(() => {
  failing.close();
  healthy.close();
});

describe('two services whose names differ only in case', () => {
  it('the name typed exactly is the service checked, either way round', async () => {
    const lower = await runCli(['check', 'api', '-c', config, '--no-canaries', '--json']);
    expect(lower.code).toBe(2);
    expect((JSON.parse(lower.stdout) as { services: { name: string; code: string }[] }).services).toMatchObject([{ name: 'api', code: 'http.status' }]);
    const upper = await runCli(['check', 'API', '-c', config, '--no-canaries', '--json']);
    expect(upper.code).toBe(0);
    expect((JSON.parse(upper.stdout) as { services: { name: string }[] }).services).toMatchObject([{ name: 'API' }]);
  });

  it('a spelling that is neither is a usage error naming both, and nothing is checked', async () => {
    const before = failing.requests + healthy.requests;
    const result = await runCli(['check', 'Api', '-c', config, '--no-canaries']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('"Api" names "api" and "API", configured services whose names differ only in case: type one as it is written');
    expect(failing.requests + healthy.requests).toBe(before);
  });

  it("outage serve's service= probes the service named exactly", async () => {
    const serve = await startServe(['-c', config]);
    try {
      expect(sample((await get(`${serve.url}/probe?service=api`)).body, 'probe_success')).toBe(0);
      expect(sample((await get(`${serve.url}/probe?service=API`)).body, 'probe_success')).toBe(1);
    } finally {
      await serve.stop();
    }
  });
});
