/**
 * Output fits the terminal (or COLUMNS when stdout is not one) for check, list and catalog, and
 * long names wrap instead of being cut: two URLs that differ only at the end stay two names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ok, respond, startHttp, type TestServer } from '../helpers/servers.js';
import { screenLines, screenWidth, startInPty } from '../helpers/pty.js';
import { requires } from '../helpers/requires.js';

/** util-linux `script` runs outage in a real pseudo-terminal; without it these tests say NOT RUN. */
const inPty = requires({ tools: [{ name: 'script', install: 'apt-get install util-linux' }] });

let up: TestServer;
let failing: TestServer;
let longUrls: string[];
beforeAll(async () => {
  [up, failing] = await Promise.all([startHttp(ok), startHttp(respond(503))]);
  // Identical for 60 characters: cut to any width under that, they would read the same.
  longUrls = ['v1', 'v2'].map((end) => `${up.url}/health/service-alpha/really/long/path/${end}`);
});
afterAll(async () => {
  await Promise.all([up.close(), failing.close()]);
});

const COMMANDS = {
  check: () => ['check', '--no-canaries', ...longUrls, `${failing.url}/status`],
  list: () => ['list', ...longUrls, `${failing.url}/status`],
  catalog: () => ['catalog'],
};

/** The first column of a table, each cell's wrapped lines joined back together. */
function firstColumn(text: string): string[] {
  const cells: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^[┌├└]/.test(line)) {
      if (current) cells.push(current.join(''));
      current = [];
    } else if (line.startsWith('│') && current) {
      current.push((line.split('│')[1] ?? '').trim());
    }
  }
  return cells.slice(1); // the first is the header
}

/** In blocks (narrow terminals): the value of each `Service` field, continuation lines joined. */
function blockField(text: string, title: string): string[] {
  const values: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.startsWith(`${title} `)) return;
    const parts = [line.slice(title.length).trim()];
    for (let next = i + 1; lines[next]?.startsWith(' '); next++) parts.push((lines[next] as string).trim());
    values.push(parts.join(''));
  });
  return values;
}

const width = (line: string) => [...line].length;

describe('COLUMNS=80 with stdout not a terminal', () => {
  it.each(Object.keys(COMMANDS) as (keyof typeof COMMANDS)[])('%s: no line is longer than 80', async (command) => {
    const result = await runCli(COMMANDS[command](), { env: { COLUMNS: '80' } });
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(Math.max(...lines.map(width))).toBeLessThanOrEqual(80);
  });

  it('check: long names wrap whole, and the reason column keeps at least 24 characters', async () => {
    const result = await runCli(COMMANDS.check(), { env: { COLUMNS: '80' } });
    expect(result.code).toBe(2);
    for (const url of longUrls) expect(result.stdout).not.toContain(url);
    expect(firstColumn(result.stdout)).toEqual([...longUrls, `${failing.url}/status`]);
    const borders = result.stdout.split('\n')[0]?.split(/[┌┬┐]/).filter(Boolean) ?? [];
    expect(borders.at(-1)?.length).toBeGreaterThanOrEqual(24 + 2);
    expect(result.stdout).toMatch(/│ HTTP 503 \(expected\s+│/);
  });

  it('list: names and targets wrap whole', async () => {
    const result = await runCli(COMMANDS.list(), { env: { COLUMNS: '80' } });
    // Wrapped (no line holds a whole long URL), yet each comes back whole from its cell.
    for (const url of longUrls) expect(result.stdout).not.toContain(url);
    expect(firstColumn(result.stdout)).toEqual([...longUrls, `${failing.url}/status`]);
  });
});

describe('too narrow for the probe columns (COLUMNS=56)', () => {
  it('check: the failing service keeps its status and code, now leading its reason', async () => {
    const result = await runCli(COMMANDS.check(), { env: { COLUMNS: '56' } });
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')[1]).not.toMatch(/HTTP/);
    expect(result.stdout).toMatch(/│ ✖ down │ http\.status 503: HTTP\s/);
  });

  it('check at COLUMNS=20, in blocks: the status and the code are still there', async () => {
    const result = await runCli(COMMANDS.check(), { env: { COLUMNS: '20' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Status\n {2}✖ down\n/m);
    expect(result.stdout).toMatch(/^Reason\n {2}http\.status 503:/m);
  });
});

describe('narrower than a table can be (COLUMNS=50)', () => {
  it.each(['check', 'list'] as const)('%s: one block per service, every field whole, nothing over 50', async (command) => {
    const result = await runCli(COMMANDS[command](), { env: { COLUMNS: '50' } });
    expect(Math.max(...result.stdout.split('\n').map(width))).toBeLessThanOrEqual(50);
    expect(blockField(result.stdout, 'Service')).toEqual([...longUrls, `${failing.url}/status`]);
  });

  it('catalog: one block per entry, nothing over 50', async () => {
    const result = await runCli(COMMANDS.catalog(), { env: { COLUMNS: '50' } });
    expect(Math.max(...result.stdout.split('\n').map(width))).toBeLessThanOrEqual(50);
    expect(blockField(result.stdout, 'Name')).toContain('github *');
  });
});

describe('no terminal and no COLUMNS', () => {
  it('check keeps the natural width: each name whole on one line, as a file or a pipe wants', async () => {
    const result = await runCli(COMMANDS.check(), { env: { COLUMNS: undefined } });
    for (const url of longUrls) expect(result.stdout).toMatch(new RegExp(`│ ${url.replace(/[./]/g, '\\$&')} +│`));
  });
});

inPty.describe('a real terminal 80 columns wide', () => {
  it.for(Object.keys(COMMANDS) as (keyof typeof COMMANDS)[])('%s: nothing on screen is wider than 80', async (command) => {
    const result = await startInPty(COMMANDS[command](), { cols: 80 }).result;
    const lines = screenLines(result.output);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((line) => screenWidth(line) > 80)).toEqual([]);
  });

  it('check: the two long names stay two different names', async () => {
    const result = await startInPty(COMMANDS.check(), { cols: 80 }).result;
    // What a line ends as on screen: the text after its last carriage return.
    const screen = screenLines(result.output).map((line) => line.split('\r').at(-1) as string);
    expect(firstColumn(screen.join('\n'))).toEqual([...longUrls, `${failing.url}/status`]);
  });

  it('watch: the table it redraws fits too, and Ctrl-C ends it with 130', async () => {
    const run = startInPty(['watch', '--interval', '1s', '--no-canaries', ...longUrls], { cols: 80, typing: true });
    try {
      await run.waitFor(/Ctrl-C to stop/);
      run.type('\u0003');
      const result = await run.result;
      expect(result.code).toBe(130);
      expect(screenLines(result.output).filter((line) => screenWidth(line) > 80)).toEqual([]);
      expect(result.output).toMatch(/service-alpha\//);
    } finally {
      run.kill();
    }
  });

  it("the terminal's own width wins over COLUMNS", async () => {
    const result = await startInPty(COMMANDS.list(), { cols: 100, env: { COLUMNS: '60' } }).result;
    const widest = Math.max(...screenLines(result.output).map(screenWidth));
    expect(widest).toBeGreaterThan(60);
    expect(widest).toBeLessThanOrEqual(100);
  });
});
