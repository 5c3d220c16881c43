/**
 * Issue 12, class 2: redirects. A Location outage cannot follow is `http.bad_redirect` with the
 * value quoted safely — never "a bug in outage"; a UTF-8 Location is followed to the path its bytes
 * mean; a site that sets a cookie and redirects to itself to see it is up, as in a browser.
 */
import { describe, expect, it } from 'vitest';
import { checkOne, probe } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { redirectTarget } from '../../src/probes/http/redirect.js';
import { REDIRECTS_UNFOLLOWABLE } from './http-cases.js';
import { casesRunner, rawHttp, response, type RawRequest } from './raw-http.js';

const own = closeAfterAll();
const runCases = casesRunner(own);
const redirect = (location: string | string[]) => response('302 Found', (Array.isArray(location) ? location : [location]).map((l) => `Location: ${l}`));

/** A server that keeps its connections open, as most do: same-origin hops reuse the connection. */
async function serve(answer: (request: RawRequest) => Buffer) {
  return own(await rawHttp((request) => ({ bytes: answer(request), keepOpen: true })));
}

describe('class 2: a Location outage cannot follow is http.bad_redirect, quoted safely', () => {
  it('names what the server redirected to, for each kind of unfollowable Location', async () => {
    await runCases(REDIRECTS_UNFOLLOWABLE);
  });

  it('escapes control characters, truncates long values and drops credentials from the reason', async () => {
    const hostile = `http://admin:hunter22@exa mple.test/\x1b[31mred\x1b[0m\u202e${'x'.repeat(300)}`;
    const server = await serve(() => redirect(Buffer.from(hostile, 'utf8').toString('latin1')));
    const result = await checkOne({ url: `${server.url}/` });
    expect(result).toMatchObject({ status: 'down', code: 'http.bad_redirect' });
    expect(result.reason).toContain('\\x1b[31mred');
    expect(result.reason).toContain('\\u{202e}');
    expect(result.reason).toMatch(/…"$/);
    expect([...result.reason].filter((c) => c < ' ' || c === '\u202e')).toEqual([]);
    expect(result.reason).not.toContain('hunter22');
    expect(result.reason.length).toBeLessThan(200);
  });
});

describe('class 2: a redirect to the unspecified address is never followed', () => {
  it('0.0.0.0 and [::] (which on Linux reach this machine) are http.bad_redirect, with no connection made', async () => {
    for (const host of ['0.0.0.0', '[::]', '0', '[::ffff:0.0.0.0]']) {
      let port = 0;
      const server = await serve((req) => (req.path === '/' ? redirect(`http://${host}:${port}/next`) : response('200 OK', [], 'hello')));
      port = server.port;
      const result = await checkOne({ url: `${server.url}/`, http: { expect: { body: 'hello' } } });
      expect([host, result.status, result.code]).toEqual([host, 'down', 'http.bad_redirect']);
      expect(result.reason).toMatch(/the unspecified address, which reaches only the machine it is used on/);
      expect(server.seen.map((r) => r.path)).toEqual(['/']);
      expect(server.connections).toBe(1);
    }
  });

  it('a target configured at 0.0.0.0 still follows its own relative redirects', () => {
    const next = redirectTarget(['/login'], new URL('http://0.0.0.0:8080/'));
    expect(next.ok && next.url.toString()).toBe('http://0.0.0.0:8080/login');
  });
});

describe('class 2: redirects resolve by the URL standard', () => {
  it('a UTF-8 Location is followed to the UTF-8 path, as a browser requests it', async () => {
    const server = await serve((req) => (req.path === '/caf%C3%A9' ? response('200 OK', [], 'hello') : req.path === '/' ? redirect(Buffer.from('/café', 'utf8').toString('latin1')) : response('404 Not Found', [])));
    const result = await checkOne({ url: `${server.url}/`, http: { expect: { body: 'hello' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(server.seen.map((r) => r.path)).toEqual(['/', '/caf%C3%A9']);
    expect(probe(result, 'http').details.url).toBe(`${server.url}/caf%C3%A9`);
  });

  it('a byte that is not UTF-8 is sent on percent-encoded, as browsers and curl send it', async () => {
    const server = await serve((req) => (req.path === '/' ? redirect('/caf\xe9?q=\xe9') : response(req.path === '/caf%E9?q=%E9' ? '200 OK' : '404 Not Found', [])));
    const result = await checkOne({ url: `${server.url}/` });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(server.seen.map((r) => r.path)).toEqual(['/', '/caf%E9?q=%E9']);
  });
});

describe('class 2: a cookie jar per check', () => {
  it('a cookie-check redirect (set a cookie, redirect to itself) is up, on one connection, and the cookie is never printed', async () => {
    const server = await serve((req) =>
      req.headers.cookie === 'check=c00kie-value' ? response('200 OK', [], 'hello') : response('302 Found', ['Set-Cookie: check=c00kie-value; Path=/; HttpOnly', 'Location: /']),
    );
    const result = await checkOne({ url: `${server.url}/`, http: { expect: { body: 'hello' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'http').details.hops?.map((h) => h.status)).toEqual([302, 200]);
    expect(server.connections).toBe(1);
    expect(JSON.stringify(result)).not.toContain('c00kie-value');
  });

  it('a long sign-in chain is followed as a browser follows it (20 hops); a loop still ends down', async () => {
    const chain = await serve((request) => {
      const hop = Number(/^\/hop(\d+)$/.exec(request.path)?.[1] ?? 0);
      return hop < 12 ? redirect(`/hop${hop + 1}`) : response('200 OK', [], 'signed in');
    });
    const long = await checkOne({ url: `${chain.url}/hop0` });
    expect(long).toMatchObject({ status: 'up', code: null });
    expect(probe(long, 'http').details.hops).toHaveLength(13);
    const loop = await serve((request) => redirect(request.path === '/a' ? '/b' : '/a'));
    const looping = await checkOne({ url: `${loop.url}/a` });
    expect(looping).toMatchObject({ status: 'down', code: 'http.too_many_redirects' });
    expect(probe(looping, 'http').details.hops).toHaveLength(21);
  });

  it('a site that never sees its cookie still ends in http.too_many_redirects', async () => {
    const server = await serve(() => response('302 Found', [`Set-Cookie: n=${Math.random()}`, 'Location: /']));
    const result = await checkOne({ url: `${server.url}/`, http: { followRedirects: 3 } });
    expect(result).toMatchObject({ status: 'down', code: 'http.too_many_redirects' });
  });

  it('cookies go only to the host that set them, and start empty on every attempt', async () => {
    const other = await serve(() => response('200 OK', [], 'hello'));
    let calls = 0;
    const start = await serve((req) => {
      calls++;
      // First attempt: fails after setting a cookie, so a retry must start without it.
      if (calls === 1) return response('503 Service Unavailable', ['Set-Cookie: first=1']);
      return response('302 Found', [`Set-Cookie: seen=${req.headers.cookie ?? 'none'}`, `Location: ${other.url.replace('127.0.0.1', 'localhost')}/`]);
    });
    const result = await checkOne({ url: `${start.url}/`, retries: 1 });
    expect(result.status).toBe('degraded');
    expect(start.seen.map((r) => r.headers.cookie)).toEqual([undefined, undefined]);
    expect(other.seen.map((r) => r.headers.cookie)).toEqual([undefined]);
  });

  it('keeps a configured Cookie header and adds the jar\'s after it', async () => {
    const server = await serve((req) => (req.path === '/' ? response('302 Found', ['Set-Cookie: jar=2', 'Location: /next']) : response('200 OK', [])));
    await checkOne({ url: `${server.url}/`, http: { headers: { Cookie: 'mine=1' } } });
    expect(server.seen.map((r) => r.headers.cookie)).toEqual(['mine=1', 'mine=1; jar=2']);
  });
});
