// Runs INSIDE the private network and mount namespace that netns.ts creates (plain JavaScript:
// it runs under node, not vitest). The namespace has only its own loopback, so it may listen on
// 127.0.0.1:53 — the one port glibc's resolv.conf can name — and /etc/hosts and /etc/resolv.conf
// are the test's files, bind-mounted over the host's for this namespace only.
//
// It starts the scenario's DNS server (UDP and TCP on 127.0.0.1:53) and an HTTP server on
// 127.0.0.1, runs the real CLI, and prints one JSON line: exit code, output, duration, the queries
// the DNS server saw and the connections the HTTP server accepted.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { serveDnsStream } from './dns-stream.mjs';

const require = createRequire(import.meta.url);
const packet = require('dns-packet');
const scenario = JSON.parse(process.env.OUTAGE_NETNS_SCENARIO ?? '{}');
const queries = [];
const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

/** zone[name][type] (or zone[name]['*']): 'drop', or { rcode, answers, delayMs }. A name absent is NXDOMAIN. */
function answerFor(name, type) {
  const entry = scenario.zone?.[name.toLowerCase()];
  if (!entry) return { rcode: 'NXDOMAIN' };
  return entry[type] ?? entry['*'] ?? { rcode: 'NOERROR' };
}

function respond(message, transport, server, reply) {
  let query;
  try {
    query = packet.decode(message);
  } catch {
    return;
  }
  const question = query.questions?.[0];
  if (!question) return;
  queries.push({ name: question.name, type: question.type, transport, server });
  const answer = answerFor(question.name, question.type);
  if (answer === 'drop') return;
  const encoded = packet.encode({
    id: query.id,
    type: 'response',
    flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (RCODES[answer.rcode ?? 'NOERROR'] ?? 0),
    questions: query.questions,
    answers: (answer.answers ?? []).map((a) => ({ ttl: 60, ...a })),
  });
  setTimeout(() => reply(encoded), answer.delayMs ?? 0);
}

/** A DNS server on `address` port 53 (UDP and TCP); `silent`: it reads queries and never answers. */
async function startDns(address, silent) {
  const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  let closed = false;
  // A delayed answer may come due after the scenario ended and closed the socket: it is dropped.
  const send = (out, remote) => closed || udp.send(out, remote.port, remote.address);
  udp.on('message', (message, remote) => (silent ? queries.push({ name: '?', type: '?', transport: 'udp', server: address }) : respond(message, 'udp', address, (out) => send(out, remote))));
  await new Promise((resolve) => udp.bind(53, address, resolve));
  const tcp = createTcpServer((socket) => (silent ? socket.on('error', () => {}) : serveDnsStream(socket, (message, reply) => respond(message, 'tcp', address, reply))));
  await new Promise((resolve) => tcp.listen(53, address, resolve));
  return () => {
    closed = true;
    udp.close();
    tcp.close();
  };
}

let httpConnections = 0;
const http = createHttpServer((request, response) => response.end('ok'));
http.on('connection', () => httpConnections++);
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = http.address().port;
const listening = [
  ...(scenario.dns === false ? [] : await Promise.all((scenario.dnsAt ?? ['127.0.0.1']).map((address) => startDns(address, false)))),
  ...(await Promise.all((scenario.silentAt ?? []).map((address) => startDns(address, true)))),
];
const stopDns = () => listening.forEach((stop) => stop());

// The config is written once the port is known; it goes with the run.
const configDir = scenario.config === undefined ? undefined : mkdtempSync(join(tmpdir(), 'outage-netns-config-'));
const configPath = configDir === undefined ? '' : join(configDir, 'outage.config.json');
if (configDir !== undefined) writeFileSync(configPath, scenario.config.replaceAll('{port}', String(port)));

const started = performance.now();
const args = scenario.args.map((arg) => arg.replaceAll('{port}', String(port)).replaceAll('{config}', configPath));
const child = spawn(process.execPath, [scenario.bin, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...scenario.env }, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stdout.on('data', (d) => (stdout += d));
child.stderr.on('data', (d) => (stderr += d));
const code = await new Promise((resolve) => child.on('close', resolve));
const durationMs = performance.now() - started;
stopDns();
http.close();
if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ code, stdout, stderr, durationMs, queries, httpConnections, port })}\n`);
