/** Flags that contradict each other, or are given twice: a usage error said once, or a stated rule. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
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
