/**
 * outage at a real terminal (a pseudo-terminal through `script`): the spinner never hangs at
 * 0 columns, never swallows Ctrl-C, draws cheaply, and leaves no escape sequences where the
 * user asked for none.
 */
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { ok, startHttp, startTcp, type TestServer } from '../helpers/servers.js';
import { screenLines, startInPty, type RunningPty } from '../helpers/pty.js';
import { requires } from '../helpers/requires.js';

/** util-linux `script` runs outage in a real pseudo-terminal; without it these tests say NOT RUN. */
const inPty = requires({ tools: [{ name: 'script', install: 'apt-get install util-linux' }] });

const ESC = '\u001b';
const SPINNER_FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const frameCount = (text: string) => text.match(new RegExp(SPINNER_FRAME.source, 'g'))?.length ?? 0;

let up: TestServer;
/** Accepts connections and never answers: a check of it stays in flight until its timeout. */
let silent: TestServer;
let silentUrl: string;
beforeAll(async () => {
  [up, silent] = await Promise.all([startHttp(ok), startTcp(() => {})]);
  silentUrl = `http://127.0.0.1:${silent.port}/`;
});
afterAll(async () => {
  await Promise.all([up.close(), silent.close()]);
});

const running: RunningPty[] = [];
function pty(...args: Parameters<typeof startInPty>): RunningPty {
  const started = startInPty(...args);
  running.push(started);
  return started;
}
afterEach(() => {
  for (const started of running.splice(0)) started.kill();
});

/** Resolves when the silent server holds `count` connections: the run is stuck in flight. */
async function inFlight(count: number): Promise<void> {
  const before = silent.connections;
  while (silent.connections < before + count) await new Promise((r) => setTimeout(r, 10));
}

describe('zero-column terminal (script </dev/null, as CI wrappers run it)', () => {
  inPty.it('check draws no spinner and ends within its budget, with a readable table', async () => {
    const started = performance.now();
    const run = pty(['check', '--timeout', '1s', '--retries', '0', '--no-canaries', up.url, silentUrl], { cols: 0, rows: 0 });
    const result = await run.result;
    expect(result.exitedAt - started).toBeLessThan(6_000);
    expect(result.code).toBe(2);
    const screen = screenLines(result.output).join('\n');
    expect(screen).toMatch(/DOWN · 2 services: 1 up, 1 down/);
    expect(screen).toMatch(/│ ✖ down │.*no response headers within 1s/);
    expect(frameCount(result.output)).toBe(0);
    // The hang redrew without end; a finished run is a table, not megabytes of redraws.
    expect(result.output.length).toBeLessThan(5_000);
  });
});

describe('Ctrl-C at a real terminal while the spinner shows', () => {
  inPty.it('check exits 130 within 500 ms and prints the partial results', async () => {
    const run = pty(['check', '--timeout', '60s', '--no-canaries', up.url, silentUrl], { cols: 100, typing: true });
    // The spinner shows the up service done and the silent one holds the run.
    await Promise.all([run.waitFor(/1\/2 checked/), inFlight(1)]);
    const typedAt = performance.now();
    run.type('\u0003');
    const result = await run.result;
    expect(result.code).toBe(130);
    expect(result.exitedAt - typedAt).toBeLessThan(500);
    const screen = screenLines(result.output).join('\n');
    expect(screen).toMatch(new RegExp(`127\\.0\\.0\\.1:${up.port}\\s+│ ✔ up`));
    expect(screen).toMatch(/│ \? unknown\s+│.*stopped before it finished/);
    expect(screen).toMatch(/UNKNOWN · 2 services: 1 up, 1 unknown · .* · interrupted/);
  });

  inPty.it('wait exits 130 within 500 ms and says it was interrupted', async () => {
    const run = pty(['wait', '--timeout', '60s', '--probe-timeout', '60s', '--no-canaries', silentUrl], { cols: 100, typing: true });
    await Promise.all([run.waitFor(/waiting for 1 service\b/), inFlight(1)]);
    const typedAt = performance.now();
    run.type('\u0003');
    const result = await run.result;
    expect(result.code).toBe(130);
    expect(result.exitedAt - typedAt).toBeLessThan(500);
    expect(result.output).toMatch(/interrupted by SIGINT: 1 of 1 services not ready/);
  });
});

describe('the spinner', () => {
  inPty.it('redraws at most about 10 times a second, on one line cut to the width', async () => {
    const run = pty(['check', '--timeout', '2s', '--retries', '0', '--no-canaries', `${silentUrl}${'a-long-path/'.repeat(12)}`], { cols: 40 });
    const result = await run.result;
    expect(result.code).toBe(2);
    // Two seconds of a silent server: about 20 frames, not thousands.
    expect(frameCount(result.output)).toBeGreaterThanOrEqual(5);
    expect(frameCount(result.output)).toBeLessThanOrEqual(25);
    // Every frame on the spinner's line stays under the 40 columns: it never wraps.
    const spinnerLine = screenLines(result.output).find((line) => SPINNER_FRAME.test(line)) ?? '';
    for (const part of spinnerLine.split('\r')) expect([...part].length).toBeLessThan(40);
  });

  inPty.it('with NO_COLOR draws with carriage returns only: no escape sequence reaches the terminal', async () => {
    const result = await pty(['check', '--no-canaries', up.url], { cols: 80, env: { NO_COLOR: '1' } }).result;
    expect(result.code).toBe(0);
    expect(result.output).toMatch(SPINNER_FRAME);
    expect(result.output).not.toContain(ESC);
  });

  inPty.it('with TERM=dumb does not draw at all, and nothing is colored', async () => {
    const result = await pty(['check', '--no-canaries', up.url], { cols: 80, env: { TERM: 'dumb' } }).result;
    expect(result.code).toBe(0);
    expect(result.output).not.toMatch(SPINNER_FRAME);
    expect(result.output).not.toContain(ESC);
    expect(result.output).toMatch(/UP · 1 service: 1 up/);
  });

  inPty.it('colors where color is allowed (what the two tests above turn off)', async () => {
    const result = await pty(['check', '--no-canaries', up.url], { cols: 80 }).result;
    expect(result.output).toMatch(SPINNER_FRAME);
    expect(result.output).toContain(`${ESC}[`);
  });
});

describe('watch at a terminal it cannot redraw', () => {
  const terminals: [string, { cols: number; env?: NodeJS.ProcessEnv }][] = [
    ['TERM=dumb (an editor shell)', { cols: 100, env: { TERM: 'dumb' } }],
    ['0 columns (script </dev/null, as CI wrappers run it)', { cols: 0 }],
  ];
  for (const [what, options] of terminals) {
    inPty.it(`${what}: one line per change, no clear-screen sequences`, async () => {
      const run = pty(['watch', '--no-canaries', '--interval', '200ms', up.url], { ...options, typing: true });
      await run.waitFor(/\d\d:\d\d:\d\d http:\/\/127\.0\.0\.1:\d+\/? up/);
      run.type('\x03');
      const result = await run.result;
      expect(result.code).toBe(130);
      expect(result.output).not.toContain(`${ESC}[2J`);
      expect(result.output).toMatch(/No incidents this session/);
    });
  }
});
