/**
 * A server that quotes back what it was sent — the wrong port, where Redis or an SMTP server
 * answers `-ERR unknown command '<what you sent>'` — puts a credential into the reason, and the
 * probe quotes at most 40-100 characters of it, ending in `…`. Redacting whole spellings only, the
 * part of the token before the cut was printed: 27 of its 40 characters. Every format, `-v`, and
 * every report file must show no piece of it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { configFile, runCli } from '../helpers/cli.js';
import { startTcp, type TestServer } from '../helpers/servers.js';

const TOKEN = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ8vWx2Zk';
const PASSWORD = 'pw-Zq81-Kx7v-Lm42-Rt09-Hc55-Yb63-Nw27';
const ENV = { TOKEN };

let server: TestServer;
let dir: string;
let config: string;

/** Answers the request's first line, then any credential it carried, as a Redis reply would. */
function quoteBack(socket: Socket) {
  socket.on('error', () => {});
  let request = '';
  socket.on('data', (chunk: Buffer) => {
    request += chunk.toString('latin1');
    if (!request.includes('\r\n\r\n')) return;
    const authorization = /^authorization: (.*)$/im.exec(request)?.[1] ?? '';
    const basic = /^Basic (.*)$/.exec(authorization)?.[1];
    const credential = basic ? Buffer.from(basic, 'base64').toString('latin1') : authorization;
    socket.end(`-ERR '${credential}'\r\n`);
  });
}

/** Every piece of the secret long enough to tell anything: no window of 6 characters may show. */
function expectNoPiece(text: string, secret: string, where: string) {
  for (let i = 0; i + 6 <= secret.length; i++) expect(text, `${where} shows ${secret.slice(i, i + 6)}`).not.toContain(secret.slice(i, i + 6));
}

beforeAll(async () => {
  server = await startTcp(quoteBack);
  const service = (name: string, url: string, more = '') => `  - { name: ${name}, url: "${url}", retries: 0${more} }`;
  const yaml = [
    'services:',
    service('bearer', `http://127.0.0.1:${server.port}/`, ', http: { headers: { Authorization: "Bearer ${TOKEN}" } }'),
    service('basic', `http://admin:${PASSWORD}@127.0.0.1:${server.port}/`),
  ];
  config = configFile(`${yaml.join('\n')}\n`, 'outage.yaml');
  dir = dirname(config);
});
afterAll(() => server.close());

describe('a secret quoted back and cut short', () => {
  it('reaches the reason, cut: the server really quotes it', async () => {
    const r = await runCli(['check', '-c', config, '--no-canaries', '--json'], { env: ENV });
    expect(r.code).toBe(2);
    const reasons = JSON.parse(r.stdout).services.map((s: { reason: string }) => s.reason);
    // Cut within the secret (at 40 characters), and the piece before the cut redacted.
    for (const reason of reasons) expect(reason).toMatch(/"-ERR '[^"]*\*\*\*…"/);
  });

  it.each(FORMAT_NAMES)('--format %s shows no piece of it, nor do -v and its report file', async (format) => {
    const file = join(dir, `report.${format}`);
    const r = await runCli(['check', '-c', config, '--no-canaries', '-v', '--format', format, '--report', `${format}=${file}`], { env: ENV });
    expect([2, 3]).toContain(r.code);
    for (const secret of [TOKEN, PASSWORD]) {
      expectNoPiece(r.stdout + r.stderr, secret, `--format ${format}`);
      expectNoPiece(readFileSync(file, 'utf8'), secret, `--report ${format}`);
    }
  });
});
