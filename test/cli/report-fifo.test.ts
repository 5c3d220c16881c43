/**
 * A report written to a named pipe (`mkfifo` for a log shipper, a reader that died): with a reader
 * it gets the report; with none, opening it would wait forever, so it is exit 73 saying so, the
 * results still on stdout — never a hang of the CI job until its own timeout.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let up: TestServer;
let dir: string;
beforeAll(async () => {
  up = await startHttp(ok);
  dir = mkdtempSync(join(tmpdir(), 'outage-fifo-'));
});
afterAll(async () => {
  await up.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('--report to a named pipe', () => {
  it('with nobody reading it: exit 73 within a few seconds, naming the pipe, and the results still printed', async () => {
    const fifo = join(dir, 'unread.xml');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['check', '--no-canaries', up.url, '--report', `junit=${fifo}`]);
    expect(r.code).toBe(73);
    expect(r.stderr).toContain(`cannot write the junit report to ${fifo}: it is a named pipe that no process is reading (waited 3 s for one)`);
    expect(r.stdout).toMatch(/UP · 1 service: 1 up/);
    expect(r.durationMs).toBeLessThan(8_000);
  });

  it('with a reader: the reader gets the whole report', async () => {
    const fifo = join(dir, 'read.xml');
    execFileSync('mkfifo', [fifo]);
    // Opened for reading before outage starts: a log shipper already waiting on its pipe.
    const reader = readFile(fifo, 'utf8');
    const r = await runCli(['check', '--no-canaries', up.url, '--report', `junit=${fifo}`]);
    expect(r.code).toBe(0);
    expect(await reader).toMatch(/<testsuite [^>]*tests="1"[\s\S]*<\/testsuite>/);
  });

  it('a reader that opens the pipe a moment after outage is ready to write still gets the report (`--report json=p & jq < p`)', async () => {
    const fifo = join(dir, 'late.json');
    execFileSync('mkfifo', [fifo]);
    const run = runCli(['check', '--no-canaries', up.url, '--report', `json=${fifo}`]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const report = await readFile(fifo, 'utf8');
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(report)).toMatchObject({ exitCode: 0 });
  });

  it('a reader that closes it early is exit 73 saying so, not a report silently cut short', async () => {
    const fifo = join(dir, 'closed.json');
    execFileSync('mkfifo', [fifo]);
    // ~450 KB of JSON: far more than the pipe holds, so outage is still writing when it closes.
    const targets = Array.from({ length: 300 }, (_, i) => `${up.url}/?${i}`);
    const reader = (async () => {
      const stream = createReadStream(fifo);
      for await (const _chunk of stream) break;
    })();
    const r = await runCli(['check', '--no-canaries', '-q', ...targets, '--report', `json=${fifo}`]);
    await reader;
    expect(r.code).toBe(73);
    expect(r.stderr).toContain(`cannot write the json report to ${fifo}: the process reading the named pipe closed it before the report was written`);
  });
});
