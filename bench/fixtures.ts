/**
 * Loopback fixtures for the benchmark: HTTPS servers that answer after a delay given in the query
 * (`?delay=200`), one that streams a 2 GB body, and the test CA that trusts them.
 */
import { rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { testPki, type TestPki } from '../test/helpers/certs.js';
import { startHttps, type TestServer } from '../test/helpers/servers.js';

export function delayed(defaultDelayMs: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const delay = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('delay') ?? defaultDelayMs);
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    }, delay);
    res.on('close', () => clearTimeout(timer));
  };
}

export function twoGigabytes(req: IncomingMessage, res: ServerResponse) {
  void req;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(2 * 1024 ** 3) });
  const chunk = Buffer.alloc(256 * 1024, 97);
  let sent = 0;
  const pump = () => {
    while (sent < 2 * 1024 ** 3 && !res.destroyed && res.write(chunk)) sent += chunk.length;
  };
  res.on('drain', pump);
  pump();
}

export interface Fixtures {
  pki: TestPki;
  servers: TestServer[];
  https(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer>;
  close(): Promise<void>;
}

export async function fixtures(): Promise<Fixtures> {
  const pki = await testPki();
  const servers: TestServer[] = [];
  return {
    pki,
    servers,
    async https(handler) {
      const server = await startHttps(pki.valid, handler, '127.0.0.1', 4096);
      servers.push(server);
      return server;
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      // The test CA's directory (its root file): the harness leaves nothing in /tmp.
      rmSync(dirname(pki.rootFile), { recursive: true, force: true });
    },
  };
}
