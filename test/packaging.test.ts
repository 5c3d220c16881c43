/** What `npm publish` would ship: the files a user installs, and the metadata npm shows. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('the published package', () => {
  it('holds the licence, the README, the executable, the build and the example config — and no tests', async () => {
    // --ignore-scripts: list what would be packed without rebuilding dist/ under the running suite.
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'bin/outage.js', 'dist/cli.cjs', 'dist/cli.cjs.cache', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/help.json', '.outagerc.example']) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /^(test|src|bench|scripts|\.ci)\//.test(f))).toEqual([]);
  });

  it('says MIT in package.json and in LICENSE, and where the code, the issues and the docs are', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the outage authors\n/);
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
    expect(pkg.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });

  it('accepts every Node line the README promises (20.18.1+, 22, 24)', () => {
    expect(pkg.engines.node).toBe('>=20.18.1');
  });

  it('pins cosmiconfig to the one version whose internal Explorer class src/config/reader.ts builds', () => {
    // A user installing outage from npm gets no lock file: a range would resolve to a release
    // whose internals no test here ever ran.
    const installed = JSON.parse(readFileSync(new URL('../node_modules/cosmiconfig/package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies.cosmiconfig).toBe(installed.version);
  });
});
