/**
 * Issue 12, class 1: servers that write exact bytes. HTTP framing that RFC 9110/9112 lets a client
 * accept is accepted, as browsers and curl accept it; framing that makes the body's length
 * ambiguous, or an answer that is not HTTP, is `http.protocol` — never `http.reset`.
 */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { casesRunner, rawHttp, response } from './raw-http.js';

const own = closeAfterAll();
const runCases = casesRunner(own);

const okBody = { http: { expect: { body: 'hello' } } };
const cookies40 = Array.from({ length: 40 }, (_, i) => `Set-Cookie: session${i}=${'x'.repeat(1000)}; Path=/`);

describe('class 1: HTTP framing a client must accept is accepted; ambiguous framing is http.protocol', () => {
  it('lenient where RFC 9110/9112 and browsers are', async () => {
    await runCases([
      { name: 'unsolicited 100 Continue before the 200', bytes: `HTTP/1.1 100 Continue\r\n\r\n${response('200 OK', [], 'hello').toString('latin1')}`, service: okBody, expect: ['up', null] },
      { name: '103 Early Hints before the 200', bytes: `HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n${response('200 OK', [], 'hello').toString('latin1')}`, service: okBody, expect: ['up', null] },
      { name: 'two interim responses', bytes: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n${response('200 OK', [], 'hello').toString('latin1')}`, service: okBody, expect: ['up', null] },
      { name: 'obs-fold header line', bytes: 'HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'bare LF line ends', bytes: 'HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 5\n\nhello', service: okBody, expect: ['up', null] },
      { name: 'bare LF in a chunked body', bytes: 'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n', keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'forty Set-Cookie lines (40 KiB of headers)', bytes: response('200 OK', cookies40, 'hello'), service: okBody, expect: ['up', null] },
      { name: '204 with a stray Content-Length, connection kept open', bytes: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', keepOpen: true, service: { http: { expect: { status: 204 } } }, expect: ['up', null] },
      { name: '304 with a Content-Length, connection kept open', bytes: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n', keepOpen: true, expect: ['up', null] },
      { name: 'HEAD answered with a Content-Length and no body', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', keepOpen: true, service: { http: { method: 'HEAD' } }, expect: ['up', null] },
      { name: 'duplicate equal Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello', keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'Content-Length list of equal values', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello', keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'NUL in a header value', bytes: 'HTTP/1.1 200 OK\r\nX-Odd: a\0b\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'bare CR in a header value', bytes: 'HTTP/1.1 200 OK\r\nX-Odd: a\rb\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'HTTP/1.0 200 without a reason phrase', bytes: 'HTTP/1.0 200\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'status line with trailing spaces', bytes: 'HTTP/1.1 200 OK   \r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'whitespace before a header colon', bytes: 'HTTP/1.1 200 OK\r\nContent-Type : text/plain\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'a header line without a colon', bytes: 'HTTP/1.1 200 OK\r\nthis is not a header\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'an empty line before the status line', bytes: `\r\n${response('200 OK', [], 'hello').toString('latin1')}`, service: okBody, expect: ['up', null] },
      { name: 'chunk extensions and trailers', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2 ; x\r\nlo\r\n0\r\nX-Trailer: t\r\n\r\n', keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'Transfer-Encoding: gzip, chunked', bytes: Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'), chunked(zlib.gzipSync('hello'))]), keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'Transfer-Encoding: identity with a Content-Length', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello', keepOpen: true, service: okBody, expect: ['up', null] },
      { name: 'bytes after the Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA', service: okBody, expect: ['up', null] },
      { name: 'headers named __proto__ and constructor', bytes: 'HTTP/1.1 200 OK\r\n__proto__: x\r\nconstructor: y\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
      { name: 'headers up to 200 KiB', bytes: response('200 OK', [`X-Big: ${'a'.repeat(200 * 1024)}`], 'hello'), service: okBody, expect: ['up', null] },
    ]);
  });

  it('strict where the body length would be ambiguous or the answer is not HTTP', async () => {
    await runCases([
      { name: 'Content-Length and chunked together', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /Content-Length and Transfer-Encoding/ },
      { name: 'conflicting Content-Length values', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', expect: ['down', 'http.protocol'], reason: /conflicting Content-Length/ },
      { name: 'a Content-Length that is not a number', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello', expect: ['down', 'http.protocol'], reason: /invalid Content-Length "5x"/ },
      { name: 'chunk data without its line end', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /chunk data/ },
      { name: 'an invalid chunk size', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /chunk size "zz"/ },
      { name: 'chunked applied twice', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n', expect: ['down', 'http.protocol'] },
      { name: 'headers over 256 KiB', bytes: response('200 OK', [`X-Big: ${'a'.repeat(300 * 1024)}`], 'hello'), expect: ['down', 'http.protocol'], reason: /larger than 256 KiB/ },
      { name: 'an unasked 101 Switching Protocols', bytes: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', keepOpen: true, expect: ['down', 'http.protocol'], reason: /101/ },
      { name: 'HTTP/0.9 (a body with no status line)', bytes: 'hello\n', expect: ['down', 'http.protocol'], reason: /answered "hello", which is no status line/ },
      { name: 'a status code of two digits', bytes: 'HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n', expect: ['down', 'http.protocol'] },
      { name: 'closed before the Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello', expect: ['down', 'http.reset'], reason: /Content-Length/ },
      { name: 'closed before the last chunk', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', expect: ['down', 'http.reset'], reason: /last chunk/ },
      { name: 'closed mid-headers', bytes: 'HTTP/1.1 200 OK\r\nContent-Len', expect: ['down', 'http.reset'], reason: /middle of the response headers/ },
    ]);
  });
});

/** Bytes as one chunk plus the last chunk. */
function chunked(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
}

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
});
