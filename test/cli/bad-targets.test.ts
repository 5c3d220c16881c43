/**
 * A target on the command line that cannot be checked is the user's typing, not the config's: a
 * usage error (64) quoting the argument and what is wrong with it, never a configuration error
 * naming whatever config file happens to be around. A mistyped name gets "did you mean".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** A project with a valid config of its own, unrelated to the argument. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-targets-'));
  writeFileSync(join(dir, '.outagerc.yaml'), 'services:\n  - name: Payments\n    tcp: db.test:5432\n  - name: Web\n    url: https://web.test/\n');
  return dir;
}

describe('a bad target on the command line', () => {
  it.each([
    ['https://x:99999/', '"https://x:99999/": port 99999 is not within 1-65535'],
    ['http://x.test:0/', '"http://x.test:0/": port 0 is not within 1-65535'],
    ['https://x.test:https/', '"https://x.test:https/": port "https" is not a number'],
    ['https://exa mple.com/', '"https://exa mple.com/" is not a valid URL: the host has a space in it'],
    ['ftp://x.test/', '"ftp://x.test/": unsupported scheme "ftp:" (use http:// or https://, or tcp: host:port)'],
    ['db.test:99999', '"db.test:99999": port 99999 is not within 1-65535'],
    ['[::1]:0', '"[::1]:0": port 0 is not within 1-65535'],
  ])('%s is a usage error quoting it', async (target, message) => {
    const dir = project();
    for (const command of ['check', 'list']) {
      const r = await runCli([command, target], { cwd: dir });
      expect(r.code, command).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`outage: ${message}\n`);
    }
  });

  it('every bad argument is named, one per line', async () => {
    const r = await runCli(['check', 'https://x:99999/', 'Web', 'db.test:0'], { cwd: project() });
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('outage: "https://x:99999/": port 99999 is not within 1-65535\n  "db.test:0": port 0 is not within 1-65535\n');
  });

  it('never prints the password of a URL it quotes', async () => {
    const r = await runCli(['check', 'https://user:s3cret-pw@x.test:99999/'], { cwd: project() });
    expect(r.code).toBe(64);
    // A URL that does not parse is hidden whole after its scheme: where its credentials end is not known.
    expect(r.stderr).toBe('outage: "https://***": port 99999 is not within 1-65535\n');
  });

  it('without a config too', async () => {
    const r = await runCli(['check', 'https://x:99999/'], { cwd: mkdtempSync(join(tmpdir(), 'outage-targets-')) });
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('outage: "https://x:99999/": port 99999 is not within 1-65535\n');
  });
});

describe('an unknown name', () => {
  it('a mistyped catalog entry gets "did you mean"', async () => {
    const r = await runCli(['check', 'slakc'], { cwd: mkdtempSync(join(tmpdir(), 'outage-targets-')) });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^outage: "slakc" is neither a configured service, a catalog entry .*; did you mean "slack"\?\n$/);
  });

  it('a mistyped configured service gets its name, before any catalog entry', async () => {
    const r = await runCli(['check', 'Paymnets'], { cwd: project() });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/; did you mean "Payments"\?\n$/);
  });

  it('a URL typed without its scheme is told to add one, not called an unknown name', async () => {
    const cases: [string, string][] = [
      ['localhost:8080/health', 'https://localhost:8080/health or http://localhost:8080/health'],
      ['www.example.test', 'https://www.example.test or http://www.example.test'],
      ['user:s3cret-pw@api.test/v1', 'https://***@api.test/v1 or http://***@api.test/v1'],
    ];
    for (const [target, written] of cases) {
      const r = await runCli(['check', target], { cwd: project() });
      expect(r.code, target).toBe(64);
      expect(r.stderr).toBe(`outage: "${target.replace('user:s3cret-pw', '***')}" has no scheme: write ${written}\n`);
    }
  });

  it('nothing close: the configured services are listed', async () => {
    const r = await runCli(['wait', 'zzzzqqq'], { cwd: project() });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/"zzzzqqq" is neither .*\. Configured services: Payments, Web\.\n$/);
  });
});
