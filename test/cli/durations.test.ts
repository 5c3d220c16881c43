/**
 * Durations as a user types them: a bare number is refused with the fix wherever a duration is
 * read (flags → 64 quoting the flag, config → 78 with the key path), nothing above 24h is taken
 * (Node's timers would fire at once), and every timeout reason states the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttp, startTcp, type TestServer } from '../helpers/servers.js';

let web: TestServer;
beforeAll(async () => {
  web = await startHttp(ok);
});
afterAll(() => web.close());

describe('duration flags', () => {
  it.each([
    [['check', '--timeout', '5'], '--timeout 5: add a unit, 5s or 5000ms'],
    [['check', '--timeout', '5000'], '--timeout 5000: add a unit, 5000ms or 5s'],
    [['check', '--timeout', '25d'], '--timeout 25d: more than 24h, the longest duration outage accepts'],
    [['check', '--timeout', 'soon'], '--timeout soon: not a duration such as 500ms, 10s, 5m or 1h'],
    [['wait', '--timeout', '30'], '--timeout 30: add a unit, 30s or 30000ms'],
    [['wait', '--interval', '2'], '--interval 2: add a unit, 2s or 2000ms'],
    [['wait', '--probe-timeout', '1.5'], '--probe-timeout 1.5: add a unit, 1.5s or 1500ms'],
    [['watch', '--interval', '30d'], '--interval 30d: more than 24h, the longest duration outage accepts'],
    [['watch', '--probe-timeout', '500'], '--probe-timeout 500: add a unit, 500ms or 0.5s'],
    // zero is told what is wrong with it, not sent to `0s`, refused next
    [['check', '--timeout', '0'], '--timeout 0: must be more than 0'],
    [['check', '--timeout', '0s'], '--timeout 0s: must be more than 0'],
    [['wait', '--interval', '0.0'], '--interval 0.0: must be more than 0'],
  ])('%j is a usage error with the fix, before anything is probed', async (args, message) => {
    const before = web.connections;
    const r = await runCli([...args, `${web.url}/`]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`outage: ${message}\n`);
    expect(web.connections).toBe(before);
  });

  it('24h, the maximum, is a budget like any other', async () => {
    const r = await runCli(['check', '--timeout', '24h', '--json', `${web.url}/`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services[0].status).toBe('up');
  });
});

describe('durations in the config', () => {
  it('a bare number (YAML number or string) is a config error with its key path and the fix', async () => {
    const file = configFile(
      `defaults:\n  timeout: 5\n  latency: { degraded: "2000" }\nservices:\n  - name: web\n    url: ${web.url}/\n    timeout: 30d\n`,
      'outage.yaml',
    );
    for (const command of ['check', 'validate']) {
      const r = await runCli([command, '--config', file]);
      expect(r.code, command).toBe(78);
      expect(r.stderr).toContain(`Invalid configuration in ${file} (3 problems):`);
      expect(r.stderr).toContain('  defaults.timeout: 5: add a unit, 5s or 5000ms\n');
      expect(r.stderr).toContain('  defaults.latency.degraded: 2000: add a unit, 2000ms or 2s\n');
      expect(r.stderr).toContain('  services[0].timeout: 30d: more than 24h, the longest duration outage accepts\n');
    }
  });

  it('a JSON number too', async () => {
    const r = await runCli(['validate', '--config', configFile({ defaults: { timeout: 10000 }, services: [] })]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('defaults.timeout: 10000: add a unit, 10000ms or 10s');
  });

  it('a timeout of zero says it must be more than 0, written bare or with its unit; a latency of 0s is taken', async () => {
    const r = await runCli(['validate', '--config', configFile({ defaults: { timeout: 0, latency: { degraded: '0s' } }, services: [{ name: 'web', url: `${web.url}/`, timeout: '0ms' }] })]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('  defaults.timeout: 0: must be more than 0\n');
    expect(r.stderr).toContain('  services[0].timeout: 0ms: must be more than 0\n');
    expect(r.stderr).not.toContain('latency');
  });

  it('certificate thresholds keep their bare number of days', async () => {
    const r = await runCli(['validate', '--config', configFile({ defaults: { timeout: '10s', certificate: { degraded: 20, down: 0 } }, services: [{ name: 'web', url: `${web.url}/` }] })]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a compound as blackbox_exporter configs write it (1m30s) is taken, by flags and config alike', async () => {
    const flag = await runCli(['check', '--no-canaries', '-q', '--timeout', '1m30s', `${web.url}/`]);
    expect(flag.code, flag.stderr).toBe(0);
    const file = configFile({ defaults: { timeout: '1h30m' }, services: [{ name: 'api', url: `${web.url}/` }] });
    const config = await runCli(['list', '-c', file]);
    expect(config.code, config.stderr).toBe(0);
    expect(config.stdout).toContain('1h 30m');
    const backwards = await runCli(['check', '--no-canaries', '--timeout', '30s1m', `${web.url}/`]);
    expect(backwards.code).toBe(64);
    expect(backwards.stderr).toContain('--timeout 30s1m: not a duration such as 500ms, 10s, 5m or 1h');
  });

  it('`outage schema` tells editors a duration is a string with its unit', async () => {
    const schema = JSON.parse((await runCli(['schema'])).stdout);
    const timeout = schema.properties.defaults.properties.timeout;
    expect(timeout.type).toBe('string');
    const pattern = new RegExp(timeout.pattern);
    expect(['500ms', '10s', '5m', '1h', '1m30s', '1m 30s'].every((d) => pattern.test(d))).toBe(true);
    expect(pattern.test('5')).toBe(false);
    expect(timeout.description).toMatch(/with its unit.*at most 24h/);
  });
});

describe('every timeout reason states the budget', () => {
  const own = closeAfterAll();
  const reasonOf = async (target: string, timeout: string) => {
    const r = await runCli(['check', '--json', '--timeout', timeout, '--retries', '0', '--no-canaries', target]);
    expect(r.code).toBe(2);
    const { code, reason } = JSON.parse(r.stdout).services[0] as { code: string; reason: string };
    return { code, reason };
  };

  it('no response headers', async () => {
    const silent = own(await startHttp(() => {}));
    expect(await reasonOf(`${silent.url}/`, '600ms')).toEqual({ code: 'http.timeout', reason: 'no response headers within 600ms' });
  });

  it('a body that stalls, with the budget in the unit it was given', async () => {
    const stalled = own(await startHttp((_q, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
    }));
    expect(await reasonOf(`${stalled.url}/`, '1s')).toEqual({ code: 'http.body_timeout', reason: 'response body not complete within 1s' });
  });

  it('a TLS handshake that never completes', async () => {
    const mute = own(await startTcp(() => {}));
    expect(await reasonOf(`https://127.0.0.1:${mute.port}/`, '600ms')).toEqual({
      code: 'tls.handshake_timeout',
      reason: 'TLS handshake did not complete within 600ms',
    });
  });
});

describe('the programmatic API', () => {
  it('timeoutMs is typed milliseconds, with the same maximum as --timeout', async () => {
    const { check } = await import('../../src/check.js');
    const report = await check({ targets: [`${web.url}/`], timeoutMs: 1500, canaries: false });
    expect(report.services[0]?.status).toBe('up');
    await expect(check({ targets: [`${web.url}/`], timeoutMs: 25 * 86_400_000 })).rejects.toMatchObject({
      exitCode: 64,
      message: 'timeoutMs: 2160000000 is not a number of milliseconds from 1 to 86400000 (24h)',
    });
    await expect(check({ targets: [`${web.url}/`], timeoutMs: 0 })).rejects.toMatchObject({ exitCode: 64 });
  });
});
