/**
 * Parallel scale: 10 to 5000 https services, each answering after 200 ms, at the default
 * concurrency and at one service per slot. Wall time (start-up included) and peak RSS.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, outage, scratchDir } from '../measure.js';
import { delayed, type Fixtures } from '../fixtures.js';
import { mb, ms, type ScenarioResult } from './types.js';

export async function scale(fx: Fixtures, counts = [10, 100, 1000, 5000]): Promise<ScenarioResult> {
  const server = await fx.https(delayed(200));
  const env = { NODE_EXTRA_CA_CERTS: fx.pki.rootFile };
  const rows: string[][] = [];
  const falseAlarms: string[] = [];
  const results = new Map<string, { wall: number; rss?: number }>();
  for (const count of counts) {
    const file = join(scratchDir, `scale-${count}.json`);
    const services = Array.from({ length: count }, (_, i) => ({ name: `svc-${i}`, url: `https://localhost:${server.port}/?delay=200&i=${i}` }));
    writeFileSync(file, JSON.stringify({ defaults: { retries: 0 }, services }));
    for (const concurrency of [64, count]) {
      if (concurrency > count) continue;
      const runs = count >= 1000 ? 3 : 5;
      const walls: number[] = [];
      const rss: number[] = [];
      let outcome = '';
      for (let i = 0; i < runs; i++) {
        const sample = await outage(['check', '-c', file, '--concurrency', String(concurrency), '--json'], { env, rss: true });
        const counts = JSON.parse(sample.stdout).counts as Record<string, number>;
        if (counts.down || counts.unknown) throw new Error(`scale ${count}/${concurrency}: ${JSON.stringify(counts)}`);
        // Degraded here means http.slow: every service answers in 200 ms, so a slow verdict is a
        // false alarm of outage's own making.
        outcome = `${counts.up} up, ${counts.degraded} slow`;
        if (counts.degraded) falseAlarms.push(`${count}@${concurrency}: ${counts.degraded} slow`);
        walls.push(sample.wallMs);
        if (sample.peakRssMb !== undefined) rss.push(sample.peakRssMb);
      }
      const result = { wall: median(walls), rss: rss.length ? median(rss) : undefined };
      results.set(`${count}/${concurrency}`, result);
      rows.push([String(count), concurrency === 64 ? '64 (default)' : String(concurrency), ms(result.wall), mb(result.rss), outcome, `${runs}`]);
    }
  }
  const thousand = results.get('1000/1000');
  const fiveThousandRss = results.get('5000/5000')?.rss ?? 0;
  return {
    title: 'Parallel scale (each service answers after 200 ms)',
    columns: ['services', 'concurrency', 'wall (median)', 'peak RSS (median)', 'last run', 'runs'],
    rows,
    targets: [
      { text: '1000 services at concurrency 1000: wall ≤ 1.5 s, start-up included', measured: thousand ? ms(thousand.wall) : 'not run', met: thousand ? thousand.wall <= 1500 : undefined },
      { text: '5000 services at concurrency 5000: peak RSS ≤ 300 MB', measured: mb(fiveThousandRss || undefined), met: fiveThousandRss ? fiveThousandRss <= 300 : undefined },
      {
        text: 'no service reported slow or down because of outage\'s own load, at any concurrency',
        measured: falseAlarms.length ? falseAlarms.join('; ') : 'every service up in every run',
        met: falseAlarms.length === 0,
      },
    ],
    notes: ['The HTTPS server runs in the harness process on the same 2 cores, so it shares the CPU with outage.'],
  };
}
