/**
 * One check of one local service, as a deploy script's loop runs it: `outage check URL` for plain
 * HTTP and for HTTPS, against `node -e 0` (the floor any Node CLI pays) and curl, interleaved
 * round by round so drift on a shared machine hits every command alike. Also how long the process
 * lingers after its last byte of output (it should exit at once: nothing left holding the loop).
 */
import { createServer } from 'node:http';
import { hasCommand, median, OUTAGE, run } from '../measure.js';
import type { Fixtures } from '../fixtures.js';
import { delayed } from '../fixtures.js';
import { ms, ratio, type ScenarioResult, type Target } from './types.js';

/** The floor for one HTTPS request from any Node program: start-up, TLS and the request, nothing else. */
const HTTPS_GET = "require('node:https').get(process.argv[1], (r) => r.resume())";
const STORE_ROW = 'outage check https://… (SSL_CERT_FILE store)';

export async function oneCheck(fx: Fixtures, runs = 21): Promise<ScenarioResult> {
  const tls = await fx.https(delayed(0));
  const plain = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const httpUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}/`;
  const httpsUrl = `https://localhost:${tls.port}/?delay=0`;
  // Node's own roots plus the test root, as on most machines; a store chosen by SSL_CERT_FILE or
  // SSL_CERT_DIR (set in some CI images, and on the machine these figures come from) is measured
  // on its own row, because loading its every root into OpenSSL is part of that check's work.
  const defaultRoots = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile, SSL_CERT_FILE: undefined, SSL_CERT_DIR: undefined };
  const storeFromEnvironment = Boolean(process.env.SSL_CERT_FILE || process.env.SSL_CERT_DIR);
  const commands: [string, string, string[], NodeJS.ProcessEnv][] = [
    ['node -e 0', process.execPath, ['-e', '0'], defaultRoots],
    ['node: one https.get', process.execPath, ['-e', HTTPS_GET, httpsUrl], defaultRoots],
    ['outage check http://…', process.execPath, [OUTAGE, 'check', httpUrl], defaultRoots],
    ['outage check https://…', process.execPath, [OUTAGE, 'check', httpsUrl], defaultRoots],
  ];
  if (storeFromEnvironment) commands.push([STORE_ROW, process.execPath, [OUTAGE, 'check', httpsUrl], { NODE_EXTRA_CA_CERTS: fx.pki.rootFile }]);
  if (hasCommand('curl')) {
    commands.push(['curl http://…', 'curl', ['-sS', '-o', '/dev/null', httpUrl], {}], ['curl https://…', 'curl', ['-sS', '-o', '/dev/null', '--cacert', fx.pki.rootFile, httpsUrl], {}]);
  }
  const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
  const tails: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (let j = 0; j < commands.length; j++) {
        const [name, command, args, env] = commands[(i + j) % commands.length] as [string, string, string[], NodeJS.ProcessEnv];
        const sample = await run(command, args, { env });
        if (sample.exitCode !== 0) throw new Error(`${name} failed: ${sample.stdout}${sample.stderr}`);
        times.get(name)?.push(sample.wallMs);
        if (name.startsWith('outage')) tails.push(sample.tailMs);
      }
    }
  } finally {
    plain.close();
  }
  const base = median(times.get('node -e 0') ?? []);
  const rows = commands.map(([name]) => [name, ms(median(times.get(name) ?? [])), ratio(median(times.get(name) ?? []) / base)]);
  rows.push(['exit after last output', ms(median(tails)), `max ${ms(Math.max(...tails))}`]);
  const goal = (row: string, text: string): Target => {
    const r = median(times.get(row) ?? []) / base;
    return { text, measured: ratio(r), met: r <= 2 };
  };
  const targets: Target[] = [goal('outage check http://…', 'one http check ≤ 2× `node -e 0`'), goal('outage check https://…', "one https check ≤ 2× `node -e 0` (Node's roots)")];
  if (storeFromEnvironment) targets.push(goal(STORE_ROW, 'one https check ≤ 2× `node -e 0` (roots from SSL_CERT_FILE/SSL_CERT_DIR)'));
  targets.push({ text: 'exits at once after printing (median gap ≤ 50 ms)', measured: ms(median(tails)), met: median(tails) <= 50 });
  return {
    title: 'One check of one local service',
    columns: ['command', `median of ${runs}`, 'vs node -e 0'],
    rows,
    targets,
    notes: [
      ...(storeFromEnvironment ? [`This machine's environment sets SSL_CERT_FILE/SSL_CERT_DIR (${[process.env.SSL_CERT_FILE, process.env.SSL_CERT_DIR].filter(Boolean).join(', ')}): the "SSL_CERT_FILE store" row checks with those roots, as outage does when they are set (like curl and openssl); the other rows with Node's own.`] : []),
      ...(hasCommand('curl') ? [] : ['curl is not installed: its rows were skipped.']),
    ],
  };
}
