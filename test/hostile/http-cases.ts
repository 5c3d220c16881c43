/**
 * The raw-byte cases of the HTTP classes of issue 12 (1 framing, 2 redirects, 3 bodies) as data:
 * the class tests (http-*.test.ts) check each case's outcome and reason, and the whole-suite test
 * (suite.ts) runs every one of them through the CLI in every format.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { response, type Case } from './raw-http.js';

// Class 1: framing.
const okBody = { http: { expect: { body: 'hello' } } };
const cookies40 = Array.from({ length: 40 }, (_, i) => `Set-Cookie: session${i}=${'x'.repeat(1000)}; Path=/`);

/** Bytes as one chunk plus the last chunk. */
function chunked(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
}

/** Framing a client must accept, as RFC 9110/9112 and browsers do. */
export const FRAMING_LENIENT: Case[] = [
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
  // The header repeated, not the body chunked twice: Spring Boot and Go servers given the header by
  // the app add their own. Chrome reads it, curl ignores the duplicate; Go alone refuses it.
  { name: 'Transfer-Encoding: chunked on two lines', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', keepOpen: true, service: okBody, expect: ['up', null] },
  { name: 'Transfer-Encoding: chunked, chunked', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', keepOpen: true, service: okBody, expect: ['up', null] },
  // `header('Content-Length: ' . $size)` with no size: Chrome and Go read it as no length (to the close).
  { name: 'an empty Content-Length, body to the close', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: \r\nConnection: close\r\n\r\nhello', service: okBody, expect: ['up', null] },
  { name: 'Transfer-Encoding: identity with a Content-Length', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello', keepOpen: true, service: okBody, expect: ['up', null] },
  { name: 'bytes after the Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA', service: okBody, expect: ['up', null] },
  { name: 'headers named __proto__ and constructor', bytes: 'HTTP/1.1 200 OK\r\n__proto__: x\r\nconstructor: y\r\nContent-Length: 5\r\n\r\nhello', service: okBody, expect: ['up', null] },
  { name: 'headers up to 200 KiB', bytes: response('200 OK', [`X-Big: ${'a'.repeat(200 * 1024)}`], 'hello'), service: okBody, expect: ['up', null] },
];

/** Framing that makes the body's length ambiguous, or an answer that is not HTTP. */
export const FRAMING_STRICT: Case[] = [
  { name: 'Content-Length and chunked together', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /Content-Length and Transfer-Encoding/ },
  // A body that is not chunked under `chunked`, no line end, on a connection kept open: refused as
  // soon as it cannot be a chunk size, not after the budget waiting for a line end.
  { name: 'chunked, a JSON body that is not chunked, kept open', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{"status":"ok"}', keepOpen: true, expect: ['down', 'http.protocol'], reason: /invalid chunk size "\{/ },
  { name: 'chunk data followed by more data, kept open', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello', keepOpen: true, expect: ['down', 'http.protocol'], reason: /chunk data not followed by a line end/ },
  { name: 'conflicting Content-Length values', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', expect: ['down', 'http.protocol'], reason: /conflicting Content-Length/ },
  { name: 'a Content-Length that is not a number', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello', expect: ['down', 'http.protocol'], reason: /invalid Content-Length "5x"/ },
  { name: 'chunk data without its line end', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /chunk data/ },
  { name: 'an invalid chunk size', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /chunk size "zz"/ },
  { name: 'chunked applied twice, another coding between', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip, chunked\r\n\r\n0\r\n\r\n', expect: ['down', 'http.protocol'], reason: /applies chunked twice/ },
  { name: 'headers over 256 KiB', bytes: response('200 OK', [`X-Big: ${'a'.repeat(300 * 1024)}`], 'hello'), expect: ['down', 'http.protocol'], reason: /larger than 256 KiB/ },
  { name: 'an unasked 101 Switching Protocols', bytes: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', keepOpen: true, expect: ['down', 'http.protocol'], reason: /101/ },
  { name: 'HTTP/0.9 (a body with no status line)', bytes: 'hello\n', expect: ['down', 'http.protocol'], reason: /answered "hello", which is no status line/ },
  { name: 'a status code of two digits', bytes: 'HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n', expect: ['down', 'http.protocol'] },
  { name: 'closed before the Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello', expect: ['down', 'http.reset'], reason: /Content-Length/ },
  { name: 'closed before the last chunk', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', expect: ['down', 'http.reset'], reason: /last chunk/ },
  { name: 'closed mid-headers', bytes: 'HTTP/1.1 200 OK\r\nContent-Len', expect: ['down', 'http.reset'], reason: /middle of the response headers/ },
  // Not "in the middle of the response headers": the interim response was whole, the final never began.
  { name: 'closed after an interim response', bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n', expect: ['down', 'http.reset'], reason: /^connection closed after an interim 103 response, before the final one$/ },
];

// Class 2: redirects.
const redirect = (location: string | string[]) => response('302 Found', (Array.isArray(location) ? location : [location]).map((l) => `Location: ${l}`));

/** A Location outage cannot follow, each kind of it. */
export const REDIRECTS_UNFOLLOWABLE: Case[] = [
  { name: 'javascript: URL', bytes: redirect('javascript:alert(1)'), expect: ['down', 'http.bad_redirect'], reason: /non-HTTP URL "javascript:alert\(1\)"/ },
  { name: 'ftp: URL', bytes: redirect('ftp://files.example.test/pub/'), expect: ['down', 'http.bad_redirect'], reason: /non-HTTP URL "ftp:\/\/files\.example\.test\/pub\/"/ },
  { name: 'a space in the host', bytes: redirect('http://exa mple.test/'), expect: ['down', 'http.bad_redirect'], reason: /invalid URL "http:\/\/exa mple\.test\/"/ },
  { name: 'a port out of range', bytes: redirect('http://example.test:99999/'), expect: ['down', 'http.bad_redirect'], reason: /invalid URL/ },
  { name: 'two different Locations', bytes: redirect(['/a', '/b']), expect: ['down', 'http.bad_redirect'], reason: /several different Location headers/ },
  // An app that builds its redirects from its bind address; 0.0.0.0 reaches only the machine it is used on.
  { name: 'the unspecified address 0.0.0.0', bytes: redirect('http://0.0.0.0:9/login'), expect: ['down', 'http.bad_redirect'], reason: /redirect to "http:\/\/0\.0\.0\.0:9\/login", the unspecified address/ },
  { name: 'the unspecified address [::]', bytes: redirect('https://[::]/'), expect: ['down', 'http.bad_redirect'], reason: /the unspecified address/ },
  // With redirects not followed, the 302 itself is the answer and the Location is never parsed.
  { name: 'not followed with followRedirects: 0', bytes: redirect('javascript:alert(1)'), service: { http: { followRedirects: 0 } }, expect: ['up', null] },
];

// Class 3: bodies.
const latin1 = Buffer.from('<p>Café crème: service opérationnel</p>', 'latin1');
const wantsAccents = { http: { expect: { body: 'Café crème' } } };
const wantsText = { http: { expect: { body: 'all systems operational' } } };
const text = Buffer.from('<p>all systems operational</p>'.repeat(50));
const encoded = (encoding: string, body: Buffer, extra: string[] = []) => response('200 OK', [`Content-Encoding: ${encoding}`, ...extra], body);
const gzip = zlib.gzipSync(text);
const corrupt = Buffer.from(gzip);
corrupt.fill(0x41, 40, 60);
// zstd arrived in Node 22.15 / 23.8; older Node cannot decode it and says so.
const zstd = (zlib as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;

/** A latin1 page however it declares its charset. */
export const BODY_CHARSETS: Case[] = [
  { name: 'Content-Type charset=iso-8859-1', bytes: response('200 OK', ['Content-Type: text/html; charset=ISO-8859-1'], latin1), service: wantsAccents, expect: ['up', null] },
  { name: 'quoted charset="latin1"', bytes: response('200 OK', ['Content-Type: text/html;charset="latin1"'], latin1), service: wantsAccents, expect: ['up', null] },
  { name: '<meta charset>', bytes: response('200 OK', ['Content-Type: text/html'], Buffer.concat([Buffer.from('<html><head><meta charset="iso-8859-1"></head>'), latin1])), service: wantsAccents, expect: ['up', null] },
  { name: '<meta http-equiv content>', bytes: response('200 OK', [], Buffer.concat([Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'), latin1])), service: wantsAccents, expect: ['up', null] },
  { name: 'XML declaration', bytes: response('200 OK', ['Content-Type: application/xml'], Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), latin1])), service: wantsAccents, expect: ['up', null] },
  { name: 'no declaration, not valid UTF-8', bytes: response('200 OK', ['Content-Type: text/html'], latin1), service: wantsAccents, expect: ['up', null] },
  { name: 'UTF-8 with a BOM despite a latin1 label', bytes: response('200 OK', ['Content-Type: text/html; charset=iso-8859-1'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café crème')])), service: wantsAccents, expect: ['up', null] },
  { name: 'UTF-16LE with a BOM', bytes: response('200 OK', [], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café crème', 'utf16le')])), service: wantsAccents, expect: ['up', null] },
  { name: 'plain UTF-8', bytes: response('200 OK', ['Content-Type: text/html'], Buffer.from('Café crème')), service: wantsAccents, expect: ['up', null] },
];

/** Every content coding curl --compressed decodes. */
export const BODY_CODINGS: Case[] = [
  { name: 'gzip', bytes: encoded('gzip', gzip), service: wantsText, expect: ['up', null] },
  { name: 'x-gzip', bytes: encoded('x-gzip', gzip), service: wantsText, expect: ['up', null] },
  { name: 'deflate (zlib)', bytes: encoded('deflate', zlib.deflateSync(text)), service: wantsText, expect: ['up', null] },
  { name: 'deflate (raw, no zlib header)', bytes: encoded('deflate', zlib.deflateRawSync(text)), service: wantsText, expect: ['up', null] },
  { name: 'br', bytes: encoded('br', zlib.brotliCompressSync(text)), service: wantsText, expect: ['up', null] },
  { name: 'deflate then gzip', bytes: encoded('deflate, gzip', zlib.gzipSync(zlib.deflateSync(text))), service: wantsText, expect: ['up', null] },
  { name: 'two Content-Encoding lines', bytes: encoded('deflate', zlib.gzipSync(zlib.deflateSync(text)), ['Content-Encoding: gzip']), service: wantsText, expect: ['up', null] },
  { name: 'identity', bytes: encoded('identity', text), service: wantsText, expect: ['up', null] },
  // Mislabelled plain bodies: `none` is curl's name for identity (PHP's idiom to stop compression);
  // a coding nobody knows is shown as sent by browsers and matched as sent by blackbox_exporter.
  { name: 'none (PHP idiom)', bytes: encoded('none', text), service: wantsText, expect: ['up', null] },
  { name: 'a charset named as the coding (UTF-8)', bytes: encoded('UTF-8', text), service: wantsText, expect: ['up', null] },
  { name: 'an unknown coding on a plain body, regex check', bytes: encoded('text/html', text), service: { http: { expect: { bodyRegex: 'systems\\s+operational' } } }, expect: ['up', null] },
  // Bytes after the last whole gzip member are ignored, as browsers ignore them (Node's gunzip
  // alone would read them as a broken member): PHP's stray newline after ob_gzhandler's output.
  { name: 'gzip then a stray newline', bytes: encoded('gzip', Buffer.concat([gzip, Buffer.from('\n')])), service: wantsText, expect: ['up', null] },
  { name: 'gzip then an appended warning text', bytes: encoded('gzip', Buffer.concat([gzip, Buffer.from('<br />\n<b>Warning</b>: headers already sent\n')])), service: wantsText, expect: ['up', null] },
  { name: 'two gzip members then a newline', bytes: encoded('gzip', Buffer.concat([zlib.gzipSync('all systems '), zlib.gzipSync('operational'), Buffer.from('\n')])), service: wantsText, expect: ['up', null] },
  { name: 'gzip of a latin1 page', bytes: encoded('gzip', zlib.gzipSync(latin1), ['Content-Type: text/html; charset=iso-8859-1']), service: wantsAccents, expect: ['up', null] },
  zstd
    ? { name: 'zstd', bytes: encoded('zstd', zstd(text)), service: wantsText, expect: ['up', null] }
    : { name: 'zstd', bytes: encoded('zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0])), service: wantsText, expect: ['down', 'http.protocol'], reason: /encoded as "zstd", which outage cannot decode/ },
];

/** Bodies that do not decode: http.protocol under a content check, and only then. */
export const BODY_CORRUPT: Case[] = [
  { name: 'corrupt gzip, content check', bytes: encoded('gzip', corrupt), service: wantsText, expect: ['down', 'http.protocol'], reason: /gzip body is corrupt.*content cannot be checked/ },
  { name: 'corrupt gzip, regex check', bytes: encoded('gzip', corrupt), service: { http: { expect: { bodyRegex: 'operational' } } }, expect: ['down', 'http.protocol'] },
  { name: 'gzip cut short at its Content-Length', bytes: encoded('gzip', gzip.subarray(0, gzip.length - 12)), service: wantsText, expect: ['down', 'http.protocol'], reason: /corrupt \(unexpected end of file\)/ },
  { name: 'gzip label on a plain body', bytes: encoded('gzip', text), service: wantsText, expect: ['down', 'http.protocol'] },
  { name: 'an unknown coding, the text not found as sent', bytes: encoded('compress', zlib.gzipSync(text)), service: wantsText, expect: ['down', 'http.protocol'], reason: /encoded as "compress", which outage cannot decode, so its content cannot be checked/ },
  { name: 'an unknown coding, a regex not matching as sent', bytes: encoded('utf-8', text), service: { http: { expect: { bodyRegex: 'operational!' } } }, expect: ['down', 'http.protocol'], reason: /encoded as "utf-8"/ },
  // What follows a whole member is junk only if it cannot start a member: a damaged second member is corrupt.
  { name: 'gzip then a damaged second member', bytes: encoded('gzip', Buffer.concat([gzip, corrupt])), service: wantsText, expect: ['down', 'http.protocol'], reason: /gzip body is corrupt/ },
  { name: 'gzip cut short, then a newline', bytes: encoded('gzip', Buffer.concat([gzip.subarray(0, gzip.length - 12), Buffer.from('\n')])), service: wantsText, expect: ['down', 'http.protocol'], reason: /gzip body is corrupt/ },
  { name: 'corrupt gzip, no content check', bytes: encoded('gzip', corrupt), expect: ['up', null] },
  { name: 'corrupt gzip, status mismatch wins', bytes: encoded('gzip', corrupt), service: { http: { expect: { status: 204, body: 'x' } } }, expect: ['down', 'http.status'] },
];

/** Compressed bodies larger than the 1 MiB cap, checked on their start. */
export function bodiesOverTheCap(): Case[] {
  // Random base64 barely compresses: 2 MiB of it is still over 1 MiB compressed.
  const big = Buffer.from(`all systems operational ${randomBytes(1536 * 1024).toString('base64')}`);
  return [
    { name: 'gzip', bytes: encoded('gzip', zlib.gzipSync(big)), service: wantsText, expect: ['up', null] },
    { name: 'deflate', bytes: encoded('deflate', zlib.deflateSync(big)), service: wantsText, expect: ['up', null] },
    { name: 'raw deflate', bytes: encoded('deflate', zlib.deflateRawSync(big)), service: wantsText, expect: ['up', null] },
    { name: 'br', bytes: encoded('br', zlib.brotliCompressSync(big, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })), service: wantsText, expect: ['up', null] },
  ];
}

/** Every case above, each name prefixed with its list's (a name is unique only in its list). */
export function allHttpCases(): Case[] {
  const lists: Record<string, Case[]> = {
    'framing accepted': FRAMING_LENIENT,
    'framing refused': FRAMING_STRICT,
    'unfollowable redirect': REDIRECTS_UNFOLLOWABLE,
    charset: BODY_CHARSETS,
    coding: BODY_CODINGS,
    'corrupt body': BODY_CORRUPT,
    'over the cap': bodiesOverTheCap(),
  };
  return Object.entries(lists).flatMap(([list, cases]) => cases.map((c) => ({ ...c, name: `${list}: ${c.name}` })));
}
