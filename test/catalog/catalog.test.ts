/** The built-in catalog: valid data, names on the command line and in configs, and overrides. */
import { describe, expect, it } from 'vitest';
import { CATALOG, defaultCatalogEntries } from '../../src/catalog/catalog.js';
import { prepareCheck } from '../../src/check.js';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const REQUIRED = [
  'slack', 'github', 'aws', 'cloudflare', 'google-search', 'gmail', 'youtube', 'google-cloud', 'facebook', 'instagram', 'whatsapp',
  'messenger', 'zoom', 'microsoft-365', 'teams', 'outlook', 'azure', 'discord', 'npm', 'docker-hub', 'openai', 'jira', 'confluence',
  'bitbucket', 'dropbox', 'twilio', 'datadog', 'reddit', 'netflix', 'stripe',
];

describe('the catalog data', () => {
  it('has every required service, each a valid service with an https URL', () => {
    expect(CATALOG.map((e) => e.id)).toEqual(expect.arrayContaining(REQUIRED));
    const config = validateConfig({ services: CATALOG.map((e) => e.id) });
    expect(config.services).toHaveLength(CATALOG.length);
    for (const service of config.services) expect(service.endpoint?.protocol).toBe('https');
  });

  it('ids, names and aliases are unambiguous: each names one entry', () => {
    const owners = new Map<string, Set<string>>();
    for (const e of CATALOG) for (const key of [e.id, e.name, ...(e.aliases ?? [])]) owners.set(key.toLowerCase(), (owners.get(key.toLowerCase()) ?? new Set()).add(e.id));
    expect([...owners].filter(([, ids]) => ids.size > 1)).toEqual([]);
  });

  it('status endpoints have a kind known from the entry or its URL', () => {
    const config = validateConfig({ services: CATALOG.filter((e) => e.status).map((e) => e.id) });
    for (const service of config.services) expect(service.status?.check.endpoint?.protocol).toBe('https');
    expect(config.services.find((s) => s.catalog === 'aws')?.status?.kind).toBe('aws');
    expect(config.services.find((s) => s.catalog === 'docker-hub')?.status?.kind).toBe('statuspage');
  });
});

describe('naming catalog entries', () => {
  it('in a config, as a bare name or with overrides', async () => {
    const prepared = await prepareCheck({
      config: { services: ['slack', { catalog: 'github', name: 'GitHub (ours)', timeout: '3s', status: false, http: { expect: { status: 200 } } }] },
    });
    const [slack, github] = prepared.services;
    expect(slack).toMatchObject({ name: 'Slack', catalog: 'slack', target: 'https://app.slack.com/', status: { kind: 'slack' } });
    expect(slack?.hosts?.configured.map((h) => h.endpoint?.host)).toEqual(['slack.com', 'a.slack-edge.com']);
    expect(github).toMatchObject({ name: 'GitHub (ours)', catalog: 'github', timeoutMs: 3000, http: { expectStatus: [[200, 200]] } });
    expect(github?.status).toBeUndefined();
  });

  it('an unknown entry is a config problem with a suggestion', () => {
    expect(() => validateConfig({ services: ['slak', { catalog: 'githb' }] })).toThrow(ConfigError);
    try {
      validateConfig({ services: ['slak', { catalog: 'githb' }] });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        { path: 'services[0]', message: '"slak" is not in the catalog (did you mean "slack"?); `outage catalog` lists the entries' },
        { path: 'services[1].catalog', message: '"githb" is not in the catalog (did you mean "github"?); `outage catalog` lists the entries' },
      ]);
    }
  });

  it('on the command line, by id, name or alias, without a config', async () => {
    const prepared = await prepareCheck({ config: undefined, cwd: '/', targets: ['slack', 'GitHub', 'chatgpt'] });
    expect(prepared.services.map((s) => s.catalog)).toEqual(['slack', 'github', 'openai']);
  });

  it('the default set is what a bare check plans', async () => {
    expect(defaultCatalogEntries().length).toBeGreaterThanOrEqual(5);
    const prepared = await prepareCheck({ cwd: '/' });
    expect(prepared.services.map((s) => s.catalog)).toEqual(defaultCatalogEntries().map((e) => e.id));
  });
});

describe('canaries are planned only when they can explain something', () => {
  it('none for loopback and local names; the built-in ones for internet services; none when turned off', async () => {
    expect((await prepareCheck({ config: { services: [{ name: 'a', url: 'http://127.0.0.1:1/' }, { name: 'b', tcp: 'db.internal:5432' }] } })).canaries).toEqual([]);
    expect((await prepareCheck({ config: { services: [{ name: 'a', url: 'https://example.com/' }] } })).canaries.length).toBeGreaterThan(0);
    expect((await prepareCheck({ config: { canaries: [], services: [{ name: 'a', url: 'https://example.com/' }] } })).canaries).toEqual([]);
    expect((await prepareCheck({ targets: ['slack'], cwd: '/', canaries: false })).canaries).toEqual([]);
  });
});

describe('CLI', () => {
  it('outage catalog lists every entry and marks the default set', async () => {
    const r = await runCli(['catalog']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/slack \*/);
    expect(r.stdout).toMatch(/slack-status\.com \(slack\)/);
    const json = JSON.parse((await runCli(['catalog', '--json'])).stdout) as { entries: { id: string }[] };
    expect(json.entries.map((e) => e.id)).toEqual(CATALOG.map((e) => e.id));
  });

  it('outage list slack github shows what would run, without touching the network', async () => {
    const r = await runCli(['list', 'slack', 'github', '--json'], { cwd: '/' });
    expect(r.code).toBe(0);
    const services = (JSON.parse(r.stdout) as { services: { name: string; probes: string[] }[] }).services;
    expect(services.map((s) => [s.name, s.probes])).toEqual([
      ['Slack', ['dns', 'tcp', 'tls', 'http', 'hosts', 'status']],
      ['GitHub', ['dns', 'tcp', 'tls', 'http', 'hosts', 'status']],
    ]);
  });

  it('a mistyped name is a usage error that suggests the entry', async () => {
    const r = await runCli(['check', 'slak'], { cwd: '/' });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/"slak" is neither .*; did you mean "slack"\?/);
  });
});
