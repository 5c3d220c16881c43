/**
 * `outage wait` with more services than --concurrency runs at once: the services queued behind
 * the cap must not carry the wait past its --timeout. Each check used to get the time left when
 * the round began, so with services that hang, one after another, a `--timeout 1500ms` over four
 * of them at `--concurrency 1` ended after 6 s, saying "not up after 1.50s" — a deploy gate that
 * overran its own budget and misstated it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { delayed, ok, startHttp, type TestServer } from '../helpers/servers.js';

let hanging: TestServer;
let up: TestServer;
let slow: TestServer;
beforeAll(async () => {
  hanging = await startHttp(() => {});
  up = await startHttp(ok);
  slow = await startHttp(delayed(500));
});
afterAll(() => {
  hanging.close();
  up.close();
  slow.close();
});

describe('a wait whose services queue behind --concurrency', () => {
  it('ends at its --timeout: a service whose turn comes too late is not checked, and says so', async () => {
    const urls = ['a', 'b', 'c', 'd'].map((path) => `${hanging.url}/${path}`);
    const result = await runCli(['wait', ...urls, '--no-canaries', '--concurrency', '1', '--timeout', '1500ms', '--probe-timeout', '1m']);
    expect(result.code).toBe(2);
    // 1.5 s of waiting plus Node's start; each queued service got a whole 1.5 s more before.
    expect(result.durationMs).toBeLessThan(3500);
    expect(hanging.requests).toBe(1);
    expect(result.stdout).toMatch(/not up after 1\.50s: 4 of 4 services not ready/);
    expect(result.stdout).toMatch(new RegExp(`  ${urls[0]}: down \\(http\\.timeout\\) — no response headers within 1\\d{3}ms\n`));
    for (const url of urls.slice(1)) expect(result.stdout).toContain(`  ${url}: unknown (interrupted) — not checked: the wait's --timeout ran out while it queued behind --concurrency 1`);
  });

  it('checks a service queued behind a quick one, with under a second of the wait left: not skipped, the wait ready', async () => {
    // Its timeout was the time the wait had left, so it waited for more than was left and was
    // never checked: two healthy services, `--timeout 1s --concurrency 1`, were "not up after 8ms".
    const urls = ['a', 'b'].map((path) => `${up.url}/${path}`);
    const result = await runCli(['wait', ...urls, '--no-canaries', '--concurrency', '1', '--timeout', '1s']);
    expect(result.stdout).toMatch(/ready: all 2 services up/);
    expect(result.code).toBe(0);
    expect(up.requests).toBe(2);
  });

  it('never checks a queued service with less than its own minimum: its last word is its last real check, not a squeezed timeout', async () => {
    // The slow one answers in 500 ms, so a check of it needs 1 s (see minimumCheckMs). The second
    // round starts with about 1.3 s left, which the hanging one, first, spends all but 0.3 s of:
    // checked in what the 100 ms floor let through, it "timed out", and that was the wait's word
    // on a service that had answered 200 every time.
    const result = await runCli(['wait', `${hanging.url}/`, `${slow.url}/`, '--no-canaries', '--concurrency', '1', '--probe-timeout', '1s', '--interval', '200ms', '--timeout', '3s']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(new RegExp(`: 1 of 2 services not ready\n  ${hanging.url}/: down \\(http\\.timeout\\) — no response headers within 1s\n$`));
    expect(result.stdout).not.toContain(`${slow.url}/: down`);
  });
});
