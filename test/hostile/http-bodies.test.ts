/**
 * Issue 12, class 3: bodies. Content checks read the body as a browser would — by its declared
 * charset and every content encoding curl --compressed decodes — and a body that does not decode
 * is `http.protocol` when a content check depends on it, never a silent pass on a fragment.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, it } from 'vitest';
import { closeAfterAll } from '../helpers/own.js';
import { casesRunner, response, type Case } from './raw-http.js';

const runCases = casesRunner(closeAfterAll());
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

describe('class 3: bodies decoded by their charset', () => {
  it('reads a latin1 page however it declares its charset', async () => {
    await runCases([
      { name: 'Content-Type charset=iso-8859-1', bytes: response('200 OK', ['Content-Type: text/html; charset=ISO-8859-1'], latin1), service: wantsAccents, expect: ['up', null] },
      { name: 'quoted charset="latin1"', bytes: response('200 OK', ['Content-Type: text/html;charset="latin1"'], latin1), service: wantsAccents, expect: ['up', null] },
      { name: '<meta charset>', bytes: response('200 OK', ['Content-Type: text/html'], Buffer.concat([Buffer.from('<html><head><meta charset="iso-8859-1"></head>'), latin1])), service: wantsAccents, expect: ['up', null] },
      { name: '<meta http-equiv content>', bytes: response('200 OK', [], Buffer.concat([Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'), latin1])), service: wantsAccents, expect: ['up', null] },
      { name: 'XML declaration', bytes: response('200 OK', ['Content-Type: application/xml'], Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), latin1])), service: wantsAccents, expect: ['up', null] },
      { name: 'no declaration, not valid UTF-8', bytes: response('200 OK', ['Content-Type: text/html'], latin1), service: wantsAccents, expect: ['up', null] },
      { name: 'UTF-8 with a BOM despite a latin1 label', bytes: response('200 OK', ['Content-Type: text/html; charset=iso-8859-1'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café crème')])), service: wantsAccents, expect: ['up', null] },
      { name: 'UTF-16LE with a BOM', bytes: response('200 OK', [], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café crème', 'utf16le')])), service: wantsAccents, expect: ['up', null] },
      { name: 'plain UTF-8', bytes: response('200 OK', ['Content-Type: text/html'], Buffer.from('Café crème')), service: wantsAccents, expect: ['up', null] },
    ]);
  });
});

describe('class 3: bodies decoded by every encoding curl --compressed handles', () => {
  it('decodes gzip, zlib and raw deflate, br and stacked codings', async () => {
    const cases: Case[] = [
      { name: 'gzip', bytes: encoded('gzip', gzip), service: wantsText, expect: ['up', null] },
      { name: 'x-gzip', bytes: encoded('x-gzip', gzip), service: wantsText, expect: ['up', null] },
      { name: 'deflate (zlib)', bytes: encoded('deflate', zlib.deflateSync(text)), service: wantsText, expect: ['up', null] },
      { name: 'deflate (raw, no zlib header)', bytes: encoded('deflate', zlib.deflateRawSync(text)), service: wantsText, expect: ['up', null] },
      { name: 'br', bytes: encoded('br', zlib.brotliCompressSync(text)), service: wantsText, expect: ['up', null] },
      { name: 'deflate then gzip', bytes: encoded('deflate, gzip', zlib.gzipSync(zlib.deflateSync(text))), service: wantsText, expect: ['up', null] },
      { name: 'two Content-Encoding lines', bytes: encoded('deflate', zlib.gzipSync(zlib.deflateSync(text)), ['Content-Encoding: gzip']), service: wantsText, expect: ['up', null] },
      { name: 'identity', bytes: encoded('identity', text), service: wantsText, expect: ['up', null] },
      { name: 'gzip of a latin1 page', bytes: encoded('gzip', zlib.gzipSync(latin1), ['Content-Type: text/html; charset=iso-8859-1']), service: wantsAccents, expect: ['up', null] },
      zstd
        ? { name: 'zstd', bytes: encoded('zstd', zstd(text)), service: wantsText, expect: ['up', null] }
        : { name: 'zstd', bytes: encoded('zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0])), service: wantsText, expect: ['down', 'http.protocol'], reason: /encoded as "zstd", which outage cannot decode/ },
    ];
    await runCases(cases);
  });

  it('a body that does not decode fails a content check with http.protocol, and only a content check', async () => {
    await runCases([
      { name: 'corrupt gzip, content check', bytes: encoded('gzip', corrupt), service: wantsText, expect: ['down', 'http.protocol'], reason: /gzip body is corrupt.*content cannot be checked/ },
      { name: 'corrupt gzip, regex check', bytes: encoded('gzip', corrupt), service: { http: { expect: { bodyRegex: 'operational' } } }, expect: ['down', 'http.protocol'] },
      { name: 'gzip cut short at its Content-Length', bytes: encoded('gzip', gzip.subarray(0, gzip.length - 12)), service: wantsText, expect: ['down', 'http.protocol'], reason: /corrupt \(unexpected end of file\)/ },
      { name: 'gzip label on a plain body', bytes: encoded('gzip', text), service: wantsText, expect: ['down', 'http.protocol'] },
      { name: 'an unknown coding', bytes: encoded('compress', text), service: wantsText, expect: ['down', 'http.protocol'], reason: /encoded as "compress"/ },
      { name: 'corrupt gzip, no content check', bytes: encoded('gzip', corrupt), expect: ['up', null] },
      { name: 'corrupt gzip, status mismatch wins', bytes: encoded('gzip', corrupt), service: { http: { expect: { status: 204, body: 'x' } } }, expect: ['down', 'http.status'] },
    ]);
  });
});

describe('class 3: the 1 MiB cap is not corruption', () => {
  it('a compressed body larger than the cap decodes as far as the cap and passes a check on its start', async () => {
    // Random base64 barely compresses: 2 MiB of it is still over 1 MiB compressed.
    const big = Buffer.from(`all systems operational ${randomBytes(1536 * 1024).toString('base64')}`);
    await runCases([
      { name: 'gzip', bytes: encoded('gzip', zlib.gzipSync(big)), service: wantsText, expect: ['up', null] },
      { name: 'deflate', bytes: encoded('deflate', zlib.deflateSync(big)), service: wantsText, expect: ['up', null] },
      { name: 'raw deflate', bytes: encoded('deflate', zlib.deflateRawSync(big)), service: wantsText, expect: ['up', null] },
      { name: 'br', bytes: encoded('br', zlib.brotliCompressSync(big, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })), service: wantsText, expect: ['up', null] },
    ]);
  });
});
