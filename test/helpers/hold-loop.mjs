/**
 * Preloaded into the real CLI (`NODE_OPTIONS=--import …`) to stand in for outage's own CPU load:
 * right after outage hands its first request to a socket connected to OUTAGE_TEST_HOLD_PORT, the
 * event loop is held for OUTAGE_TEST_HOLD_MS — as a thousand handshakes on the same loop would.
 * Once only: a measurement taken again later sees an idle loop. Ordered by the write itself, not
 * by a sleep, so the answer is always in flight while the loop is held.
 */
import channels from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

const port = Number(process.env.OUTAGE_TEST_HOLD_PORT);
const ms = Number(process.env.OUTAGE_TEST_HOLD_MS);
let held = false;

channels.subscribe('net.client.socket', ({ socket }) => {
  socket.once('connect', () => {
    if (held || socket.remotePort !== port) return;
    const write = socket.write;
    socket.write = function (...args) {
      const written = write.apply(this, args);
      if (!held) {
        held = true;
        setImmediate(() => {
          const until = performance.now() + ms;
          while (performance.now() < until);
        });
      }
      return written;
    };
  });
});
