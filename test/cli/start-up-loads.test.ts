/**
 * What a check loads at start-up. zod (the config schema, ~60% of the CLI's code) costs ~8 ms of
 * every start that loads it, and only a config file or a catalog name needs it: a check of a URL
 * given on the command line must not load it. One stray import of the schema's module on the
 * check's path (a constant kept beside the schema) loaded it for every run, unnoticed by any
 * verdict; this test watches what the executable reads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let server: TestServer;
let dir: string;
let hook: string;
beforeAll(async () => {
  server = await startHttp(ok);
  dir = mkdtempSync(join(tmpdir(), 'outage-loads-'));
  hook = join(dir, 'record-reads.cjs');
  // Preloaded: records every file of dist/ the executable reads, written out at exit.
  writeFileSync(
    hook,
    `const fs = require('node:fs');
const read = fs.readFileSync;
const seen = new Set();
fs.readFileSync = function (file, ...rest) {
  if (typeof file === 'string' && file.includes('/dist/')) seen.add(file.slice(file.lastIndexOf('/dist/') + 1));
  return read.call(this, file, ...rest);
};
process.on('exit', () => fs.writeFileSync(process.env.OUTAGE_TEST_READS, [...seen].join('\\n')));
`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function distReads(args: string[]): Promise<{ code: number | null; reads: string[] }> {
  const out = join(dir, `reads-${Math.random().toString(36).slice(2)}`);
  const result = await runCli(args, { env: { NODE_OPTIONS: `--require=${hook}`, OUTAGE_TEST_READS: out } });
  const { readFileSync } = await import('node:fs');
  return { code: result.code, reads: readFileSync(out, 'utf8').split('\n') };
}

describe('what a check loads', () => {
  it('a URL on the command line: the CLI, never zod', async () => {
    const { code, reads } = await distReads(['check', '--no-canaries', `${server.url}/`]);
    expect(code).toBe(0);
    expect(reads).toContain('dist/cli.cjs');
    expect(reads.filter((f) => f.includes('zod'))).toEqual([]);
  });

  it('a config file: zod, to read it', async () => {
    const { code, reads } = await distReads(['check', '--no-canaries', '-c', configFile({ services: [{ name: 'app', url: `${server.url}/` }] })]);
    expect(code).toBe(0);
    expect(reads).toContain('dist/vendor/zod.cjs');
  });
});
