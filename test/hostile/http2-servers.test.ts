/**
 * Misbehaving HTTP/2-only servers (they refuse http/1.1 in ALPN, so outage asks again offering h2
 * and checks over HTTP/2): each is answered within the budget with the code the same misbehaviour
 * gets over HTTP/1.1 (README, codes table), and as curl --http2 and browsers answer it — a
 * malformed response is http.protocol (ERR_HTTP2_PROTOCOL_ERROR), a reset is http.reset, a
 * server that goes quiet is a timeout — never a hang, a crash or unbounded memory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { startHttp } from '../helpers/servers.js';
import { FLAG, FRAME, rawH2, type H2Connection, type RawH2Options } from './raw-h2.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

const OK: [string, string][] = [[':status', '200'], ['content-type', 'text/plain']];

async function checkH2(options: RawH2Options, service: Record<string, unknown> = {}) {
  const server = own(await rawH2(pki, options));
  const started = performance.now();
  const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile }, timeout: '1s', ...service });
  return { result, elapsed: performance.now() - started, stats: server.stats };
}

function errorCode(code: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(code);
  return payload;
}

/** GOAWAY naming the last stream the server processes, and why (RFC 9113 §6.8). */
function goaway(connection: H2Connection, lastStream: number, code = 0): void {
  connection.frame(FRAME.GOAWAY, 0, 0, Buffer.concat([errorCode(lastStream), errorCode(code)]));
}

/** outage closes its connection when the check ends: no socket is left holding the event loop. */
async function closedByOutage(stats: { open: number }): Promise<void> {
  for (const started = performance.now(); stats.open > 0 && performance.now() - started < 1000; ) await new Promise((r) => setTimeout(r, 10));
  expect(stats.open).toBe(0);
}

describe('an HTTP/2-only server that goes quiet is a timeout within the budget', () => {
  it.each([
    ['never sends its SETTINGS', { settings: false }],
    ['sends SETTINGS, then no response headers', {}],
    ['allows no stream at all (SETTINGS_MAX_CONCURRENT_STREAMS 0)', { settings: { 3: 0 } }],
  ] satisfies [string, RawH2Options][])('%s: http.timeout', async (_name, options) => {
    const { result, elapsed, stats } = await checkH2(options);
    expect(result).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(elapsed).toBeLessThan(2000);
    await closedByOutage(stats);
  });

  it('a POST whose body the server never lets through (flow-control window 0) is http.timeout', async () => {
    const { result, elapsed } = await checkH2({ settings: { 4: 0 } }, { http: { method: 'POST', body: 'x'.repeat(1000) } });
    expect(result).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(elapsed).toBeLessThan(2000);
  });

  it('headers, then a body that never ends: http.body_timeout', async () => {
    const { result, stats } = await checkH2({ request: (c, s) => (c.headers(s, OK), c.data(s, 'the start')) });
    expect(result).toMatchObject({ status: 'down', code: 'http.body_timeout' });
    await closedByOutage(stats);
  });
});

