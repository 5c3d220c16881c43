/**
 * Two services whose names are one once redacted — the same URL with two passwords, as a deploy
 * script checks two tenants or two users — are two services to `wait` and `watch`. Kept by name,
 * they shared one pass counter and one state: `wait` said "ready: all 2 services up" and exited 0
 * while one answered 503 (a deploy gate opened on a down service), and `watch` printed a transition
 * every round that nothing had made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { startHttp, type TestServer } from '../helpers/servers.js';

/** Answers 503 to the first user:password, 200 to any other: two services behind one URL. */
const FAILING = `Basic ${Buffer.from('deploy:first-pw-1').toString('base64')}`;
let server: TestServer;
let failing: string;
let healthy: string;

beforeAll(async () => {
  server = await startHttp((req, res) => res.writeHead(req.headers.authorization === FAILING ? 503 : 200).end());
  failing = server.url.replace('//', '//deploy:first-pw-1@');
  healthy = server.url.replace('//', '//deploy:second-pw-2@');
});
afterAll(() => server.close());

describe('services that differ only in their credentials', () => {
  it('wait does not call them ready while one is down, in either order', async () => {
    for (const targets of [[failing, healthy], [healthy, failing]]) {
      const r = await runCli(['wait', ...targets, '--no-canaries', '--timeout', '1s', '--interval', '100ms']);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stdout).toMatch(/: 1 of 2 services not ready\n/);
      expect(r.stdout).not.toMatch(/first-pw|second-pw/);
    }
  });

  it('watch prints each one state and no transition that did not happen', async () => {
    const watching = startCli(['watch', failing, healthy, '--no-canaries', '--interval', '100ms', '--retries', '0']);
    // Several rounds: each would have flipped the shared state.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    watching.child.kill('SIGINT');
    const r = await watching.result;
    expect(r.code).toBe(130);
    const lines = r.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ http:\/\/\*\*\*@127\.0\.0\.1:\d+\/? down \(http\.status 503\)$/);
    expect(lines[1]).toMatch(/ http:\/\/\*\*\*@127\.0\.0\.1:\d+\/? \(2\) up$/);
    expect(r.stdout).toMatch(/Incidents this session \(1\):/);
  });
});
