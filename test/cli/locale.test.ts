/**
 * The locale's character set: under a locale that is not UTF-8 (`LANG=C`, `LC_ALL=POSIX`, a
 * Latin-1 locale), what outage writes for people is ASCII — the table's box, the status symbols,
 * the spinner, the wait and watch lines, list, catalog, validate and error messages — aligned as
 * in Unicode; the machine formats stay UTF-8. No locale set at all counts as UTF-8 (a container).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, ok, startHttp, type TestServer } from '../helpers/servers.js';
import { configFile, runCli } from '../helpers/cli.js';
import { startInPty } from '../helpers/pty.js';
import { requires } from '../helpers/requires.js';
import { startServe } from '../helpers/serve.js';

const inPty = requires({ tools: [{ name: 'script', install: 'apt-get install util-linux' }] });
// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\u0000-\u007f]*$/;
const BOX = /[─│┌┬┐├┼┤└┴┘]/;

let up: TestServer;
let refused: string;
beforeAll(async () => {
  up = await startHttp(ok);
  refused = `http://127.0.0.1:${await closedPort()}/`;
});
afterAll(() => up.close());

const check = (env: NodeJS.ProcessEnv, ...extra: string[]) => runCli(['check', '--no-canaries', '--timeout', '2s', up.url, refused, ...extra], { env });

describe('a locale that is not UTF-8', () => {
  for (const env of [{ LANG: 'C' }, { LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' }, { LC_CTYPE: 'en_US.ISO-8859-1' }, { LANG: 'en_US' }]) {
    it(`check's table is ASCII and still aligned (${JSON.stringify(env)})`, async () => {
      const r = await check(env);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(ASCII_ONLY);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^\+-+\+-+\+/);
      expect(r.stdout).toMatch(/\| \+ up +\|/);
      expect(r.stdout).toMatch(/\| x down \|/);
      expect(r.stdout).toMatch(/DOWN - 2 services: 1 up, 1 down/);
      // Every line of the box as wide as the first: one ASCII character for each Unicode one.
      const box = lines.filter((l) => /^[+|]/.test(l));
      for (const line of box) expect(line.length).toBe(box[0]?.length);
    });
  }

  it('a name the locale cannot show is one ? per cell, in the table only: --json keeps it exact', async () => {
    const config = configFile({ services: [{ name: 'Café 東京', url: up.url }] });
    const table = await runCli(['check', '-c', config, '--no-canaries'], { env: { LANG: 'C' } });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(ASCII_ONLY);
    expect(table.stdout).toContain('| Caf? ???? ');
    const json = await runCli(['check', '-c', config, '--no-canaries', '--json'], { env: { LANG: 'C' } });
    expect(JSON.parse(json.stdout).services[0].name).toBe('Café 東京');
  });

  it('wait, list, catalog, validate and error messages are ASCII too', async () => {
    const env = { LC_ALL: 'C' };
    const wait = await runCli(['wait', '--no-canaries', '--timeout', '300ms', refused], { env });
    expect(wait.code).toBe(2);
    expect(wait.stdout).toMatch(/down \(tcp\.refused\) - /);
    const config = configFile({ services: [{ name: 'api', url: up.url }] });
    const list = await runCli(['list', '-c', config], { env });
    expect(list.stdout).toMatch(/tcp > http/);
    const catalog = await runCli(['catalog'], { env });
    const validate = await runCli(['validate', '-c', config], { env });
    expect(validate.stdout).toMatch(/^\+ .*valid, 1 service/);
    const nothing = await runCli(['check', '-c', configFile({})], { env });
    expect(nothing.code).toBe(64);
    expect(nothing.stderr).toMatch(/nothing to check/);
    for (const r of [wait, list, catalog, validate, nothing]) {
      expect(r.stdout).toMatch(ASCII_ONLY);
      expect(r.stderr).toMatch(ASCII_ONLY);
    }
  });
});

describe('help', () => {
  it('is ASCII in every locale (answered before any locale is read, from texts made at build time)', async () => {
    for (const command of [[], ['check'], ['wait'], ['watch'], ['list'], ['validate'], ['init'], ['schema'], ['catalog'], ['serve']]) {
      const r = await runCli([...command, '--help'], { env: { LANG: 'C' } });
      expect(r.code, command.join(' ')).toBe(0);
      expect(r.stdout, command.join(' ')).toMatch(ASCII_ONLY);
    }
  });
});

describe('outage serve', () => {
  it('says where it listens in ASCII, and stops cleanly', async () => {
    const serve = await startServe([], { LANG: 'C' });
    const stopped = await serve.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(probe: \S+\/probe\?target=URL\)/);
    expect(stopped.stderr).toMatch(ASCII_ONLY);
  });
});

describe('outage serve stopped the moment it says it listens', () => {
  it('stops gracefully (exit 0), never by the signal: its handlers are in place before that line', async () => {
    // The line is what a supervisor or a script waits for before it may stop the exporter again.
    for (let i = 0; i < 8; i++) {
      const stopped = await (await startServe([])).stop();
      expect([stopped.code, stopped.signal]).toEqual([0, null]);
    }
  });
});

describe('a UTF-8 locale, or none at all', () => {
  for (const env of [{ LANG: 'C.UTF-8' }, { LANG: 'C', LC_ALL: 'en_US.utf8' }, {}, { LANG: '', LC_ALL: '' }]) {
    it(`keeps the Unicode table (${JSON.stringify(env)})`, async () => {
      const r = await check(env);
      expect(r.stdout).toMatch(BOX);
      expect(r.stdout).toMatch(/✖ down/);
      expect(r.stdout).toMatch(/DOWN · 2 services/);
    });
  }
});

describe('at a terminal with LC_ALL=C', () => {
  inPty.it('the spinner turns in ASCII and the terminal gets no other byte', async () => {
    const run = startInPty(['check', '--no-canaries', '--timeout', '2s', up.url, refused], { cols: 80, env: { LC_ALL: 'C', NO_COLOR: '1' } });
    try {
      const result = await run.result;
      expect(result.code).toBe(2);
      expect(result.output).toMatch(/\r[-\\|/] /);
      expect(result.output).toMatch(ASCII_ONLY);
      expect(result.output).toMatch(/DOWN - 2 services/);
    } finally {
      run.kill();
    }
  });
});
