/** The check's cookie jar: which cookie goes where, by RFC 6265's rules, as browsers and curl send them. */
import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/probes/http/cookies.js';

const at = (url: string) => new URL(url);

describe('cookie jar', () => {
  it('sends a host-only cookie back to its host and nowhere else', () => {
    const jar = new CookieJar();
    jar.store(at('http://app.example.test/login'), ['sid=1']);
    expect(jar.header(at('http://app.example.test/'))).toBe('sid=1');
    expect(jar.header(at('http://other.example.test/'))).toBeUndefined();
    expect(jar.header(at('http://sub.app.example.test/'))).toBeUndefined();
  });

  it('a Domain cookie goes to subdomains; a Domain of another site or a whole TLD is refused', () => {
    const jar = new CookieJar();
    jar.store(at('http://www.example.test/'), ['shared=1; Domain=.example.test', 'evil=1; Domain=attacker.test', 'tld=1; Domain=test']);
    expect(jar.header(at('http://api.example.test/'))).toBe('shared=1');
    expect(jar.header(at('http://example.test/'))).toBe('shared=1');
    expect(jar.header(at('http://attacker.test/'))).toBeUndefined();
  });

  it('an IP address matches only itself', () => {
    const jar = new CookieJar();
    jar.store(at('http://127.0.0.1:8080/'), ['a=1', 'b=2; Domain=0.0.1']);
    expect(jar.header(at('http://127.0.0.1:9090/'))).toBe('a=1');
  });

  it('paths match by segment; the default path is the request path up to its last slash', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.test/app/login'), ['d=1', 'root=1; Path=/', 'deep=1; Path=/app/admin']);
    expect(jar.header(at('http://h.test/app/x'))).toBe('d=1; root=1');
    expect(jar.header(at('http://h.test/application'))).toBe('root=1');
    expect(jar.header(at('http://h.test/app/admin/users'))).toBe('deep=1; d=1; root=1');
  });

  it('Secure cookies are neither set over http nor sent over it', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.test/'), ['s=1; Secure']);
    expect(jar.header(at('https://h.test/'))).toBeUndefined();
    jar.store(at('https://h.test/'), ['s=2; Secure', '__Secure-a=1; Secure', '__Secure-b=1', '__Host-c=1; Secure; Path=/', '__Host-d=1; Secure; Domain=h.test']);
    expect(jar.header(at('https://h.test/'))).toBe('s=2; __Secure-a=1; __Host-c=1');
    expect(jar.header(at('http://h.test/'))).toBeUndefined();
  });

  it('a later cookie replaces the same name; Max-Age=0 or a past Expires deletes it; Max-Age wins over Expires', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.test/'), ['a=1', 'b=1', 'c=1']);
    jar.store(at('http://h.test/'), ['a=2', 'b=; Max-Age=0', 'c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'e=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header(at('http://h.test/'))).toBe('a=2; e=1');
  });

  it('Expires is read by RFC 6265 as browsers read it: a value that is no date (0, -1) is ignored, not a date in 2000', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.test/'), ['zero=1; Expires=0', 'minus=1; expires=-1', 'word=1; Expires=never', 'old=1; Expires=Sunday, 06-Nov-94 08:49:37 GMT']);
    jar.store(at('http://h.test/'), ['two=1; Expires=Thu, 01-Jan-37 00:00:00 GMT', 'asc=1; Expires=Sun Nov  6 08:49:37 2094', 'iso=1; Expires=2099-01-01']);
    // 0 and -1 are no date (V8's Date.parse reads them as 2000 and 2001, deleting the cookie at once);
    // a two-digit year below 70 is 20xx; asctime form is a date; an ISO date has no time, so no date.
    expect(jar.header(at('http://h.test/'))).toBe('zero=1; minus=1; word=1; two=1; asc=1; iso=1');
  });

  it('a nameless cookie is sent as its value, as browsers do; an empty one is ignored', () => {
    const jar = new CookieJar();
    jar.store(at('http://h.test/'), ['justavalue', '=', '; Path=/']);
    expect(jar.header(at('http://h.test/'))).toBe('justavalue');
  });
});
