/**
 * `wait` and `watch` against loopback servers that come and go during the test. Intervals are
 * passed as flags so the tests stay fast.
 */
import { describe, expect, it } from 'vitest';
import { nextDelay, reached } from '../../src/commands/wait.js';
import { configFile, runCli, startCli } from '../helpers/cli.js';
import { closedPort, delayed, ok, respond, startHttp, type Handler, type TestServer } from '../helpers/servers.js';

describe('outage wait', () => {
  it('exits 0 soon after a server starts answering 200, three seconds in', async () => {
    const port = await closedPort();
    const waiting = startCli(['wait', `http://127.0.0.1:${port}/health`, '--timeout', '10s', '--interval', '500ms']);
    await waiting.waitFor(/down \(tcp\.refused\)/);
    let server: TestServer | undefined;
    let upAt = 0;
    const starting = new Promise<void>((resolve) =>
      setTimeout(async () => {
        server = await startHttp(ok, '127.0.0.1', port);
        upAt = performance.now();
        resolve();
      }, 3000),
    );
    const result = await waiting.result;
    await starting;
    await server?.close();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ready: http:\/\/127\.0\.0\.1:\d+\/health up/);
    // Polls at least every --interval (500ms): one passing check after the server came up.
    expect(server?.requests).toBe(1);
    expect(result.exitedAt - upAt).toBeLessThan(2000);
  });

  it('exits 2 and names every service not ready with its last code and reason', async () => {
    const port = await closedPort();
    const result = await runCli(['wait', `http://127.0.0.1:${port}/`, '--timeout', '1s', '--interval', '200ms']);
    expect(result.code).toBe(2);
    // Ended at the deadline, or just before it when another check would not fit, said as such.
    expect(result.stdout).toMatch(/not up after (1\.00s|\d+ms \(too little of the 1\.00s left for another check\)): 1 of 1 services not ready/);
    expect(result.stdout).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}/: down \\(tcp\\.refused\\) — .*connection refused`));
  });

  it('--until down waits for a service to go away', async () => {
    const server = await startHttp(ok);
    const waiting = startCli(['wait', server.url, '--until', 'down', '--timeout', '10s', '--interval', '200ms']);
    await waiting.waitFor(/ up\n/);
    await server.close();
    const result = await waiting.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/down \(tcp\.refused\)\nready: .* down/);
  });

  it("--json states the code wait exits with, not the last round's: 0 when down was awaited, 2 on time-out", async () => {
    const port = await closedPort();
    const reachedDown = await runCli(['wait', `http://127.0.0.1:${port}/`, '--until', 'down', '--no-canaries', '--json', '--timeout', '5s']);
    expect(reachedDown.code).toBe(0);
    expect(JSON.parse(reachedDown.stdout)).toMatchObject({ status: 'down', exitCode: 0 });
    const timedOut = await runCli(['wait', `http://127.0.0.1:${port}/`, '--no-canaries', '--json', '--timeout', '500ms', '--interval', '100ms']);
    expect(timedOut.code).toBe(2);
    expect(JSON.parse(timedOut.stdout)).toMatchObject({ status: 'down', exitCode: 2 });
  });

  it('does not wait for a non-critical service: shown, but it never decides the exit code', async () => {
    // A deploy gate over a config with an optional service that is down (`critical: false`) timed
    // out and failed the deploy, while its own JSON said "status": "up".
    const server = await startHttp(ok);
    const port = await closedPort();
    const config = configFile({ services: [{ name: 'api', url: server.url }, { name: 'optional', url: `http://127.0.0.1:${port}/`, critical: false }] });
    const result = await runCli(['wait', '-c', config, '--no-canaries', '--json', '--timeout', '5s', '--interval', '100ms']);
    await server.close();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'up', exitCode: 0 });
    expect(result.stderr).toMatch(/optional down \(tcp\.refused\)/);
    expect(result.stderr).toMatch(/ready: api up \(non-critical, not waited for: optional\)/);
    // Named alone, a non-critical service is what the user asked to wait for.
    const alone = await runCli(['wait', '-c', config, 'optional', '--no-canaries', '--timeout', '500ms', '--interval', '100ms']);
    expect(alone.code).toBe(2);
    expect(alone.stdout).toMatch(/1 of 1 services not ready/);
  });

  it('--stable N needs N passing checks in a row', async () => {
    const server = await startHttp(ok);
    const result = await runCli(['wait', server.url, '--stable', '3', '--interval', '100ms', '--timeout', '10s']);
    await server.close();
    expect(result.code).toBe(0);
    expect(server.requests).toBe(3);
    expect(result.stdout).toMatch(/for 3 checks in a row/);
  });

  it('interrupted before any check finished, it still names each service, and --json still prints a report', async () => {
    const server = await startHttp(delayed(60_000));
    try {
      for (const json of [false, true]) {
        const before = server.requests;
        const waiting = startCli(['wait', server.url, '--no-canaries', '--timeout', '1m', ...(json ? ['--json'] : [])]);
        while (server.requests === before) await new Promise((resolve) => setTimeout(resolve, 20));
        waiting.child.kill('SIGINT');
        const result = await waiting.result;
        expect(result.code).toBe(130);
        const lines = json ? result.stderr : result.stdout;
        expect(lines).toContain('interrupted by SIGINT: 1 of 1 services not ready');
        expect(lines).toContain(`  ${server.url}: unknown (interrupted)`);
        if (json) expect(JSON.parse(result.stdout)).toMatchObject({ interrupted: true, exitCode: 130, services: [{ name: server.url, code: 'interrupted' }] });
      }
    } finally {
      await server.close();
    }
  });

  it('the first check runs however short the wait (the README promises it), and its result is said', async () => {
    const server = await startHttp(ok);
    const result = await runCli(['wait', server.url, '--no-canaries', '--timeout', '1ms']);
    await server.close();
    if (result.code === 0) expect(result.stdout).toContain(`ready: ${server.url} up`);
    else expect(result.stdout).toContain(`\n  ${server.url}: `);
    expect(result.stdout).not.toMatch(/services not ready\n$/);
  });

  it('SIGINT stops it cleanly with exit 130', async () => {
    const port = await closedPort();
    const waiting = startCli(['wait', `http://127.0.0.1:${port}/`, '--timeout', '1m', '--interval', '200ms']);
    await waiting.waitFor(/tcp\.refused/);
    waiting.child.kill('SIGINT');
    const result = await waiting.result;
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/interrupted by SIGINT: 1 of 1 services not ready/);
  });

  it('judges states and backs off up to the interval', () => {
    expect([reached('up', 'up'), reached('degraded', 'up'), reached('degraded', 'degraded'), reached('down', 'degraded'), reached('down', 'down')]).toEqual([true, false, true, false, true]);
    expect([1, 2, 3, 4, 5].map((n) => nextDelay(2000, n))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(nextDelay(2000, 0)).toBe(2000);
    expect(nextDelay(100, 3)).toBe(100);
  });
});

