import { describe, expect, it } from 'vitest';
import { isUnspecifiedAddress } from '../../src/net/address-resolution.js';
import { interpretResponse, MAX_CNAME_HOPS } from '../../src/net/dns-answer.js';
import type { RecordAnswer } from '../../src/net/dns-wire.js';

const cname = (name: string, data: string): RecordAnswer => ({ type: 'CNAME', name, data, ttl: 60 });
const a = (name: string, data: string): RecordAnswer => ({ type: 'A', name, data, ttl: 60 });

describe('reading a DNS answer as a stub resolver', () => {
  it('follows the chain to the records of its last name', () => {
    const read = interpretResponse('www.app.test', 'A', { rcode: 'NOERROR', answers: [cname('www.app.test', 'edge.cdn.test'), a('edge.cdn.test', '192.0.2.1')] });
    expect(read).toEqual({ ok: true, chain: ['edge.cdn.test'], records: [{ type: 'A', value: '192.0.2.1', ttl: 60 }] });
  });

  it('owner names match case-insensitively and with or without the root dot, as DNS names do', () => {
    const read = interpretResponse('www.app.test', 'A', { rcode: 'NOERROR', answers: [cname('WWW.App.Test.', 'Edge.CDN.test'), a('edge.cdn.TEST', '192.0.2.1')] });
    expect(read).toMatchObject({ ok: true, chain: ['edge.cdn.test'] });
  });

  it('ignores records for a name outside the chain', () => {
    const read = interpretResponse('app.test', 'A', { rcode: 'NOERROR', answers: [a('evil.test', '192.0.2.66')] });
    expect(read).toMatchObject({ ok: false, code: 'dns.nodata' });
  });

  it('a chain longer than the limit is dns.servfail', () => {
    const answers = Array.from({ length: MAX_CNAME_HOPS + 1 }, (_, i) => cname(i === 0 ? 'start.test' : `hop${i}.test`, `hop${i + 1}.test`));
    expect(interpretResponse('start.test', 'A', { rcode: 'NOERROR', answers })).toMatchObject({ ok: false, code: 'dns.servfail' });
  });

  it('SERVFAIL behind a CNAME names the chain', () => {
    const read = interpretResponse('www.app.test', 'A', { rcode: 'SERVFAIL', answers: [cname('www.app.test', 'edge.cdn.test')] });
    expect(read).toMatchObject({ ok: false, code: 'dns.servfail', reason: 'www.app.test → edge.cdn.test resolver answered SERVFAIL' });
  });
});

describe('block-list answers', () => {
  it.each([
    ['0.0.0.0', true],
    ['::', true],
    ['0:0:0:0:0:0:0:0', true],
    ['::ffff:0.0.0.0', true],
    // As dns-packet decodes an AAAA of ::ffff:0.0.0.0, and as URLs serialize it.
    ['::ffff:0:0', true],
    ['0:0:0:0:0:ffff:0000:0000', true],
    ['::ffff:0:1', false],
    ['::ffff:7f00:1', false],
    ['127.0.0.1', false],
    ['::1', false],
    ['0.0.0.1', false],
    ['fd00::', false],
    ['::FFFF:0:0', true],
    ['::FFFF:0:A', false],
    ['::ffff:0:e', false],
    ['FD00::', false],
    ['::9', false],
  ])('%s unspecified: %s', (address, expected) => {
    expect(isUnspecifiedAddress(address)).toBe(expected);
  });
});