describe('a body cut short is http.reset, as over HTTP/1.1 — never judged as the whole body', () => {
  const cuts: [string, (c: H2Connection, s: number) => void][] = [
    ['the connection closes', (c) => c.socket.destroy()],
    ['the connection ends cleanly', (c) => c.socket.end()],
    ['RST_STREAM NO_ERROR without END_STREAM', (c, s) => c.frame(FRAME.RST_STREAM, 0, s, errorCode(0))],
    ['GOAWAY naming the stream, then the connection ends', (c, s) => (goaway(c, s), c.socket.end())],
  ];
  it.each(cuts)('%s mid-body: http.reset, and a content check does not run on the fragment', async (_name, cut) => {
    const { result } = await checkH2(
      { request: (c, s) => (c.headers(s, [...OK, ['content-length', '100']]), c.data(s, 'ok, the start'), setTimeout(() => cut(c, s), 20)) },
      { http: { expect: { body: 'ok' } } },
    );
    expect(result).toMatchObject({ status: 'down', code: 'http.reset' });
  });

  it.each([
    ['then RST_STREAM NO_ERROR to stop a POST body it does not need (RFC 9113 §8.1)', (c: H2Connection, s: number) => c.frame(FRAME.RST_STREAM, 0, s, errorCode(0))],
    ['and the POST body never let through', () => {}],
  ])('a whole response, %s: up, at once', async (_name, after) => {
    // The body is larger than the initial flow-control window and the server never opens it, so the
    // request cannot finish being sent; clients "MUST NOT discard responses" reset this way.
    const { result, elapsed } = await checkH2(
      { request: (c, s) => (c.headers(s, OK), c.data(s, 'ok, accepted', true), after(c, s)) },
      { http: { method: 'POST', body: 'x'.repeat(200_000), expect: { body: 'accepted' } } },
    );
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(elapsed).toBeLessThan(900);
  });

  it.each([
    ['PROTOCOL_ERROR', 0x1],
    ['ENHANCE_YOUR_CALM', 0xb],
  ])('a whole response, then GOAWAY %s naming the stream as processed: up (the response was complete)', async (_name, code) => {
    const { result } = await checkH2(
      { request: (c, s) => (c.headers(s, OK), c.data(s, 'ok, all of it', true), goaway(c, s, code), c.socket.end()) },
      { http: { expect: { body: 'all of it' } } },
    );
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('a body ended by END_STREAM is whole: up', async () => {
    const { result } = await checkH2({ request: (c, s) => (c.headers(s, OK), c.data(s, 'ok, the start'), c.data(s, ' and the end', true)) }, { http: { expect: { body: 'the end' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });
});

describe('resets: the server reset is http.reset, and a refusal is retried once, not forever', () => {
  it('RST_STREAM INTERNAL_ERROR before headers is http.reset, not retried', async () => {
    const { result, stats } = await checkH2({ request: (c, s) => c.frame(FRAME.RST_STREAM, 0, s, errorCode(2)) });
    expect(result).toMatchObject({ status: 'down', code: 'http.reset' });
    expect(result.reason).toMatch(/INTERNAL_ERROR/);
    expect(stats.requests).toBe(1);
  });

  it.each([
    ['REFUSED_STREAM every time', (c: H2Connection, s: number) => c.frame(FRAME.RST_STREAM, 0, s, errorCode(7))],
    ['GOAWAY processing nothing every time', (c: H2Connection) => goaway(c, 0)],
  ])('%s: sent once more, then http.reset', async (_name, refuse) => {
    const { result, stats, elapsed } = await checkH2({ request: refuse });
    expect(result).toMatchObject({ status: 'down', code: 'http.reset' });
    expect(stats.requests).toBe(2);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('a malformed response is http.protocol, as over HTTP/1.1 and for curl (PROTOCOL_ERROR)', () => {
  const malformed: [string, RawH2Options][] = [
    [':status not a number', { request: (c, s) => c.headers(s, [[':status', 'abc']], true) }],
    ['no :status', { request: (c, s) => c.headers(s, [['content-type', 'text/plain']], true) }],
    [':status below 100', { request: (c, s) => c.headers(s, [[':status', '099']], true) }],
    [':status 101 (no upgrade in HTTP/2)', { request: (c, s) => c.headers(s, [[':status', '101']], true) }],
    ['a connection-specific header', { request: (c, s) => c.headers(s, [...OK, ['connection', 'close']], true) }],
    ['an upper-case header name', { request: (c, s) => c.headers(s, [...OK, ['X-Upper', 'a']], true) }],
    ['DATA before any HEADERS', { request: (c, s) => c.data(s, 'body first', true) }],
    ['an HTTP/1.1 response on the h2 connection', { request: (c) => c.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n') }],
    ['a frame larger than the client allows', { request: (c, s) => c.frame(FRAME.HEADERS, FLAG.END_HEADERS, s, Buffer.alloc(100_000)) }],
    ['a body shorter than its content-length', { request: (c, s) => (c.headers(s, [...OK, ['content-length', '100']]), c.data(s, 'short', true)) }],
  ];
  it.each(malformed)('%s: http.protocol, at once', async (_name, options) => {
    const { result, elapsed } = await checkH2(options);
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(result.reason).not.toMatch(/the server reset/);
    expect(elapsed).toBeLessThan(900);
  });
});

describe('behind a redirect from HTTP/1.1, an HTTP/2-only hop is judged alike', () => {
  it.each([
    ['a cut body', { request: (c: H2Connection, s: number) => (c.headers(s, OK), c.data(s, 'ok, the start'), setTimeout(() => c.socket.destroy(), 20)) }, 'http.reset'],
    ['no :status', { request: (c: H2Connection, s: number) => c.headers(s, [['content-type', 'text/plain']], true) }, 'http.protocol'],
    ['an oversized frame', { request: (c: H2Connection, s: number) => c.frame(FRAME.HEADERS, FLAG.END_HEADERS, s, Buffer.alloc(100_000)) }, 'http.protocol'],
  ])('%s: %s', async (_name, options, code) => {
    const h2 = own(await rawH2(pki, options));
    const plain = own(await startHttp((_req, res) => res.writeHead(302, { location: h2.url }).end()));
    const started = performance.now();
    const result = await checkOne({ url: plain.url, tls: { ca: pki.rootFile }, timeout: '1s', http: { expect: { body: 'ok' } } });
    expect(result).toMatchObject({ status: 'down', code });
    expect(performance.now() - started).toBeLessThan(900);
  });
});
