/**
 * Answers a stub resolver must not take, and answers it must: a resolver (or an attacker racing
 * it) sending responses with the wrong id, from another port, or for another question, ahead of
 * the real one; a resolver that randomises the question's case (DNS 0x20); one that refuses
 * recursion while the next configured resolver answers. A raw UDP server on 127.0.0.1 per test.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as packet from 'dns-packet';
import { checkOne, probe } from '../helpers/check.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let web: TestServer;
const sockets: Socket[] = [];
beforeAll(async () => {
  web = await startHttp(ok);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await web.close();
});

/** `stranger`: another socket on the resolver's address, to send from the wrong port. */
type Reply = (query: packet.Packet, send: (message: Partial<packet.Packet>, from?: Socket) => void, stranger: Socket) => void;

/** A UDP server on 127.0.0.1 that answers each query through `reply`. */
async function rawDns(reply: Reply): Promise<string> {
  const server = createSocket('udp4');
  const stranger = createSocket('udp4');
  sockets.push(server, stranger);
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', resolve));
  server.on('message', (message, remote) => {
    const query = packet.decode(message);
    const send = (response: Partial<packet.Packet>, from = server) => {
      const encoded = packet.encode({ id: query.id, type: 'response', flags: packet.RECURSION_AVAILABLE | packet.RECURSION_DESIRED, questions: query.questions, answers: [], ...response });
      from.send(encoded, remote.port, remote.address);
    };
    reply(query, send, stranger);
  });
  return `127.0.0.1:${server.address().port}`;
}

const aRecord = (name: string, address: string) => ({ type: 'A' as const, name, ttl: 60, data: address });
/** Nothing listens there: a forged answer taken would make the check down, and never leaves loopback. */
const FORGED = '127.0.0.2';

/** A check of app.test through `resolvers` alone. */
const checkApp = (resolvers: string[], host = 'app.test') => checkOne({ url: `http://${host}:${web.port}/`, resolvers, retries: 0, timeout: '2s' });

/** Up, connected to the real answer's address: the forged one was not taken. */
function expectRealAnswer(result: Awaited<ReturnType<typeof checkOne>>): void {
  expect([result.status, result.code]).toEqual(['up', null]);
  expect(probe(result, 'tcp').details.address).toBe(`127.0.0.1:${web.port}`);
}

describe('forged and odd answers', () => {
  it('a response with the wrong id, ahead of the real one, is ignored', async () => {
    const server = await rawDns((query, send) => {
      const name = query.questions?.[0]?.name ?? '';
      const answers = query.questions?.[0]?.type === 'A';
      send({ id: ((query.id ?? 0) + 1) % 65536, answers: answers ? [aRecord(name, FORGED)] : [] });
      send({ answers: answers ? [aRecord(name, '127.0.0.1')] : [] });
    });
    expectRealAnswer(await checkApp([server]));
  });

  it('a response from another port of the resolver\'s address, ahead of the real one, is ignored', async () => {
    const server = await rawDns((query, send, stranger) => {
      const name = query.questions?.[0]?.name ?? '';
      const answers = query.questions?.[0]?.type === 'A';
      send({ answers: answers ? [aRecord(name, FORGED)] : [] }, stranger);
      setTimeout(() => send({ answers: answers ? [aRecord(name, '127.0.0.1')] : [] }), 20);
    });
    expectRealAnswer(await checkApp([server]));
  });

  it('a response for another question (same id) is ignored', async () => {
    const server = await rawDns((query, send) => {
      const question = query.questions?.[0];
      const name = question?.name ?? '';
      const answers = question?.type === 'A';
      send({ questions: [{ type: 'A', name: 'evil.test' }], answers: [aRecord('evil.test', FORGED)] });
      send({ answers: answers ? [aRecord(name, '127.0.0.1')] : [] });
    });
    expectRealAnswer(await checkApp([server]));
  });

  it('the question and records in another case (DNS 0x20) are the name asked', async () => {
    const server = await rawDns((query, send) => {
      const question = query.questions?.[0];
      const shouted = (question?.name ?? '').toUpperCase();
      send({ questions: [{ type: question?.type ?? 'A', name: shouted }], answers: question?.type === 'A' ? [aRecord(shouted, '127.0.0.1')] : [] });
    });
    const result = await checkApp([server], 'App.Test');
    expect([result.status, result.code]).toEqual(['up', null]);
  });

  it('a resolver refusing recursion (REFUSED) while the next one answers: up', async () => {
    const refusing = await rawDns((_query, send) => send({ flags: packet.RECURSION_DESIRED | 5 }));
    const answering = await rawDns((query, send) => {
      const question = query.questions?.[0];
      send({ answers: question?.type === 'A' ? [aRecord(question.name, '127.0.0.1')] : [] });
    });
    const result = await checkApp([refusing, answering]);
    expect([result.status, result.code]).toEqual(['up', null]);
  });

  it('every resolver refusing recursion: dns.refused, at once', async () => {
    const refusing = await rawDns((_query, send) => send({ flags: packet.RECURSION_DESIRED | 5 }));
    const result = await checkApp([refusing]);
    expect([result.status, result.code]).toEqual(['down', 'dns.refused']);
    expect(result.durationMs).toBeLessThan(1000);
  });
});
