import { describe, expect, it } from 'vitest';
import { WATCHDOG_GRACE_MS } from '../../src/core/budget.js';
import { validateConfig } from '../../src/config/validate.js';
import { judgeService } from '../../src/judge/service.js';
import { runAttempt } from '../../src/run/schedule.js';
import { withProbe } from '../helpers/kinds.js';

describe('watchdog', () => {
  it('ends an attempt whose probe never settles, within the budget plus grace, as a timeout', async () => {
    // A probe that ignores its signal entirely: the worst bug a probe could have.
    const kinds = withProbe('http', () => new Promise(() => {}));
    const [service] = validateConfig({ services: [{ name: 'x', url: 'http://127.0.0.1:1/', timeout: '300ms', retries: 0 }] }, { env: {} }).services;
    const started = performance.now();
    const record = await runAttempt(service!, ['http'], kinds);
    const elapsed = performance.now() - started;
    expect(record.observations.http?.failure).toEqual({ code: 'http.timeout', reason: 'http did not finish within 300ms' });
    // Less 1 ms: the budget's timer runs on libuv's millisecond clock and can fire that early.
    expect(elapsed).toBeGreaterThanOrEqual(299);
    expect(elapsed).toBeLessThan(300 + WATCHDOG_GRACE_MS + 400);
    const result = judgeService({ service: service!, kinds: ['http'], attempts: [record], durationMs: elapsed });
    expect(result).toMatchObject({ status: 'down', code: 'http.timeout' });
  });

  it('a probe that throws is an internal error: unknown, never a crash', async () => {
    const kinds = withProbe('http', () => Promise.reject(new Error('boom')));
    const [service] = validateConfig({ services: [{ name: 'x', url: 'http://127.0.0.1:1/', retries: 0 }] }, { env: {} }).services;
    const record = await runAttempt(service!, ['http'], kinds);
    const result = judgeService({ service: service!, kinds: ['http'], attempts: [record], durationMs: 1 });
    expect(result).toMatchObject({ status: 'unknown', code: 'internal.error', reason: 'internal error in the http probe: boom' });
  });
});
