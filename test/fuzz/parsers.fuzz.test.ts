import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';
import { MAX_DURATION_MS, parseDuration, readDuration } from '../../src/core/duration.js';
import { parseStatusExpectation, statusMatches } from '../../src/core/http-status-range.js';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

describe('duration parsing (property)', () => {
  it('any input gives a problem to show or a finite number of ms from 0 to the maximum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.integer(), fc.anything()), (input) => {
        const ms = readDuration(input);
        return typeof ms === 'string' ? ms.length > 0 : Number.isFinite(ms) && ms >= 0 && ms <= MAX_DURATION_MS;
      }),
    );
  });

  it('a number with a unit parses to number × unit, and a bare number never parses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...(Object.keys(UNITS) as (keyof typeof UNITS)[])), (n, unit) => {
        expect(parseDuration(`${n}${unit}`)).toBe(n * UNITS[unit]);
        expect(readDuration(`${n}`)).toMatch(/^\d+: add a unit, /);
        expect(readDuration(n)).toMatch(/^\d+: add a unit, /);
      }),
    );
  });
});

describe('status expectation parsing (property)', () => {
  it('never throws, and a valid range matches exactly its members', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = parseStatusExpectation(input);
        return typeof result === 'string' || Array.isArray(result);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.integer({ min: 100, max: 599 }), fc.integer({ min: 100, max: 599 }), (a, b, status) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const ranges = parseStatusExpectation(`${low}-${high}`);
        expect(Array.isArray(ranges)).toBe(true);
        expect(statusMatches(status, ranges as [number, number][])).toBe(status >= low && status <= high);
      }),
    );
  });
});

/** Configs that are nearly right: real keys with arbitrary values, plus arbitrary extra keys. */
const serviceLike = fc.record(
  {
    name: fc.oneof(fc.string(), fc.anything()),
    url: fc.oneof(fc.webUrl(), fc.string(), fc.anything()),
    tcp: fc.oneof(fc.string(), fc.constant('db.test:5432')),
    timeout: fc.oneof(fc.string(), fc.integer(), fc.anything()),
    retries: fc.anything(),
    http: fc.oneof(fc.anything(), fc.record({ expect: fc.record({ status: fc.anything(), bodyRegex: fc.string() }, { requiredKeys: [] }) }, { requiredKeys: [] })),
    dns: fc.oneof(fc.constant(false), fc.anything(), fc.record({ name: fc.string(), type: fc.string() }, { requiredKeys: [] })),
    tls: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('config validation (property)', () => {
  it('throws nothing but ConfigError, whatever the input', () => {
    const check = (raw: unknown) => {
      try {
        validateConfig(raw, { env: { SET: 'value' } });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        expect(error.problems.length).toBeGreaterThan(0);
      }
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.record({ defaults: fc.anything(), services: fc.array(serviceLike, { maxLength: 4 }) }, { requiredKeys: [] }), check), { numRuns: 300 });
  });
});
