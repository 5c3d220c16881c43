/** `modules:` — named options for `outage serve`'s /probe targets, validated with the rest of the config. */
import { describe, expect, it } from 'vitest';
import { loadServices } from '../../src/config/pipeline.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';

const problems = (raw: unknown): string[] => {
  try {
    loadServices(raw, { canaries: false, env: {} });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
};

describe('modules', () => {
  it('apply their options to a target, over the defaults', () => {
    const raw = { defaults: { timeout: '9s', retries: 2 }, modules: { quick: { timeout: '1s', retries: 0, http: { expect: { status: 503 } } } } };
    const [spec] = loadServices(raw, { canaries: false, env: {}, targets: ['https://a.test/'], module: 'quick' }).services;
    expect(spec).toMatchObject({ timeoutMs: 1000, retries: 0, http: { expectStatus: [[503, 503]] } });
    const [plain] = loadServices(raw, { canaries: false, env: {}, targets: ['https://a.test/'] }).services;
    expect(plain).toMatchObject({ timeoutMs: 9000, retries: 2 });
  });

  it('apply over a catalog entry, http key by key', () => {
    const [spec] = loadServices({ modules: { slow: { timeout: '30s' } } }, { canaries: false, env: {}, targets: ['github'], module: 'slow' }).services;
    expect(spec?.timeoutMs).toBe(30_000);
    expect(spec?.target).toMatch(/^https:\/\/.*github/);
  });

  it('are validated whole, with key paths and hints', () => {
    const found = problems({ modules: { quick: { timout: '1s' }, 'bad name!': {}, other: { retries: 99, url: 'https://x.test/' } } });
    expect(found.sort()).toEqual(
      [
        'modules.quick.timout: unknown key (did you mean "timeout"?)',
        'modules["bad name!"]: a module name is 1-64 letters, digits, "_", "-" or "."',
        'modules.other.url: unknown key',
        'modules.other.retries: Too big: expected number to be <=10',
      ].sort(),
    );
  });

  it('an unknown module is a usage error naming the ones there are', () => {
    const load = () => loadServices({ modules: { quick: {} } }, { canaries: false, env: {}, targets: ['https://a.test/'], module: 'qiuck' });
    expect(load).toThrow(UsageError);
    expect(load).toThrow('unknown module "qiuck" (modules in the config: quick)');
  });
});
