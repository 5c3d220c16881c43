import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipVersion } from '../../src/core/ip-version.js';

describe('ipVersion', () => {
  it('answers as net.isIP for addresses, names and near misses', () => {
    const samples = ['127.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '01.2.3.4', '::', '::1', 'fe80::1%eth0', '::ffff:192.0.2.1', '2001:db8::', '2001:db8:::1', '[::1]', 'localhost', 'example.com', '', ':', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', 'g::1', '192.0.2.1:80'];
    for (const text of samples) expect(ipVersion(text), text).toBe(isIP(text));
  });

  it('answers as net.isIP for any string', () => {
    const piece = fc.constantFrom('1', '0', 'ff', 'db8', '2001', '255', '%eth0', 'x', '.', ':', '::');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.array(piece, { maxLength: 12 }).map((p) => p.join(''))), (text) => ipVersion(text) === isIP(text)), { numRuns: 3000 });
  });
});
