/**
 * One https service end to end against curl on the same URL; also how long the process lingers
 * after its last byte of output (it should exit at once: nothing left holding the event loop).
 */
import { hasCommand, median, outage, run } from '../measure.js';
import type { Fixtures } from '../fixtures.js';
import { delayed } from '../fixtures.js';
import { ms, ratio, type ScenarioResult } from './types.js';

export async function oneCheck(fx: Fixtures, runs = 15): Promise<ScenarioResult> {
  const server = await fx.https(delayed(0));
  const url = `https://localhost:${server.port}/?delay=0`;
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const curl = hasCommand('curl');
  const ours: number[] = [];
  const tails: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sample = await outage(['check', url, '--json'], { env });
    if (sample.exitCode !== 0) throw new Error(`outage check failed: ${sample.stdout}${sample.stderr}`);
    ours.push(sample.wallMs);
    tails.push(sample.tailMs);
    if (curl) theirs.push((await run('curl', ['-sS', '-o', '/dev/null', '--cacert', fx.pki.rootFile, url])).wallMs);
  }
  const rows = [['outage check', ms(median(ours)), '']];
  if (curl) rows.push(['curl', ms(median(theirs)), ''], ['outage / curl', ratio(median(ours) / median(theirs)), '']);
  rows.push(['exit after last output', ms(median(tails)), `max ${ms(Math.max(...tails))}`]);
  return {
    title: 'One https check',
    columns: ['', `median of ${runs}`, ''],
    rows,
    targets: [{ text: 'exits at once after printing (median gap ≤ 50 ms)', measured: ms(median(tails)), met: median(tails) <= 50 }],
    notes: curl ? [] : ['curl is not installed: the comparison was skipped.'],
  };
}
