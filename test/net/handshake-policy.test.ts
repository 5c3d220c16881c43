import { describe, expect, it } from 'vitest';
import { handshakePolicy } from '../../src/net/handshake-policy.js';

const NODE = 'TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256';

describe("handshakePolicy: what outage offers, whatever the user's node flags narrow", () => {
  it("is Node's default without flags: TLS 1.2 to 1.3 and Node's ciphers", () => {
    expect(handshakePolicy({ minVersion: 'TLSv1.2', ciphers: NODE }, NODE)).toEqual({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: NODE });
  });

  it('keeps TLS 1.2 under --tls-min-v1.3, and TLS 1.3 under --tls-max-v1.2 (which sets no minimum)', () => {
    expect(handshakePolicy({ minVersion: 'TLSv1.3', ciphers: NODE }, NODE)).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  });

  it('keeps a lower minimum the user asked for (--tls-min-v1.0): it only widens what connects', () => {
    expect(handshakePolicy({ minVersion: 'TLSv1', ciphers: NODE }, NODE).minVersion).toBe('TLSv1');
    expect(handshakePolicy({ minVersion: 'TLSv1.1', ciphers: NODE }, NODE).minVersion).toBe('TLSv1.1');
  });

  it("offers Node's ciphers and the user's list both (--tls-cipher-list)", () => {
    expect(handshakePolicy({ minVersion: 'TLSv1.2', ciphers: 'AES128-SHA' }, NODE).ciphers).toBe(`${NODE}:AES128-SHA`);
  });
});
