import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';

function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validateConfig(raw, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('valid configs', () => {
  it('fills every default', () => {
    const config = validateConfig({ services: [{ name: 'Site', url: 'https://example.test/' }] }, { env: {} });
    expect(config.settings.concurrency).toBe(64);
    expect(config.services[0]).toMatchObject({
      name: 'Site',
      target: 'https://example.test/',
      critical: true,
      timeoutMs: 10_000,
      retries: 1,
      resolvers: [],
      latencyDegradedMs: 2000,
      dns: { name: 'example.test', types: ['A', 'AAAA'] },
      tls: { certificate: { degradedDays: 14, downDays: 0 }, verify: true },
      http: { method: 'GET', expectStatus: [[200, 399]], followRedirects: 20, maxBodyBytes: 1048576 },
    });
  });

  it('service settings override defaults, and tls thresholds override both', () => {
    const config = validateConfig(
      {
        defaults: { timeout: '2s', retries: 0, concurrency: 8, resolvers: ['127.0.0.1:5353'], latency: { degraded: '500ms' }, certificate: { degraded: '20d' } },
        services: [
          { name: 'A', url: 'https://a.test', timeout: '750ms', certificate: { degraded: '10d' }, tls: { certificate: { degraded: '30d', down: 3 } } },
          { name: 'B', tcp: 'db.internal:5432', critical: false, tags: ['db'] },
          { name: 'C', dns: { name: 'c.test', type: 'MX', expect: ['mx.c.test'] } },
        ],
      },
      { env: {} },
    );
    const [a, b, c] = config.services;
    expect(config.settings.concurrency).toBe(8);
    expect(a).toMatchObject({ timeoutMs: 750, retries: 0, resolvers: ['127.0.0.1:5353'], latencyDegradedMs: 500, tls: { certificate: { degradedDays: 30, downDays: 3 } } });
    expect(b).toMatchObject({ timeoutMs: 2000, critical: false, tags: ['db'], endpoint: { protocol: 'tcp', host: 'db.internal', port: 5432 } });
    expect(c).toMatchObject({ target: 'c.test', dns: { name: 'c.test', types: ['MX'], expect: ['mx.c.test'] } });
  });

  it('interpolates ${VAR} and remembers the values as secrets', () => {
    const config = validateConfig(
      { services: [{ name: 'Slack', url: 'https://slack.test/api', http: { headers: { Authorization: 'Bearer ${SLACK_TOKEN}' } } }] },
      { env: { SLACK_TOKEN: 'xoxb-123456' } },
    );
    expect(config.services[0]?.http?.headers.Authorization).toBe('Bearer xoxb-123456');
    expect(config.secrets).toContain('xoxb-123456');
  });

  it('${VAR:-fallback} and $${literal}', () => {
    const config = validateConfig({ services: [{ name: 'X', url: 'https://${HOST:-x.test}/$${not-a-var}' }] }, { env: {} });
    expect(config.services[0]?.target).toBe('https://x.test/$%7Bnot-a-var%7D');
  });

  it('URL user-info becomes a basic auth header and a secret, and leaves the target', () => {
    const config = validateConfig({ services: [{ name: 'X', url: 'https://bob:hunter22@x.test/' }] }, { env: {} });
    expect(config.services[0]?.target).toBe('https://x.test/');
    expect(config.services[0]?.http?.headers.Authorization).toMatch(/^Basic /);
    expect(config.secrets).toEqual(expect.arrayContaining(['hunter22']));
  });

  it('IDN host names are checked in their punycode form', () => {
    const config = validateConfig({ services: [{ name: 'X', url: 'https://bücher.test/' }] }, { env: {} });
    expect(config.services[0]?.endpoint?.host).toBe('xn--bcher-kva.test');
  });
});

describe('relative paths in tls', () => {
  it("are found from the config file's directory, also when the file itself is named relatively (API)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-relative-'));
    try {
      mkdirSync(join(dir, 'cfg'));
      writeFileSync(join(dir, 'cfg', 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const raw = { services: [{ name: 's', url: 'https://127.0.0.1:1/', tls: { ca: 'ca.pem' } }] };
      for (const file of [join(dir, 'cfg', 'outage.yaml'), relative(process.cwd(), join(dir, 'cfg', 'outage.yaml'))]) {
        const [service] = validateConfig(raw, { file }).services;
        expect(service?.tls?.caFile).toBe(join(dir, 'cfg', 'ca.pem'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('invalid configs report every problem with its key path', () => {
  const cases: [string, unknown, string[]][] = [
    ['service without name', { services: [{ url: 'https://x.test' }] }, ['services[0].name: is required (string)']],
    ['unknown key', { services: [{ name: 'a', url: 'https://x.test', timout: '1s' }] }, ['services[0].timout: unknown key (did you mean "timeout"?)']],
    ['unknown top-level key', { service: [] }, ['service: unknown key (did you mean "services"?)']],
    ['bad duration', { defaults: { timeout: 'soon' } }, ['defaults.timeout: soon: not a duration such as 500ms, 10s, 5m or 1h']],
    ['a bare number as a duration', { defaults: { timeout: 5 } }, ['defaults.timeout: 5: add a unit, 5s or 5000ms']],
    ['a bare number in a string', { services: [{ name: 'a', url: 'https://x.test', latency: { degraded: '800' } }] }, ['services[0].latency.degraded: 800: add a unit, 800ms or 0.8s']],
    ['a duration over the maximum', { defaults: { timeout: '25d' } }, ['defaults.timeout: 25d: more than 24h, the longest duration outage accepts']],
    ['a url port out of range', { services: [{ name: 'a', url: 'https://x.test:99999/' }] }, ['services[0].url: port 99999 is not within 1-65535']],
    ['negative retries', { defaults: { retries: -1 } }, ['defaults.retries: Too small: expected number to be >=0']],
    ['bad status range', { services: [{ name: 'a', url: 'https://x.test', http: { expect: { status: '399-200' } } }] }, ['services[0].http.expect.status: "399-200" is an empty range (low end above high end)']],
    ['bad regex', { services: [{ name: 'a', url: 'https://x.test', http: { expect: { bodyRegex: '(' } } }] }, ['services[0].http.expect.bodyRegex: invalid regular expression /(/: Unterminated group']],
    ['bad url', { services: [{ name: 'a', url: 'not a url' }] }, ['services[0].url: "not a url" is not a valid URL']],
    ['unsupported scheme', { services: [{ name: 'a', url: 'ftp://x.test' }] }, ['services[0].url: unsupported scheme "ftp:" (use http:// or https://, or tcp: host:port)']],
    // A URL typed without its scheme is said as such, with both ways to write it: it used to be
    // "not a valid URL", or `unsupported scheme "localhost:"` when the host parsed as a scheme.
    ['a url without its scheme', { services: [{ name: 'a', url: 'localhost:8080/health' }] }, ['services[0].url: "localhost:8080/health" has no scheme: write https://localhost:8080/health or http://localhost:8080/health']],
    ['an IP url without its scheme', { services: [{ name: 'a', url: '127.0.0.1:8080/health' }] }, ['services[0].url: "127.0.0.1:8080/health" has no scheme: write https://127.0.0.1:8080/health or http://127.0.0.1:8080/health']],
    ['a host:port as a url', { services: [{ name: 'a', url: 'db.internal:5432' }] }, ['services[0].url: "db.internal:5432" has no scheme: write https://db.internal:5432 or http://db.internal:5432, or tcp: db.internal:5432 for a TCP check']],
    ['hosts and status without their scheme', { services: [{ name: 'a', url: 'https://x.test/', hosts: ['cdn.x.test'], status: 'status.x.test/api/v2/summary.json' }] }, ['services[0].hosts[0]: "cdn.x.test" has no scheme: write https://cdn.x.test or http://cdn.x.test', 'services[0].status: "status.x.test/api/v2/summary.json" has no scheme: write https://status.x.test/api/v2/summary.json or http://status.x.test/api/v2/summary.json']],
    ['a password in a url without its scheme is not shown', { services: [{ name: 'a', url: 'user:s3cret-pw@x.test/health' }] }, ['services[0].url: "***@x.test/health" has no scheme: write https://***@x.test/health or http://***@x.test/health']],
    ['another scheme is not taken for a host', { services: [{ name: 'a', url: 'mailto:ops' }] }, ['services[0].url: unsupported scheme "mailto:" (use http:// or https://, or tcp: host:port)']],
    ['bad tcp target', { services: [{ name: 'a', tcp: 'db.internal' }] }, ['services[0].tcp: "db.internal" is not host:port (IPv6 as [::1]:5432)']],
    ['no target', { services: [{ name: 'a' }] }, ['services[0]: needs a target: url (https://…), tcp (host:port), or dns: { name: … }']],
    ['duplicate names', { services: [{ name: 'a', tcp: 'x.test:1' }, { name: 'a', tcp: 'y.test:1' }] }, ['services[1].name: "a" is already the name of services[0]']],
    ['bad resolver', { defaults: { resolvers: ['dns.google'] } }, ['defaults.resolvers[0]: must be an IP address with an optional port, such as "1.1.1.1", "127.0.0.1:5353" or "[::1]:53"']],
    ['unset variable', { services: [{ name: 'a', url: 'https://x.test', http: { headers: { 'X-Api-Key': '${API_KEY}' } } }] }, ['services[0].http.headers["X-Api-Key"]: environment variable API_KEY is not set (use ${API_KEY:-default} for a fallback)']],
    ['unknown dns type', { services: [{ name: 'a', dns: { name: 'x.test', type: 'PTR' } }] }, ['services[0].dns.type: expected one of A, AAAA, CNAME, MX, TXT, NS, SOA, CAA, got string "PTR"']],
    ['a dns type in lower case', { services: [{ name: 'a', dns: { name: 'x.test', type: 'mx' } }] }, ['services[0].dns.type: expected one of A, AAAA, CNAME, MX, TXT, NS, SOA, CAA, got string "mx" (did you mean "MX"?)']],
    ['wrong type', { services: [{ name: 'a', tcp: 'x.test:1', critical: 'yes' }] }, ['services[0].critical: expected boolean, got string "yes" (YAML 1.2 reads yes, no, on and off as text): write true or false']],
    // A HEAD response has no body: a content check there failed on every run, a healthy page
    // reported down ("the body does not contain …"), and assets were never found.
    ['a body check on a HEAD request', { services: [{ name: 'a', url: 'https://x.test/', http: { method: 'head', expect: { body: 'Inbox' } } }] }, ['services[0].http.expect.body: a HEAD response has no body, so this could never match: check it with GET (the default)']],
    ['a body pattern on a HEAD request', { services: [{ name: 'a', url: 'https://x.test/', http: { method: 'HEAD', expect: { bodyRegex: 'ok' } } }] }, ['services[0].http.expect.bodyRegex: a HEAD response has no body, so this could never match: check it with GET (the default)']],
    ['assets on a HEAD request', { services: [{ name: 'a', url: 'https://x.test/', http: { method: 'HEAD', assets: true } }] }, ['services[0].http.assets: a HEAD response has no page to find assets in: check it with GET (the default)']],
    ['http on a tcp service', { services: [{ name: 'a', tcp: 'x.test:1', http: { method: 'GET' } }] }, ['services[0].http: http options need a url target (https://… or http://…)']],
  ];

  it.each(cases)('%s', (_label, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('collects all problems of a file at once', () => {
    const problems = problemsOf({
      defaults: { timeout: 'x', concurrency: 0 },
      services: [{ name: 'a', url: 'https://x.test', http: { expect: { status: 700 } } }, { name: '', tcp: 'bad' }],
    });
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['defaults.timeout', 'defaults.concurrency', 'services[0].http.expect.status', 'services[1].name']),
    );
  });

  it('a variable set but empty is said as such, not as unset', () => {
    expect(problemsOf({ services: [{ name: 'a', url: 'https://x.test', http: { headers: { 'X-Api-Key': '${API_KEY}' } } }] }, { API_KEY: '' })).toEqual([
      'services[0].http.headers["X-Api-Key"]: environment variable API_KEY is set but empty (use ${API_KEY:-default} for a fallback)',
    ]);
  });

  it('a value with a line break, from a variable, is substituted once: no reference inside it is read again', () => {
    const config = validateConfig({ services: [{ name: '${NAME}', url: 'https://x.test' }] }, { env: { NAME: 'line1\n${OTHER}' } });
    expect(config.services[0]?.name).toBe('line1\n${OTHER}');
  });

  it('any JavaScript value a code config exports, in any key, is a problem at its key path, never an internal error', () => {
    const values: [string, unknown][] = [['bigint', 5n], ['symbol', Symbol('s')], ['function', () => 1], ['date', new Date(0)], ['regexp', /re/], ['NaN', NaN], ['Infinity', Infinity], ['map', new Map()]];
    for (const [label, value] of values) {
      for (const [path, service] of [
        ['services[0].name', { name: value, tcp: 'x.test:1' }],
        ['services[0].timeout', { name: 'a', tcp: 'x.test:1', timeout: value }],
        ['services[0].retries', { name: 'a', tcp: 'x.test:1', retries: value }],
        ['services[0].url', { name: 'a', url: value }],
        ['services[0].tls.certificate.degraded', { name: 'a', url: 'https://x.test/', tls: { certificate: { degraded: value } } }],
        ['services[0].http.expect.status', { name: 'a', url: 'https://x.test/', http: { expect: { status: value } } }],
      ] as const) {
        const problems = problemsOf({ services: [service] });
        expect(problems.length, `${label} at ${path}`).toBeGreaterThan(0);
        expect(problems.some((p) => p.startsWith(`${path}: `)), `${label} at ${path}: ${problems.join('; ')}`).toBe(true);
      }
    }
  });

  it('never echoes a secret in a problem', () => {
    const problems = problemsOf({ services: [{ name: 'a', url: 'https://x.test', timeout: '${TOKEN}' }] }, { TOKEN: 'sup3r-secret' });
    expect(problems.join('\n')).not.toContain('sup3r-secret');
    expect(problems.join('\n')).toContain('***');
  });
});
