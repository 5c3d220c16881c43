/**
 * Requests `outage serve` cannot parse or that never finish arriving: each is answered with the
 * status Node's and Go's servers send (400, 431, 408) before the connection closes, so curl or a
 * scraper's log says what went wrong instead of "empty reply from server".
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, sample, startServe, type RunningServe } from '../helpers/serve.js';

let serve: RunningServe;

beforeAll(async () => {
  serve = await startServe([]);
});

afterAll(async () => {
  await serve?.stop();
});

/** Writes `bytes` on a new connection and returns all that comes back until it closes, and when. */
function exchange(bytes: string): Promise<{ status: number; data: string; ms: number }> {
  const { hostname, port } = new URL(serve.url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), data, ms: performance.now() - started }));
  });
}

describe('requests that cannot be answered', () => {
  it('answers a request that is no HTTP 400, and one whose headers are too large 431', async () => {
    expect((await exchange('GARBAGE\r\n\r\n')).status).toBe(400);
    const huge = await exchange(`GET /probe?target=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(huge.status, huge.data).toBe(431);
    const metrics = (await get(`${serve.url}/metrics`)).body;
    expect(sample(metrics, 'outage_serve_requests_refused_total{reason="bad_request"}')).toBe(2);
    expect(sample(metrics, 'outage_serve_errors_total')).toBe(0);
  });

  it('answers 408 to a client whose headers never finish, when it drops it', async () => {
    const stalled = await exchange('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    expect(stalled.status, stalled.data).toBe(408);
    expect(stalled.ms).toBeLessThan(13_000);
    expect((await get(`${serve.url}/-/healthy`)).status).toBe(200);
  }, 20_000);
});
