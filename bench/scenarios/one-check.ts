/**
 * One check of one local service, as a deploy script's loop runs it: `outage check URL` for plain
 * HTTP and for HTTPS, against `node -e 0` (the floor any Node CLI pays) and curl, interleaved
 * round by round so drift on a shared machine hits every command alike. Also how long the process
 * lingers after its last byte of output (it should exit at once: nothing left holding the loop).
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { hasCommand, median, OUTAGE, run } from '../measure.js';
import type { Fixtures } from '../fixtures.js';
import { delayed } from '../fixtures.js';
import { ms, ratio, type ScenarioResult, type Target } from './types.js';

/** The floor for one HTTPS request from any Node program: start-up, TLS and the request, nothing else. */
const HTTPS_GET = "require('node:https').get(process.argv[1], (r) => r.resume())";
const STORE_ROW = 'outage check https://… (SSL_CERT_FILE store)';
const BUNDLE_BASE = 'node -e 0 (NODE_EXTRA_CA_CERTS bundle)';
const BUNDLE_ROW = 'outage check https://… (NODE_EXTRA_CA_CERTS bundle)';

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
  // NODE_EXTRA_CA_CERTS naming a whole bundle of roots (a system bundle with a company CA added, a
  // common set-up): Node reads it at every start, so it is measured against its own `node -e 0`.
  const bundleFile = join(dirname(fx.pki.rootFile), 'bundle.pem');
  writeFileSync(bundleFile, [...rootCertificates, fx.pki.root.certPem].join('\n'));
  const bundleRoots = { NODE_EXTRA_CA_CERTS: bundleFile, SSL_CERT_FILE: undefined, SSL_CERT_DIR: undefined };
  const commands: [string, string, string[], NodeJS.ProcessEnv][] = [
    ['node -e 0', process.execPath, ['-e', '0'], defaultRoots],
    ['node: one https.get', process.execPath, ['-e', HTTPS_GET, httpsUrl], defaultRoots],
    ['outage check http://…', process.execPath, [OUTAGE, 'check', httpUrl], defaultRoots],
    ['outage check https://…', process.execPath, [OUTAGE, 'check', httpsUrl], defaultRoots],
    [BUNDLE_BASE, process.execPath, ['-e', '0'], bundleRoots],
    [BUNDLE_ROW, process.execPath, [OUTAGE, 'check', httpsUrl], bundleRoots],
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
  const bundleBase = median(times.get(BUNDLE_BASE) ?? []);
  const rows = commands.map(([name]) => {
    const wall = median(times.get(name) ?? []);
    return [name, ms(wall), name === BUNDLE_ROW ? `${ratio(wall / bundleBase)} of ${BUNDLE_BASE}` : ratio(wall / base)];
  });
  rows.push(['exit after last output', ms(median(tails)), `max ${ms(Math.max(...tails))}`]);
  const goal = (row: string, text: string, against = base): Target => {
    const r = median(times.get(row) ?? []) / against;
    return { text, measured: ratio(r), met: r <= 2 };
  };
  const targets: Target[] = [goal('outage check http://…', 'one http check ≤ 2× `node -e 0`'), goal('outage check https://…', "one https check ≤ 2× `node -e 0` (Node's roots)")];
  if (storeFromEnvironment) targets.push(goal(STORE_ROW, 'one https check ≤ 2× `node -e 0` (roots from SSL_CERT_FILE/SSL_CERT_DIR)'));
  targets.push(goal(BUNDLE_ROW, 'one https check ≤ 2× `node -e 0`, both with NODE_EXTRA_CA_CERTS a bundle of roots', bundleBase));
  targets.push({ text: 'exits at once after printing (median gap ≤ 50 ms)', measured: ms(median(tails)), met: median(tails) <= 50 });
  return {
    title: 'One check of one local service',
    columns: ['command', `median of ${runs}`, 'vs node -e 0'],
    rows,
    targets,
    notes: [
      ...(storeFromEnvironment ? [`This machine's environment sets SSL_CERT_FILE/SSL_CERT_DIR (${[process.env.SSL_CERT_FILE, process.env.SSL_CERT_DIR].filter(Boolean).join(', ')}): the "SSL_CERT_FILE store" row checks with those roots, as outage does when they are set (like curl and openssl); the other rows with Node's own.`] : []),
      `The two "NODE_EXTRA_CA_CERTS bundle" rows set it to a file of Node's ${rootCertificates.length} roots and the test root, as a system bundle with a company CA added: Node reads it at every start, so outage's row is against that \`node -e 0\`.`,
      ...(hasCommand('curl') ? [] : ['curl is not installed: its rows were skipped.']),
    ],
  };
}
