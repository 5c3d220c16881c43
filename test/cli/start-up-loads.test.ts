/**
 * What a check loads at start-up. zod (the config schema, ~60% of the CLI's code) costs ~8 ms of
 * every start that loads it, and only a config file or a catalog name needs it: a check of a URL
 * given on the command line must not load it. Nor htmlparser2 (only `assets` reads HTML) or
 * bcryptjs (only serve's basic auth): in the CLI's own file they cost every check ~0.6 ms. One
 * stray import of the schema's module on the check's path (a constant kept beside the schema)
 * loaded it for every run, unnoticed by any verdict; so did node:tls, through a check of the
 * environment's trust store. This test watches what the executable reads and which built-in
 * modules it loaded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let server: TestServer;
/** A page with one image: what `assets` reads. */
let page: TestServer;
let dir: string;
let hook: string;
beforeAll(async () => {
  server = await startHttp(ok);
  page = await startHttp((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<html><body><img src="/logo.png"></body></html>');
  });
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
// Built-in modules loaded so far, as Node lists them (node:tls is not loaded at start-up).
process.on('exit', () => {
  if (process.moduleLoadList.includes('NativeModule tls')) seen.add('node:tls');
  fs.writeFileSync(process.env.OUTAGE_TEST_READS, [...seen].join('\\n'));
});
`,
  );
});
afterAll(async () => {
  await server.close();
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

async function distReads(args: string[]): Promise<{ code: number | null; reads: string[] }> {
  const out = join(dir, `reads-${Math.random().toString(36).slice(2)}`);
  const result = await runCli(args, { env: { NODE_OPTIONS: `--require=${hook}`, OUTAGE_TEST_READS: out } });
  const { readFileSync } = await import('node:fs');
  return { code: result.code, reads: readFileSync(out, 'utf8').split('\n') };
}

describe('what a check loads', () => {
  it('a URL on the command line: the CLI, never zod, htmlparser2 or bcryptjs', async () => {
    const { code, reads } = await distReads(['check', '--no-canaries', `${server.url}/`]);
    expect(code).toBe(0);
    expect(reads).toContain('dist/cli.cjs');
    expect(reads.filter((f) => f.includes('vendor/'))).toEqual([]);
    // node:tls (~5 ms with what it loads) comes with a run's first TLS service, not for plain HTTP.
    expect(reads).not.toContain('node:tls');
  });

  it('an https URL: node:tls, for its handshake', async () => {
    const { reads } = await distReads(['check', '--no-canaries', 'https://127.0.0.1:1/']);
    expect(reads).toContain('node:tls');
  });

  it('a config file: zod, to read it', async () => {
    const { code, reads } = await distReads(['check', '--no-canaries', '-c', configFile({ services: [{ name: 'app', url: `${server.url}/` }] })]);
    expect(code).toBe(0);
    expect(reads).toContain('dist/vendor/zod.cjs');
    expect(reads.filter((f) => /htmlparser2|bcryptjs/.test(f))).toEqual([]);
  });

  it('a check with assets: htmlparser2, to read the page', async () => {
    const { code, reads } = await distReads(['check', '--no-canaries', '-c', configFile({ services: [{ name: 'shop', url: `${page.url}/`, http: { assets: true } }] })]);
    expect(code).toBe(0);
    expect(reads).toContain('dist/vendor/htmlparser2.cjs');
  });
});
