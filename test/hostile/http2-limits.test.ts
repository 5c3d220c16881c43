/**
 * HTTP/2-only servers against outage's limits: response headers are accepted however many fields
 * carry them, as over HTTP/1.1 and in browsers, up to what nghttp2 (curl's HTTP/2 too) takes —
 * a block in at most 9 frames (~144 KiB), 64 KiB a field — and refused past it as http.protocol; floods of frames end the check at once as http.protocol with bounded memory;
 * the 1 MiB body cap holds for a body that never ends; Ctrl-C ends a run stuck on an h2 stream.
 */
import { createSecureServer } from 'node:http2';
import { beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { checkOne } from '../helpers/check.js';
import { configFile, startCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { FRAME, rawH2, type H2Connection, type RawH2Options } from './raw-h2.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

const fields = (count: number, size: number) => Array.from({ length: count }, (_, i) => [`x-field-${i}`, 'v'.repeat(size)] as [string, string]);

async function checkH2(options: RawH2Options, service: Record<string, unknown> = {}) {
  const server = own(await rawH2(pki, options));
  const started = performance.now();
  const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile }, timeout: '1s', ...service });
  return { result, elapsed: performance.now() - started, server };
}

describe('response headers over HTTP/2: as many fields as HTTP/1.1 takes, in up to 9 frames', () => {
  it.each([
    ['150 small fields (many Set-Cookie, CSP…)', fields(150, 20)],
    ['1000 small fields', fields(1000, 20)],
    ['140 KiB in 28 fields', fields(28, 5000)],
  ])('%s: up, as over HTTP/1.1 and in browsers', async (_name, extra) => {
    const { result } = await checkH2({ request: (c, s) => (c.headers(s, [[':status', '200'], ...extra]), c.data(s, 'ok', true)) }, { http: { expect: { body: 'ok' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it.each([
    ['400 KiB in 2000 fields, 29 frames', fields(2000, 200), /CONTINUATION/],
    ['one 70 KiB field (more than HPACK decoders take)', [['x-big', 'a'.repeat(70_000)]] as [string, string][], /COMPRESSION_ERROR/],
    ['10000 empty fields (over 256 KiB as HPACK counts them)', Array.from({ length: 10_000 }, () => ['x', ''] as [string, string]), /headers larger than 256 KiB/],
  ])('%s: http.protocol, at once', async (_name, extra, reason) => {
    const { result, elapsed } = await checkH2({ request: (c, s) => (c.headers(s, [[':status', '200'], ...extra]), c.data(s, 'ok', true)) });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(result.reason).toMatch(reason);
    expect(elapsed).toBeLessThan(900);
  });
});

describe('floods end the check as http.protocol, with bounded memory', () => {
  it('a CONTINUATION flood that never ends its header block', async () => {
    let sent = 0;
    const { result, elapsed } = await checkH2({
      request: (c, s) => {
        c.frame(FRAME.HEADERS, 0, s, Buffer.from([0x88]));
        const field = Buffer.concat([Buffer.from([0, 5]), Buffer.from('x-pad'), Buffer.from([100]), Buffer.alloc(100, 97)]);
        const pump = () => {
          for (let i = 0; i < 200 && sent < 100_000; i++, sent++) if (!c.frame(FRAME.CONTINUATION, 0, s, field)) return;
          if (sent < 100_000) setImmediate(pump);
        };
        pump();
      },
    });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(elapsed).toBeLessThan(900);
    // Stopped well before the flood's 10 MB: outage ended the connection, the writes failed.
    expect(sent).toBeLessThan(100_000);
  });

  const endless = (send: (c: H2Connection, s: number) => boolean) => (c: H2Connection, s: number) => {
    const pump = () => {
      for (let i = 0; i < 200; i++) if (!send(c, s)) return;
      setImmediate(pump);
    };
    pump();
  };
  it.each([
    ['PING frames', endless((c) => c.frame(FRAME.PING, 0, 0, Buffer.alloc(8)))],
    ['SETTINGS frames', endless((c) => c.settings())],
    ['empty DATA frames after the headers', (c: H2Connection, s: number) => (c.headers(s, [[':status', '200']]), endless((c) => c.data(s, ''))(c, s))],
  ])('an endless flood of %s: http.protocol at once, not outage\'s own load', async (_name, request) => {
    const { result, elapsed } = await checkH2({ request });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(result.reason).toMatch(/flood/);
    expect(elapsed).toBeLessThan(900);
  });
});

async function h2Only(handler: Parameters<typeof createSecureServer>[1]): Promise<string> {
  const server = createSecureServer({ ...pki.valid, allowHTTP1: false }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const streams = new Set<{ destroy(): void }>();
  server.on('stream', (stream) => streams.add(stream));
  own({ close: () => new Promise<void>((resolve) => (streams.forEach((s) => s.destroy()), server.close(() => resolve()))) });
  return `https://localhost:${(server.address() as { port: number }).port}/`;
}

describe('bodies and Ctrl-C over HTTP/2', () => {
  it('a body that never ends, past the 1 MiB cap, is read up to the cap: up on a check of its start', async () => {
    const url = await h2Only((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('needle' + 'x'.repeat(1_300_000));
    });
    const started = performance.now();
    const result = await checkOne({ url, tls: { ca: pki.rootFile }, timeout: '3s', http: { expect: { body: 'needle' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('SIGINT while an h2 stream hangs: exit 130 within 500 ms', async () => {
    let requests = 0;
    const url = await h2Only(() => requests++);
    const config = configFile({ services: [{ name: 'h2', url, tls: { ca: pki.rootFile } }] });
    const running = startCli(['check', '--json', '--no-canaries', '--timeout', '60s', '--config', config]);
    while (requests < 1) await new Promise((r) => setTimeout(r, 20));
    const sentAt = performance.now();
    running.child.kill('SIGINT');
    const result = await running.result;
    expect(result.code).toBe(130);
    expect(result.exitedAt - sentAt).toBeLessThan(500);
    expect(JSON.parse(result.stdout).services[0]).toMatchObject({ status: 'unknown', code: 'interrupted' });
    expect(result.stderr).toBe('');
  });
});
