/**
 * Issue 12, class 1: servers that write exact bytes. HTTP framing that RFC 9110/9112 lets a client
 * accept is accepted, as browsers and curl accept it; framing that makes the body's length
 * ambiguous, or an answer that is not HTTP, is `http.protocol` — never `http.reset`.
 */
import { describe, expect, it } from 'vitest';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
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
});
