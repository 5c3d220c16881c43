import { describe, expect, it } from 'vitest';
import { withoutPort } from '../../src/core/domain.js';

describe('withoutPort: the host of an address as connections and resolvers write it', () => {
  it.each([
    ['203.0.113.5:443', '203.0.113.5'],
    ['[2001:db8::5]:53', '2001:db8::5'],
    ['[fd00::1]', 'fd00::1'],
    ['203.0.113.5', '203.0.113.5'],
    // A bare IPv6 address ends in what looks like a port: it is kept whole.
    ['::1', '::1'],
    ['2001:db8::53', '2001:db8::53'],
    ['resolver.test:5353', 'resolver.test'],
  ])('%s → %s', (address, host) => {
    expect(withoutPort(address)).toBe(host);
  });
});
