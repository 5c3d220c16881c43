import fc from 'fast-check';
import { createRequire } from 'node:module';
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { shareIpTestWithNode } from '../../src/commands/node-ip-test.js';

// The module objects Node's own TLS code reads `net.isIP` from.
const require = createRequire(import.meta.url);
const net = require('node:net') as typeof import('node:net');
const tls = require('node:tls') as typeof import('node:tls');

const NAMES = ['127.0.0.1', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'fe80::1%eth0', 'localhost', 'localhost.', 'example.com', 'xn--bcher-kva.example', '*.example.com', '', '1.2.3', '[::1]', '192.0.2.1:443'];
const CERTS: Partial<PeerCertificate>[] = [
  { subject: { CN: 'localhost' } as PeerCertificate['subject'], subjectaltname: 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' },
  { subject: { CN: 'example.com' } as PeerCertificate['subject'], subjectaltname: 'DNS:*.example.com, DNS:example.com' },
  { subject: { CN: '127.0.0.1' } as PeerCertificate['subject'] },
];

/** What Node's hostname check says of every name against every certificate. */
function verdicts(): string[] {
  return NAMES.flatMap((name) => CERTS.map((cert) => `${name}: ${tls.checkServerIdentity(name, cert as PeerCertificate)?.message ?? 'ok'}`));
}

describe('the CLI shares its IP address test with Node', () => {
  const original = net.isIP;
  const before = verdicts();
  shareIpTestWithNode();

  it('replaces net.isIP once, however often it is asked', () => {
    const shared = net.isIP;
    expect(shared).not.toBe(original);
    shareIpTestWithNode();
    expect(net.isIP).toBe(shared);
  });

  it('answers as Node did for any string and any other value', () => {
    for (const name of NAMES) expect(net.isIP(name), name).toBe(original(name));
    for (const value of [undefined, null, 127, {}, { toString: () => '::1' }, ['127.0.0.1']]) expect(net.isIP(value as string)).toBe(original(value as string));
    const piece = fc.constantFrom('1', '0', 'ff', 'db8', '255', '%lo', 'x', '.', ':', '::');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.array(piece, { maxLength: 12 }).map((p) => p.join(''))), (text) => net.isIP(text) === original(text)), { numRuns: 2000 });
  });

  it("leaves every verdict of Node's hostname check as it was", () => {
    expect(verdicts()).toEqual(before);
    expect(before.filter((v) => v.endsWith(': ok')).length).toBeGreaterThan(0);
    expect(before.filter((v) => !v.endsWith(': ok')).length).toBeGreaterThan(0);
  });
});