describe('outage watch', () => {
  it('prints transitions with durations and the incidents on Ctrl-C', async () => {
    let healthy = true;
    const handler: Handler = (req, res) => (healthy ? ok(req, res) : respond(503)(req, res));
    const server = await startHttp(handler);
    const watching = startCli(['watch', server.url, '--interval', '200ms', '--retries', '0']);
    await watching.waitFor(/^\d\d:\d\d:\d\d http:\S+ up$/m);
    healthy = false;
    await watching.waitFor(/^\d\d:\d\d:\d\d http:\S+ up → down \(http\.status 503\)$/m);
    await new Promise((r) => setTimeout(r, 500));
    healthy = true;
    await watching.waitFor(/^\d\d:\d\d:\d\d http:\S+ down → up after (\d+ms|[\d.]+s)$/m);
    watching.child.kill('SIGINT');
    const result = await watching.result;
    await server.close();
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/Incidents this session \(1\):\n {2}http:\S+ {2}down {2}\d\d:\d\d:\d\d → \d\d:\d\d:\d\d {2}\S+ {2}http\.status 503/);
  });

  it('says so when the session had no incidents', async () => {
    const server = await startHttp(ok);
    const watching = startCli(['watch', server.url, '--interval', '200ms']);
    await watching.waitFor(/ up\n/);
    watching.child.kill('SIGINT');
    const result = await watching.result;
    await server.close();
    expect(result.stdout).toMatch(/No incidents this session\./);
  });
});
