/**
 * `--report FORMAT=/dev/fd/N` writes to a descriptor the shell gave outage (`3>report.xml`,
 * `3>&1 | tee`, a process substitution). When the shell gave none of that number, the number is
 * free or one of Node's own — an epoll, an eventfd, a pipe libuv wakes itself through, the
 * /dev/null it keeps in reserve. Opened by name, such a pipe took the report: lost with exit 0,
 * or read by libuv as its own wake-ups and the process killed by SIGSEGV (exit 139, no message);
 * the /dev/null swallowed it, exit 0. Now it is exit 73 saying what to do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let up: TestServer;

beforeAll(async () => {
  up = await startHttp(ok);
});
afterAll(() => up.close());

describe('--report to /dev/fd/N', () => {
  it('a number the shell did not pass, free or one of Node\'s own: exit 73 saying so, never a crash or a report lost', async () => {
    // Node's own descriptors sit somewhere in here, where depends on the Node version.
    for (let fd = 3; fd <= 24; fd++) {
      const path = fd % 2 === 0 ? `/dev/fd/${fd}` : `/proc/self/fd/${fd}`;
      const r = await runCli(['check', up.url, '--no-canaries', '--quiet', '--report', `json=${path}`]);
      expect({ fd, signal: r.signal, code: r.code, stderr: r.stderr }).toEqual({
        fd,
        signal: null,
        code: 73,
        stderr: `outage: cannot write the json report to ${path}: descriptor ${fd} was not given to outage to write to (a shell gives one with ${fd}>file)\n`,
      });
      expect(r.stdout).toMatch(/^UP · 1 service: 1 up · /);
    }
  });

  it('a pipe the shell passed (3>&1 | cat) gets the report', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'outage-fd-')), 'through-cat.xml');
    const script = '"$0" "$1" check "$2" --no-canaries --quiet --report junit=/dev/fd/3 3>&1 >/dev/null | cat > "$3"';
    const child = spawn('bash', ['-c', script, process.execPath, BIN, up.url, out], { env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<testsuite name="outage" tests="1" failures="0"');
  });
});
