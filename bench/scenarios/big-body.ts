/** A 2 GB response with no body expectation: the 1 MiB cap must hold and the probe must not wait. */
import { median, outage } from '../measure.js';
import { delayed, twoGigabytes, type Fixtures } from '../fixtures.js';
import { mb, ms, type ScenarioResult } from './types.js';

export async function bigBody(fx: Fixtures, runs = 5): Promise<ScenarioResult> {
  const small = await fx.https(delayed(0));
  const big = await fx.https(twoGigabytes);
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const baseline: number[] = [];
  const rss: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push((await outage(['check', `https://localhost:${small.port}/?delay=0`, '-q'], { env, rss: true })).peakRssMb ?? NaN);
    const sample = await outage(['check', `https://localhost:${big.port}/`, '--json'], { env, rss: true });
    const http = JSON.parse(sample.stdout).services[0].probes.find((p: { kind: string }) => p.kind === 'http');
    if (http?.details?.bodyBytes !== 1024 * 1024) throw new Error(`big body: read ${http?.details?.bodyBytes} bytes`);
    rss.push(sample.peakRssMb ?? NaN);
    walls.push(sample.wallMs);
  }
  const extra = median(rss) - median(baseline);
  return {
    title: 'Big body (2 GB response)',
    columns: ['', `median of ${runs}`],
    rows: [
      ['peak RSS, 2 GB body', mb(median(rss))],
      ['peak RSS, 2-byte body', mb(median(baseline))],
      ['wall, 2 GB body', ms(median(walls))],
    ],
    targets: [
      { text: '2 GB body: < 50 MB extra RSS', measured: mb(extra), met: Number.isFinite(extra) ? extra < 50 : undefined },
      { text: '2 GB body: < 1 s', measured: ms(median(walls)), met: median(walls) < 1000 },
    ],
    notes: ['Only the first MiB is read; then the connection is dropped.'],
  };
}
