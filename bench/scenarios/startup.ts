/** Start-up: `outage --version` and `--help` against `node -e 0`, interleaved, medians. */
import { median, OUTAGE, run } from '../measure.js';
import { ms, ratio, type ScenarioResult } from './types.js';

export async function startup(runs = 30): Promise<ScenarioResult> {
  const commands: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['outage --version', [OUTAGE, '--version']],
    ['outage --help', [OUTAGE, '--help']],
  ];
  const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) {
    // Rotate the order each round so drift on a shared machine hits every command alike.
    for (let j = 0; j < commands.length; j++) {
      const [name, args] = commands[(i + j) % commands.length] as [string, string[]];
      times.get(name)?.push((await run(process.execPath, args)).wallMs);
    }
  }
  const base = median(times.get('node -e 0') ?? []);
  const rows = commands.map(([name]) => {
    const m = median(times.get(name) ?? []);
    return [name, ms(m), ratio(m / base)];
  });
  const versionRatio = median(times.get('outage --version') ?? []) / base;
  const helpRatio = median(times.get('outage --help') ?? []) / base;
  return {
    title: 'Start-up',
    columns: ['command', `median of ${runs}`, 'vs node -e 0'],
    rows,
    targets: [
      { text: '`outage --version` ≤ 1.3× `node -e 0`', measured: ratio(versionRatio), met: versionRatio <= 1.3 },
      { text: '`outage --help` ≤ 1.3× `node -e 0`', measured: ratio(helpRatio), met: helpRatio <= 1.3 },
    ],
    notes: [],
  };
}
