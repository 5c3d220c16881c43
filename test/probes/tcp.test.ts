import { Worker } from 'node:worker_threads';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAddressFeed } from '../../src/net/address-feed.js';
import { connectTcp, orderAddresses, tcpFailure } from '../../src/net/connect.js';
import { checkOne, probe } from '../helpers/check.js';
import { closedPort, startTcp } from '../helpers/servers.js';
import { closeAfterAll } from '../helpers/own.js';

const own = closeAfterAll();

/**
 * A listener whose accept queue is full and whose thread never accepts: the kernel drops further
 * SYNs, so a connect hangs exactly as it does against a firewalled or withdrawn address.
 */
async function saturatedListener(): Promise<{ port: number; stop(): Promise<void> }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const server = require('node:net').createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       parentPort.once('message', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000));
     });`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  worker.postMessage('block');
  await new Promise((r) => setTimeout(r, 50));
  const fillers: Socket[] = [];
  // Fill the accept queue until a connection no longer completes.
  for (let i = 0; i < 8; i++) {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 200);
    });
    if (!connected) break;
  }
  return {
    port,
    stop: async () => {
      for (const s of fillers) s.destroy();
      await worker.terminate();
    },
  };
}

describe('tcp probe', () => {
  it('a listening port is up', async () => {
    const server = await startTcp((socket) => socket.end());
    own(server);
    const result = await checkOne({ tcp: `127.0.0.1:${server.port}` });
    expect(result.status).toBe('up');
    expect(result.probes.map((p) => p.kind)).toEqual(['tcp']);
  });

  it('a host name target resolves first, then connects', async () => {
    const server = await startTcp((socket) => socket.end());
    own(server);
    const result = await checkOne({ tcp: `localhost:${server.port}` });
    expect(result.status).toBe('up');
    expect(result.probes.map((p) => p.kind)).toEqual(['dns', 'tcp']);
  });

  it('nothing listening is tcp.refused', async () => {
    const result = await checkOne({ tcp: `127.0.0.1:${await closedPort()}` });
    expect(result).toMatchObject({ status: 'down', code: 'tcp.refused' });
    expect(result.reason).toContain('connection refused');
  });

  it('a connect that gets no answer is tcp.timeout within the budget', async () => {
    const listener = await saturatedListener();
    try {
      const started = performance.now();
      const result = await checkOne({ tcp: `127.0.0.1:${listener.port}`, timeout: '400ms' });
      expect(result).toMatchObject({ status: 'down', code: 'tcp.timeout' });
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await listener.stop();
    }
  });

  it('falls back to the next address when the first refuses', async () => {
    const server = await startTcp((socket) => socket.end(), '::1');
    own(server);
    // localhost → 127.0.0.1 (refused: nothing there on this port) then ::1 (listening)
    const result = await checkOne({ tcp: `localhost:${server.port}` });
    expect(result.status).toBe('up');
    const attempts = probe(result, 'tcp').details.attempts as { address: string; code?: string }[];
    expect(attempts.map((a) => [a.address, a.code ?? 'ok'])).toEqual([['127.0.0.1', 'tcp.refused'], ['::1', 'ok']]);
  });

  it('an address that arrives after the first failed still joins the race (the slower DNS family)', async () => {
    // Ports are allocated per family: another test's server may hold 127.0.0.1 on the port this
    // one got on ::1. Take a port that IPv4 verifiably refuses, so the first attempt is refused.
    let server = await startTcp((socket) => socket.end(), '::1');
    for (let tries = 0; !(await refusedOn('127.0.0.1', server.port)) && tries < 20; tries++) {
      await server.close();
      server = await startTcp((socket) => socket.end(), '::1');
    }
    own(server);
    const writer = createAddressFeed();
    writer.push(['127.0.0.1']);
    const result = connectTcp(writer.feed, server.port, new AbortController().signal);
    setTimeout(() => {
      writer.push(['::1']);
      writer.end();
    }, 150);
    const outcome = await result;
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((a) => [a.address, a.code ?? 'ok'])).toEqual([['127.0.0.1', 'tcp.refused'], ['::1', 'ok']]);
    if (outcome.ok) outcome.socket.destroy();
  });

  it('a feed that ends after every address failed fails with the first failure', async () => {
    const port = await closedPort();
    const writer = createAddressFeed();
    writer.push(['127.0.0.1']);
    const result = connectTcp(writer.feed, port, new AbortController().signal);
    setTimeout(() => writer.end(), 50);
    const outcome = await result;
    expect(outcome).toMatchObject({ ok: false, failure: { code: 'tcp.refused' } });
  });

  it('families alternate, starting with the family that was handed over first', () => {
    expect(orderAddresses(['10.0.0.1', '10.0.0.2', 'fd00::1', 'fd00::2'])).toEqual(['10.0.0.1', 'fd00::1', '10.0.0.2', 'fd00::2']);
    expect(orderAddresses(['10.0.0.1', '10.0.0.2', 'fd00::1', 'fd00::2'], 6)).toEqual(['fd00::1', '10.0.0.1', 'fd00::2', '10.0.0.2']);
  });

  // Resets and unreachable routes during connect come from the network, not from a loopback
  // server; the mapping from the kernel's errno is what outage owns, so it is tested directly.
  it.each([
    ['ECONNRESET', 'tcp.reset'],
    ['EHOSTUNREACH', 'tcp.unreachable'],
    ['ENETUNREACH', 'tcp.unreachable'],
    ['ETIMEDOUT', 'tcp.timeout'],
    ['ECONNREFUSED', 'tcp.refused'],
  ])('errno %s maps to %s', (errno, code) => {
    expect(tcpFailure(errno, '192.0.2.1:443').code).toBe(code);
  });
});

/** Whether a connection to host:port is refused right now. */
function refusedOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
