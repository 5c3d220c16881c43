/**
 * A deadline reads what already arrived before it takes effect: a loop busy at the deadline must
 * not turn an answer that came in time into a timeout (outage's stall is not the target's silence).
 */
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deadlineTimer } from '../../src/core/budget.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('deadlineTimer', () => {
  it('lets an answer that arrived while the loop was busy past the deadline be read first', async () => {
    server = createServer((socket) => socket.end('answer'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        const cancel = deadlineTimer(50, () => resolve('deadline'));
        socket.once('data', () => {
          cancel();
          resolve('answer');
        });
        // Busy well past the deadline while the answer arrives.
        const until = performance.now() + 300;
        while (performance.now() < until);
      });
    });
    expect(outcome).toBe('answer');
  });

  it('ends the wait on time when nothing has arrived, and not at all once cancelled', async () => {
    const started = performance.now();
    await new Promise<void>((resolve) => deadlineTimer(50, resolve));
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    let fired = false;
    deadlineTimer(10, () => (fired = true))();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toBe(false);
  });
});
