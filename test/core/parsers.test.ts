import { describe, expect, it } from 'vitest';
import { parseHostsFile } from '../../src/net/dns-resolver.js';
import { orderAddresses } from '../../src/net/connect.js';
import { createRedactor } from '../../src/core/redact.js';
import { exitCodeFor, worst } from '../../src/core/status.js';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { parseStatusExpectation, statusMatches } from '../../src/core/http-status-range.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['14d', 1_209_600_000],
    ['250', 250],
    [750, 750],
  ])('%j → %d ms', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each(['', 'soon', '-1s', '10 sec', '1w', '1e3', 'ms', -5, Number.NaN])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('formats for humans', () => {
    expect([formatDuration(12.4), formatDuration(1234), formatDuration(65_000), formatDuration(3 * 3_600_000 + 12 * 60_000)]).toEqual(['12ms', '1.23s', '1m 5s', '3h 12m']);
  });
});

describe('status expectations', () => {
  it.each([
    [200, [[200, 200]]],
    ['200-399', [[200, 399]]],
    ['2xx', [[200, 299]]],
    [[200, '301-302', '5xx'], [[200, 200], [301, 302], [500, 599]]],
  ])('%j', (input, ranges) => expect(parseStatusExpectation(input)).toEqual(ranges));

  it.each([[700], ['abc'], ['300-200'], [[]], ['6xx'], [true]])('rejects %j', (input) => {
    expect(typeof parseStatusExpectation(input)).toBe('string');
  });

  it('matches inclusive ranges', () => {
    const ranges = parseStatusExpectation(['200-204', 301]) as [number, number][];
    expect([200, 204, 205, 301, 302].map((s) => statusMatches(s, ranges))).toEqual([true, true, false, true, false]);
  });
});

describe('statuses and exit codes', () => {
  it('the worst status wins and skipped does not count', () => {
    expect(worst(['up', 'skipped', 'degraded'])).toBe('degraded');
    expect(worst(['down', 'unknown', 'up'])).toBe('unknown');
    expect(worst([])).toBe('up');
  });

  it.each([
    ['up', 'degraded', 0],
    ['degraded', 'degraded', 1],
    ['down', 'degraded', 2],
    ['unknown', 'degraded', 3],
    ['degraded', 'down', 0],
    ['down', 'down', 2],
    ['down', 'never', 0],
  ] as const)('%s with --fail-on %s exits %d', (status, failOn, code) => {
    expect(exitCodeFor(status, failOn)).toBe(code);
  });
});

describe('redaction', () => {
  it('replaces every known secret, longest first', () => {
    const redact = createRedactor(['abc123', 'abc123-long-token']);
    expect(redact('a=abc123-long-token b=abc123')).toBe('a=*** b=***');
  });

  it('treats secrets as literal text, not patterns', () => {
    expect(createRedactor(['a.b*c'])('xa.b*cx axbbc')).toBe('x***x axbbc');
  });
});

describe('network helpers', () => {
  it('parses /etc/hosts', () => {
    const hosts = parseHostsFile('127.0.0.1 localhost box # comment\n::1 localhost ip6-localhost\n# 10.0.0.1 ignored\n');
    expect(hosts.get('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(hosts.get('box')).toEqual(['127.0.0.1']);
    expect(hosts.has('ignored')).toBe(false);
  });

  it('tries IPv4 first, then alternates families', () => {
    expect(orderAddresses(['::1', '::2', '10.0.0.1', '10.0.0.2'])).toEqual(['10.0.0.1', '::1', '10.0.0.2', '::2']);
  });
});
