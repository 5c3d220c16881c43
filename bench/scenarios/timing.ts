/**
 * Timing truth: the TTFB outage reports against the delay the server injects, and against curl's
 * time from sending the request to the first byte (time_starttransfer − time_pretransfer).
 */
import { hasCommand, median, outage, run } from '../measure.js';
import { delayed, type Fixtures } from '../fixtures.js';
import type { ScenarioResult, Target } from './types.js';

export async function timingTruth(fx: Fixtures, delays = [50, 200, 1000], runs = 7): Promise<ScenarioResult> {
  const server = await fx.https(delayed(0));
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const curl = hasCommand('curl');
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const delay of delays) {
    const url = `https://localhost:${server.port}/?delay=${delay}`;
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const sample = await outage(['check', url, '--json'], { env });
      const ttfb = JSON.parse(sample.stdout).services[0].probes.find((p: { kind: string }) => p.kind === 'http')?.timings?.ttfb;
      ours.push(Number(ttfb));
      if (curl) {
        const out = await run('curl', ['-sS', '-o', '/dev/null', '--cacert', fx.pki.rootFile, '-w', '%{time_pretransfer} %{time_starttransfer}', url]);
        const [pre, start] = out.stdout.trim().split(' ').map(Number) as [number, number];
        theirs.push((start - pre) * 1000);
      }
    }
    const m = median(ours);
    const c = curl ? median(theirs) : undefined;
    rows.push([`${delay} ms`, `${m.toFixed(1)} ms`, `${(m - delay).toFixed(1)} ms`, c === undefined ? 'n/a' : `${c.toFixed(1)} ms`, c === undefined ? 'n/a' : `${(((m - c) / c) * 100).toFixed(1)}%`]);
    targets.push({ text: `TTFB within 5 ms of an injected ${delay} ms (median)`, measured: `${(m - delay).toFixed(1)} ms off`, met: Math.abs(m - delay) <= 5 });
    if (c !== undefined) targets.push({ text: `TTFB within 5% of curl's at ${delay} ms`, measured: `${(((m - c) / c) * 100).toFixed(1)}%`, met: Math.abs(m - c) / c <= 0.05 });
  }
  return {
    title: 'Timing truth (TTFB)',
    columns: ['injected delay', 'outage TTFB (median)', 'outage − injected', 'curl request→first byte', 'outage vs curl'],
    rows,
    targets,
    notes: curl ? [`${runs} runs per delay.`] : [`${runs} runs per delay; curl is not installed: its comparison was skipped.`],
  };
}
