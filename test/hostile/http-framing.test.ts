/**
 * Issue 12, class 1: servers that write exact bytes. HTTP framing that RFC 9110/9112 lets a client
 * accept is accepted, as browsers and curl accept it; framing that makes the body's length
 * ambiguous, or an answer that is not HTTP, is `http.protocol` — never `http.reset`.
 */
import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { startTcp } from '../helpers/servers.js';
import { FRAMING_LENIENT, FRAMING_STRICT } from './http-cases.js';
import { casesRunner, rawHttp, response } from './raw-http.js';

// The cases are data in http-cases.ts, shared with the whole-suite test (suite.ts).
const own = closeAfterAll();
const runCases = casesRunner(own);

describe('class 1: HTTP framing a client must accept is accepted; ambiguous framing is http.protocol', () => {
  it('lenient where RFC 9110/9112 and browsers are', async () => {
    await runCases(FRAMING_LENIENT);
  });

  it('strict where the body length would be ambiguous or the answer is not HTTP', async () => {
    await runCases(FRAMING_STRICT);
  });
});

describe('class 1: connections', () => {
  it('a server that closes a kept-alive connection as the next request goes out is asked again on a new one', async () => {
    // Closes after every answer without saying `Connection: close`, so the redirect's connection
    // looks reusable and is gone by the time the second request is written.
    const server = own(await rawHttp((req) => (req.path === '/' ? response('302 Found', ['Location: /next']) : response('200 OK', [], 'hello'))));
    const result = await checkOne({ url: `${server.url}/`, http: { expect: { body: 'hello' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(server.connections).toBe(2);
    expect(server.seen.at(-1)?.path).toBe('/next');
  });

  /**
   * A kept-alive server that sends more than its framing says after its first answer: a body to a
   * HEAD, or bytes past the Content-Length. They arrive late, just as the next request goes out,
   * so they come first in the reused connection's next answer (the race is made certain here by
   * sending them only then). Each request's path and the connection it came on are recorded.
   */
  async function strayBytes(first: string, stray: string, final: string) {
    const seen: string[] = [];
    let connections = 0;
    const server = own(
      await startTcp((socket: Socket) => {
        const connection = ++connections;
        let index = 0;
        let pending = '';
        socket.on('error', () => {});
        socket.on('data', (chunk: Buffer) => {
          pending += chunk.toString('latin1');
          for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
            const [method, path] = pending.slice(0, end).split(' ');
            pending = pending.slice(end + 4);
            seen.push(`${connection} ${method} ${path}`);
            if (path === '/') socket.write(first);
            else socket.write(index > 0 ? stray + final : final);
            index++;
          }
        });
      }),
    );
    return { url: `http://127.0.0.1:${server.port}/`, seen };
  }

  it.each([
    ['a body sent to a HEAD', 'HEAD', 'HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 10\r\n\r\n', '<a>moved</a>', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'],
    ['bytes past the Content-Length', 'GET', 'HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 2\r\n\r\nmo', 'ved', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
  ])('%s, arriving late on a kept-alive connection, is not read as the next answer: asked again on a new connection', async (_name, method, first, stray, final) => {
    const server = await strayBytes(first, stray, final);
    const result = await checkOne({ url: server.url, http: { method, followRedirects: 5 } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(server.seen).toEqual([`1 ${method} /`, `1 ${method} /next`, `2 ${method} /next`]);
  });

  it('the new connection is judged: a server that answers no status line there too is http.protocol', async () => {
    const server = await strayBytes('HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n', '', 'garbage\r\n');
    const result = await checkOne({ url: server.url });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(result.reason).toMatch(/answered "garbage", which is no status line/);
    expect(server.seen).toEqual(['1 GET /', '1 GET /next', '2 GET /next']);
  });

  it('a request that is not safe to repeat (POST kept by a 307) is not sent again: http.protocol', async () => {
    const server = await strayBytes('HTTP/1.1 307 Temporary Redirect\r\nLocation: /next\r\nContent-Length: 2\r\n\r\nmo', 'ved', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    const result = await checkOne({ url: server.url, http: { method: 'POST' } });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
    expect(server.seen).toEqual(['1 POST /', '1 POST /next']);
  });

  it('a 101 to a request that asked to upgrade (a WebSocket handshake configured in http.headers) is the answer, judged by its status', async () => {
    const handshake = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x05hello';
    const server = own(await rawHttp((req) => ({ bytes: req.headers.upgrade === 'websocket' ? handshake : response('426 Upgrade Required', []), keepOpen: true })));
    const headers = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' };
    const asked = await checkOne({ url: `${server.url}/socket`, http: { headers, expect: { status: 101 } } });
    expect(asked).toMatchObject({ status: 'up', code: null });
    // Under the default 200-399 the 101 is a status like any other, said as such, at once.
    const started = performance.now();
    const byDefault = await checkOne({ url: `${server.url}/socket`, http: { headers } });
    expect(byDefault).toMatchObject({ status: 'down', code: 'http.status' });
    expect(byDefault.reason).toMatch(/HTTP 101/);
    expect(performance.now() - started).toBeLessThan(1000);
    // Not asked: a 101 is still a server switching protocols on its own.
    const unasked = own(await rawHttp(() => ({ bytes: handshake, keepOpen: true })));
    expect(await checkOne({ url: `${unasked.url}/`, http: { expect: { status: 101 } } })).toMatchObject({ status: 'down', code: 'http.protocol' });
  });
});
