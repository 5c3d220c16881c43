/**
 * A real forward proxy for tests: Debian's tinyproxy, started in the foreground (`-d`) on a free
 * loopback port with a generated config, logging to a temporary file, and stopped after the file's
 * last test even when a test failed. It accepts only loopback clients, and tests only ever ask it
 * for loopback targets written as addresses, so it never looks a name up nor leaves the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './servers.js';

export interface Tinyproxy {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The log so far: tinyproxy writes each request line to it. */
  log(): string;
  close(): Promise<void>;
}

/** The real forward proxy the proxy tests start; CI installs it (.ci/run). Gate tests with requires({ tools: [TINYPROXY] }). */
export const TINYPROXY = { name: 'tinyproxy', install: 'apt-get install tinyproxy' };

/**
 * Start tinyproxy. Stop it in afterAll even when a test fails: `own(await startTinyproxy())` with
 * the file's `closeAfterAll()` (hooks registered from inside a test or hook would never run).
 */
export async function startTinyproxy(options: { basicAuth?: [string, string] } = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'outage-tinyproxy-'));
  const logFile = join(dir, 'tinyproxy.log');
  // tinyproxy needs a fixed port: take a free one, and try again if another process wins the race.
  for (let tries = 0; tries < 5; tries++) {
    const port = await closedPort();
    const config = join(dir, 'tinyproxy.conf');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'Listen 127.0.0.1',
        'Timeout 30',
        `LogFile "${logFile}"`,
        'LogLevel Info',
        'MaxClients 20',
        'Allow 127.0.0.1',
        // No ConnectPort line: CONNECT is allowed to any port (test servers listen on random ones).
        ...(options.basicAuth ? [`BasicAuth ${options.basicAuth[0]} ${options.basicAuth[1]}`] : []),
        '',
      ].join('\n'),
    );
    const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: 'ignore' });
    if (await listening(child, port)) {
      return {
        port,
        url: `http://127.0.0.1:${port}`,
        log: () => readFileSync(logFile, 'utf8'),
        close: async () => {
          await stop(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await stop(child);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('tinyproxy did not start on any of 5 free ports');
}

/** Polls the port until tinyproxy accepts connections, or it exits, or 5 s pass. */
async function listening(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (accepted) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // tinyproxy takes up to a second or two to notice SIGTERM; it has nothing to save.
    const force = setTimeout(() => child.kill('SIGKILL'), 300);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
