/** Flags that contradict each other, or are given twice: a usage error said once, or a stated rule. */
import { describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttp } from '../helpers/servers.js';

const own = closeAfterAll();
const up = own(await startHttp(ok));

describe('contradicting flags', () => {
  it.each([
    [['-q', '-v'], '-q/--quiet and -v/--verbose disagree: pick one'],
    [['--verbose', '--quiet'], '-q/--quiet and -v/--verbose disagree: pick one'],
    [['-qv'], '-q/--quiet and -v/--verbose disagree: pick one'],
    [['--json', '--format', 'tap'], '--json and --format tap disagree: pick one'],
  ])('%j is a usage error (64) before anything runs, said in one line', async (flags, message) => {
    const result = await runCli(['check', '--no-canaries', ...flags, up.url]);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`outage: ${message}\n`);
    expect(up.requests).toBe(0);
  });

  it('under --format nagios is the plugin result UNKNOWN (3) with the reason on stdout', async () => {
    const result = await runCli(['check', '--no-canaries', '-q', '-v', '--format', 'nagios', up.url]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('OUTAGE UNKNOWN - -q/--quiet and -v/--verbose disagree: pick one\n');
  });

  it('--json with --format json agrees, and a format given twice is the last one, as curl and git read a repeated option', async () => {
    const agree = await runCli(['check', '--no-canaries', '--json', '--format', 'json', up.url]);
    expect(agree.code).toBe(0);
    expect(JSON.parse(agree.stdout).exitCode).toBe(0);
    const twice = await runCli(['check', '--no-canaries', '--format', 'json', '--format', 'tap', up.url]);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/^TAP version 14\n/);
  });
});

describe("commander's own usage errors", () => {
  it('are said as outage: …, as every other message, exit 64', async () => {
    const unknown = await runCli(['check', '--no-canaries', '--bogus', up.url]);
    expect(unknown).toMatchObject({ code: 64, stdout: '', stderr: "outage: unknown option '--bogus'\n" });
    const missing = await runCli(['check', '--no-canaries', up.url, '--timeout']);
    expect(missing.stderr).toBe("outage: option '--timeout <duration>' argument missing\n");
    const typo = await runCli(['chek']);
    expect(typo.stderr).toBe("outage: unknown command 'chek'\n(Did you mean check?)\n");
  });

  it('the help says what a target can be, catalog names included, and what no target means', async () => {
    const help = await runCli(['check', '--help']);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('configured service names, catalog names (outage catalog lists them), or ad-hoc targets');
    expect(text).toContain("None: the config's services, or with no config the catalog's default set of public services");
    for (const command of ['wait', 'watch', 'list']) {
      expect((await runCli([command, '--help'])).stdout.replace(/\s+/g, ' '), command).toContain('catalog names (outage catalog lists them)');
    }
  });
});

describe('--json when the run cannot start', () => {
  it('a usage error is still one JSON document on stdout, with the stable code and the exit code', async () => {
    const result = await runCli(['check', '--no-canaries', '--json', '--retries', 'many', up.url]);
    expect(result.code).toBe(64);
    const doc = JSON.parse(result.stdout);
    expect(doc).toEqual({ schemaVersion: 1, status: 'error', exitCode: 64, error: { code: 'usage.invalid', message: expect.stringMatching(/retries/) } });
    expect(result.stderr).toMatch(/^outage: /);
  });

  it("commander's errors too, and under --format json", async () => {
    const result = await runCli(['check', '--no-canaries', '--format', 'json', '--bogus', up.url]);
    expect(result.code).toBe(64);
    expect(JSON.parse(result.stdout)).toEqual({ schemaVersion: 1, status: 'error', exitCode: 64, error: { code: 'usage.invalid', message: "unknown option '--bogus'" } });
  });

  it('a config error lists its problems with their key paths (wait --json and list --json alike)', async () => {
    const config = configFile({ services: [{ name: 'a', url: up.url, timout: '5s' }] });
    const before = up.requests;
    for (const args of [['check', '--json'], ['wait', '--json', '--timeout', '1s'], ['list', '--json']]) {
      const result = await runCli([...args, '-c', config]);
      expect(result.code, args.join(' ')).toBe(78);
      const doc = JSON.parse(result.stdout);
      expect(doc).toMatchObject({ schemaVersion: 1, status: 'error', exitCode: 78, error: { code: 'config.invalid' } });
      expect(doc.error.problems).toEqual([{ path: 'services[0].timout', message: 'unknown key (did you mean "timeout"?)' }]);
    }
    expect(up.requests).toBe(before);
  });

  it('without --json stdout stays empty', async () => {
    const result = await runCli(['check', '--no-canaries', '--retries', 'many', up.url]);
    expect(result).toMatchObject({ code: 64, stdout: '' });
  });
});
