import { describe, expect, it } from 'vitest';
import { lookupThreads } from '../../src/net/system-lookup.js';

describe('lookupThreads: how many getaddrinfo calls libuv runs at once, from UV_THREADPOOL_SIZE', () => {
  it('is half the pool, rounded up: 2 of the default 4, 32 of 64', () => {
    expect(lookupThreads(undefined)).toBe(2);
    expect(lookupThreads('4')).toBe(2);
    expect(lookupThreads('64')).toBe(32);
    expect(lookupThreads('3')).toBe(2);
  });

  it('reads the value as atoi does: an empty or non-numeric value is 0, run as one thread', () => {
    expect(lookupThreads('')).toBe(1);
    expect(lookupThreads('abc')).toBe(1);
    expect(lookupThreads('0')).toBe(1);
    expect(lookupThreads('1')).toBe(1);
    expect(lookupThreads('1e3')).toBe(1);
    expect(lookupThreads(' 8 ')).toBe(4);
  });

  it('stops at libuv maximum of 1024 threads, which a negative value also reaches', () => {
    expect(lookupThreads('5000')).toBe(512);
    expect(lookupThreads('-1')).toBe(512);
  });
});
