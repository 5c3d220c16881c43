/**
 * A check of URLs with no config file skips the schema (src/config/assemble.ts): it must load the
 * very services, canaries, secrets and errors that the whole pipeline loads for the same targets.
 */
import { describe, expect, it } from 'vitest';
import { assembleServices, needsNoSchema, NO_CONFIG, type LoadServicesOptions } from '../../src/config/assemble.js';
import { defaultCanaries } from '../../src/config/canaries.js';
import { parseConfig } from '../../src/config/parse.js';
import { loadServices } from '../../src/config/pipeline.js';
import { serviceSchema } from '../../src/config/schema.js';
import { formatStatusRanges } from '../../src/core/http-status-range.js';

/** The outcome as a value: what was loaded, or the error's class, code and message. */
function outcome(load: () => unknown): unknown {
  try {
    return { loaded: load() };
  } catch (error) {
    const e = error as { name: string; code?: string; message: string };
    return { error: [e.name, e.code, e.message] };
  }
}

const env = { HTTPS_PROXY: 'http://user:secret@proxy.test:3128', NO_PROXY: 'localhost' };

const cases: [string, LoadServicesOptions][] = [
  ['one local URL', { targets: ['http://127.0.0.1:8080/'] }],
  ['URLs on the internet bring the built-in canaries', { targets: ['https://example.com/', 'http://[::1]:9/health'] }],
  ['host:port', { targets: ['127.0.0.1:5432', 'db.internal:6379', '[::1]:22'] }],
  ['credentials in a URL are secrets', { targets: ['https://user:pa55word@example.com/'] }],
  ['the proxy from the environment', { targets: ['https://example.com/'], env }],
  ['flags override the defaults', { targets: ['https://example.com/'], overrides: { timeoutMs: 2500, retries: 3, resolvers: ['127.0.0.1:5353'] } }],
  ['no canaries', { targets: ['https://example.com/'], canaries: false }],
  ['a tag no target has', { targets: ['http://127.0.0.1:8080/'], tags: ['web'] }],
  ['--from', { targets: ['http://127.0.0.1:8080/'], from: ['http://127.0.0.1:19115'] }],
  ['a bad port', { targets: ['https://example.com:99999/'] }],
  ['an unsupported scheme', { targets: ['ftp://example.com/'] }],
  ['a bad host:port', { targets: ['db.internal:0'] }],
  ['a target twice', { targets: ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'] }],
];

describe('URLs with no config load as the whole pipeline loads them', () => {
  it.each(cases)('%s', (_what, options) => {
    expect(needsNoSchema(undefined, options.targets)).toBe(true);
    const fast = outcome(() => assembleServices(NO_CONFIG, options));
    expect(fast).toEqual(outcome(() => loadServices(undefined, options)));
  });

  it('NO_CONFIG is what parsing gives for no config', () => {
    expect({ ...parseConfig(undefined, env), readService: undefined }).toEqual({ ...NO_CONFIG, readService: undefined });
  });

  it.each([
    ['a config', { services: [] }, ['http://127.0.0.1:8080/']],
    ['a catalog name', undefined, ['github']],
    ['a name that is neither', undefined, ['nonsense']],
    ['no target (the catalog default set)', undefined, []],
  ])('%s needs the schema', (_what, raw, targets) => {
    expect(needsNoSchema(raw, targets)).toBe(false);
  });
});

describe('the built-in canaries', () => {
  it('are what the config schema reads from them written as a config', () => {
    for (const canary of defaultCanaries()) {
      const status = canary.http?.expect?.status;
      const written = status ? { ...canary, http: { ...canary.http, expect: { ...canary.http?.expect, status: formatStatusRanges(status) } } } : canary;
      expect(serviceSchema.parse(written)).toEqual(canary);
    }
  });
});
