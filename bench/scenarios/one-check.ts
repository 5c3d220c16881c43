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

export async function oneCheck(fx: Fixtures, runs = 21): Promise<ScenarioResult> {
  const tls = await fx.https(delayed(0));
  const plain = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const httpUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}/`;
  const httpsUrl = `https://localhost:${tls.port}/?delay=0`;
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const commands: [string, string, string[]][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['outage check http://…', process.execPath, [OUTAGE, 'check', httpUrl]],
    ['outage check https://…', process.execPath, [OUTAGE, 'check', httpsUrl]],
  ];
  if (hasCommand('curl')) {
    commands.push(['curl http://…', 'curl', ['-sS', '-o', '/dev/null', httpUrl]], ['curl https://…', 'curl', ['-sS', '-o', '/dev/null', '--cacert', fx.pki.rootFile, httpsUrl]]);
  }
  const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
  const tails: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (let j = 0; j < commands.length; j++) {
        const [name, command, args] = commands[(i + j) % commands.length] as [string, string, string[]];
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
  const targets: Target[] = ['http', 'https'].map((scheme) => {
    const r = median(times.get(`outage check ${scheme}://…`) ?? []) / base;
    return { text: `one ${scheme} check ≤ 2× \`node -e 0\``, measured: ratio(r), met: r <= 2 };
  });
  targets.push({ text: 'exits at once after printing (median gap ≤ 50 ms)', measured: ms(median(tails)), met: median(tails) <= 50 });
  return {
    title: 'One check of one local service',
    columns: ['command', `median of ${runs}`, 'vs node -e 0'],
    rows,
    targets,
    notes: hasCommand('curl') ? [] : ['curl is not installed: its rows were skipped.'],
  };
}
