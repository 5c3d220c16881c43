/**
 * `outage watch` stopped in the middle of a round: one service hangs (its check takes the whole
 * probe timeout) while another has already been seen down. What the round saw before Ctrl-C is
 * what the session saw; a service it never finished checking is not called fine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let failing: TestServer;
let hanging: TestServer;
let healthy: TestServer;
beforeAll(async () => {
  [failing, hanging, healthy] = await Promise.all([startHttp(respond(503)), startHttp(() => {}), startHttp(ok)]);
});
afterAll(async () => {
  await Promise.all([failing.close(), hanging.close(), healthy.close()]);
});

/** The URL as given and as printed. */
const target = (server: TestServer) => `${server.url}/`;

const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
};

describe('watch stopped while a round is still checking', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: a service already seen down is printed and counted as an incident', async (signal) => {
    failing.requests = 0;
    hanging.requests = 0;
    const watching = startCli(['watch', '--no-canaries', '--retries', '0', '--probe-timeout', '60s', '--interval', '1s', target(healthy), target(failing), target(hanging)]);
    // The 503 is answered at once; the hanging service holds the round open for a minute.
    await until(() => failing.requests >= 1 && hanging.requests >= 1);
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = performance.now();
    watching.child.kill(signal);
    const result = await watching.result;
    expect(result.code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(result.exitedAt - sentAt).toBeLessThan(500);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${target(failing)} down \\(http\\.status 503\\)$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${target(healthy)} up$`)));
    expect(result.stdout).toMatch(new RegExp(`Incidents this session \\(1\\):\\n {2}${target(failing)} {2}down {2}\\d\\d:\\d\\d:\\d\\d → ongoing {2}\\S+ {2}http\\.status 503`));
    // Never judged: not a transition, not an incident, and not passed over in silence.
    expect(result.stdout).not.toMatch(new RegExp(`\\d ${target(hanging)} `));
    expect(result.stdout).toContain(`Stopped before its first check finished: ${target(hanging)}`);
  });

  it('a first round cut short does not say the session had no incidents as if all were fine', async () => {
    hanging.requests = 0;
    const watching = startCli(['watch', '--no-canaries', '--retries', '0', '--probe-timeout', '60s', target(hanging)]);
    await until(() => hanging.requests >= 1);
    watching.child.kill('SIGINT');
    const result = await watching.result;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe(`\nNo incidents this session.\nStopped before its first check finished: ${target(hanging)}\n`);
  });
});
