/**
 * URL user-info is decoded as curl decodes it, and values that cannot be sent are configuration
 * problems naming the variable, never quoting the value (or a piece of it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadServices } from '../../src/config/pipeline.js';
import { ConfigError } from '../../src/core/errors.js';

function problems(services: unknown[], env: Record<string, string> = {}): string[] {
  try {
    loadServices({ services }, { env, canaries: false });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
}

function basic(url: string): string {
  const loaded = loadServices({ services: [{ name: 'a', url }] }, { env: {}, canaries: false });
  const header = loaded.services[0]?.http?.headers.Authorization ?? '';
  return Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('latin1');
}

describe('user-info', () => {
  it.each([
    ['http://u:p%zz@h.test/', 'u:p%zz'],
    ['http://u:p%41@h.test/', 'u:pA'],
    ['http://u:100%@h.test/', 'u:100%'],
    ['http://u%40x:p%3Aq@h.test/', 'u@x:p:q'],
    ['http://u:%C3%A9@h.test/', 'u:\u00c3\u00a9'],
    ['http://u:é@h.test/', 'u:\u00c3\u00a9'],
    ['http://u:%FF@h.test/', 'u:\u00ff'],
    ['http://:only-pass@h.test/', ':only-pass'],
  ])('%s sends %j', (url, credentials) => expect(basic(url)).toBe(credentials));

  it('a control character after decoding is refused, as curl refuses it', () => {
    expect(problems([{ name: 'a', url: 'http://u:a%0Ab@h.test/' }])).toEqual(['services[0].url: the user-info decodes to a control character (such as %0A), which cannot be sent; curl refuses it too']);
  });

  it('a value from a variable gets no "did you mean": the nearest known word would say most of it', () => {
    const found = problems([{ name: 'a', dns: { name: 'x.test', type: '${TOK}' } }], { TOK: 'cnane' });
    expect(found).toEqual(['services[0].dns.type: expected one of A, AAAA, CNAME, MX, TXT, NS, SOA, CAA, got string "***" (part of ${TOK})']);
  });

  it('a piece of a secret quoted by a parser is hidden, and the variable named', () => {
    const found = problems([{ name: 'a', url: 'http://u:${PW}@h.test/' }], { PW: 'abcd/efgh' });
    expect(found).toEqual(['services[0].url: port "***" is not a number (part of ${PW}: in a URL, a / ? # or @ in a credential must be percent-encoded, such as %2F for /)']);
  });
});

describe('values that cannot be sent', () => {
  it.each([
    ['Bearer ${T}', { T: 'tok-1234\n' }, 'services[0].http.headers.Authorization: ${T} ends in a line break (U+000A), which an HTTP header value cannot carry (a secret read from a file often ends in a newline: strip it where the variable is set)'],
    ['Bearer ${T}', { T: 'tok\r\nX-Injected: 1' }, 'services[0].http.headers.Authorization: ${T} holds a line break (U+000D), which an HTTP header value cannot carry'],
    ['Bearer x\u0007y', {}, 'services[0].http.headers.Authorization: the value holds a control character (U+0007), which an HTTP header value cannot carry'],
    ['Bearer ${T}', { T: 'tök-ok\t' }, undefined],
  ])('%j with %j', (value, env, problem) => {
    expect(problems([{ name: 'a', url: 'http://h.test/', http: { headers: { Authorization: value } } }], env)).toEqual(problem ? [problem] : []);
  });

  it('a header name that is not a token', () => {
    expect(problems([{ name: 'a', url: 'http://h.test/', http: { headers: { 'X Bad': 'v' } } }])).toEqual([
      'services[0].http.headers["X Bad"]: is not a valid header name (letters, digits and !#$%&\'*+-.^_`|~ only)',
    ]);
  });

  it('a control character in a URL host, from a variable, in a status URL and in a proxy', () => {
    const env = { H: 'bad\u0002host' };
    expect(problems([{ name: 'a', url: 'http://${H}/', status: 'https://${H}/status', proxy: 'http://${H}:3128' }], env)).toEqual([
      'services[0].url: ${H} holds a control character (U+0002), which the host of a URL cannot carry',
      'services[0].proxy: ${H} holds a control character (U+0002), which the host of a URL cannot carry',
      'services[0].status: ${H} holds a control character (U+0002), which the host of a URL cannot carry',
    ]);
  });
});

describe('header values that are secrets although written into the file', () => {
  it('credential headers, names that say they carry one, and each cookie value', () => {
    const headers = { 'X-Auth-Token': 'literal-tok-123', 'PRIVATE-TOKEN': 'glpat-abcdef', Cookie: 'session=s3ss-value; theme=dark', Accept: 'text/html' };
    const loaded = loadServices({ services: [{ name: 'a', url: 'http://h.test/', http: { headers } }] }, { env: {}, canaries: false });
    expect(loaded.secrets).toEqual(expect.arrayContaining(['literal-tok-123', 'glpat-abcdef', 's3ss-value', 'session=s3ss-value; theme=dark']));
    expect(loaded.secrets).not.toContain('text/html');
  });
});

it('a Basic header written out: its user:pass and password are secrets too', () => {
  const headers = { Authorization: `Basic ${Buffer.from('robot:hunter2-pw').toString('base64')}` };
  const loaded = loadServices({ services: [{ name: 'a', url: 'http://h.test/', http: { headers } }] }, { env: {}, canaries: false });
  expect(loaded.secrets).toEqual(expect.arrayContaining(['robot:hunter2-pw', 'hunter2-pw']));
});

describe('any user-info (property)', () => {
  it('is a service or a configuration problem, never a crash, in a url, a proxy key and the environment', () => {
    const part = fc.string({ unit: fc.constantFrom('%', 'z', '4', '1', 'A', 'é', ':', '@', '/', ' ', '\n', '0', '#', '\u0001', '🚨'), maxLength: 8 });
    fc.assert(
      fc.property(part, part, (user, pass) => {
        const url = `http://${user}:${pass}@h.test/`;
        for (const run of [
          () => loadServices({ services: [{ name: 'a', url }] }, { env: {}, canaries: false }),
          () => loadServices({ services: [{ name: 'a', url: 'https://h.test/', proxy: url }] }, { env: {}, canaries: false }),
          () => loadServices({ services: [{ name: 'a', url: 'https://h.test/' }] }, { env: { HTTPS_PROXY: url }, canaries: false }),
        ]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
          }
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

it('credentials in a proxy variable outage does not use (HTTP_PROXY, a shadowed one) are secrets too', () => {
  const env = { HTTP_PROXY: 'http://u:upper-pw-123@p.test:3128', https_proxy: 'http://p.test:3128', HTTPS_PROXY: 'http://u:shadowed-pw-456@p.test:3128' };
  const loaded = loadServices({ services: [{ name: 'a', url: 'https://h.test/' }] }, { env, canaries: false });
  expect(loaded.secrets).toEqual(expect.arrayContaining(['upper-pw-123', 'shadowed-pw-456']));
});
