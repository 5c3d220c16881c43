import { describe, expect, it } from 'vitest';
import { parseHostsFile } from '../../src/net/hosts-file.js';
import { orderAddresses } from '../../src/net/connect.js';
import { scopedNameservers, searchNames, systemSkipsAAAA } from '../../src/net/resolv-conf.js';
import { createRedactor } from '../../src/core/redact.js';
import { exitCodeFor, worst } from '../../src/core/status.js';
import { formatDuration, MAX_DURATION_MS, parseDuration, readDuration } from '../../src/core/duration.js';
import { parseStatusExpectation, statusMatches } from '../../src/core/http-status-range.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    [' 2s ', 2000],
    // Compounds as Go and Prometheus write them, and as outage's tables print them.
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1m 5s', 65_000],
    ['2h45m30s500ms', 9_930_500],
  ])('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
    expect(readDuration(input)).toBe(ms);
  });

  it.each(['', 'soon', '-1s', '10 sec', '1w', '1e3', 'ms', '250', '1.5', '30s1m', '1m1m', '1m30', '1m-30s', '1m,30s'])('parseDuration refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it.each([
    ['5', '5: add a unit, 5s or 5000ms'],
    [5, '5: add a unit, 5s or 5000ms'],
    [1.1, '1.1: add a unit, 1.1s or 1100ms'],
    ['5000', '5000: add a unit, 5000ms or 5s'],
    [250, '250: add a unit, 250ms or 0.25s'],
    ['soon', 'soon: not a duration such as 500ms, 10s, 5m or 1h'],
    ['10 sec', '"10 sec": not a duration such as 500ms, 10s, 5m or 1h'],
    [-5, '-5: not a duration such as 500ms, 10s, 5m or 1h'],
    [Number.NaN, 'NaN: not a duration such as 500ms, 10s, 5m or 1h'],
    [true, 'true: not a duration such as 500ms, 10s, 5m or 1h'],
    [null, 'null: not a duration such as 500ms, 10s, 5m or 1h'],
    ['25d', '25d: more than 24h, the longest duration outage accepts'],
    ['24.5h', '24.5h: more than 24h, the longest duration outage accepts'],
  ])('readDuration(%j) says what to write instead', (input, message) => {
    expect(readDuration(input)).toBe(message);
  });

  it('accepts exactly the maximum, which fits a Node timer', () => {
    expect(readDuration('24h')).toBe(MAX_DURATION_MS);
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
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

describe('resolv.conf, read as glibc reads it', () => {
  const conf = (text: string, env: Record<string, string> = {}) => ({ text, env });

  it('keeps an IPv6 link-local nameserver\'s zone, under one spelling of the address', () => {
    expect([...scopedNameservers('nameserver fe80:0::0053%wlan0 # router\nnameserver 10.0.0.53\nnameserver ::1\n')]).toEqual([['fe80::53', 'fe80::53%wlan0']]);
  });

  it.each([
    // name, resolv.conf, names asked in order
    ['app', 'search a.test b.test', ['app.a.test', 'app.b.test', 'app']],
    ['app.corp', 'search a.test', ['app.corp', 'app.corp.a.test']],
    ['app.corp', 'search a.test\noptions ndots:2', ['app.corp.a.test', 'app.corp']],
    ['app.corp.', 'search a.test\noptions ndots:5', ['app.corp.']],
    ['app', 'search a.test\noptions no-tld-query', ['app.a.test']],
    // With no search domain tried, glibc asks the name as given even so (`dots || !searched || !RES_NOTLDQUERY`).
    ['app', 'options no-tld-query', ['app']],
    ['app', 'domain a.test\nsearch b.test c.test.', ['app.b.test', 'app.c.test', 'app']],
    ['app', 'search b.test\ndomain a.test', ['app.a.test', 'app']],
    ['app', 'search .', ['app']],
    ['app', '', ['app']],
  ])('%s under %j is asked as %j', (name, text, names) => {
    expect(searchNames(name, conf(text)).names).toEqual(names);
  });

  it('LOCALDOMAIN replaces the search list, RES_OPTIONS adds to the options', () => {
    expect(searchNames('app', conf('search a.test', { LOCALDOMAIN: 'env.test' })).names).toEqual(['app.env.test', 'app']);
    expect(searchNames('app', conf('search a.test', { LOCALDOMAIN: '' })).names).toEqual(['app']);
    expect(searchNames('x.y', conf('search a.test', { RES_OPTIONS: 'ndots:3' })).names).toEqual(['x.y.a.test', 'x.y']);
    expect(systemSkipsAAAA(conf('options rotate no-aaaa'))).toBe(true);
    expect(systemSkipsAAAA(conf('options rotate', { RES_OPTIONS: 'no-aaaa' }))).toBe(true);
    expect(systemSkipsAAAA(conf('# options no-aaaa\noptions edns0'))).toBe(false);
  });
});
