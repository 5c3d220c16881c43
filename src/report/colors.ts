/**
 * Whether to color, decided once: `--no-color` and NO_COLOR win, then FORCE_COLOR, then whether
 * stdout is a terminal. chalk's own detection reads process.argv and ignores NO_COLOR, so the
 * level is computed here and passed in explicitly.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ProbeStatus } from '../core/status.js';

export function colorLevel(options: { color?: boolean; env?: NodeJS.ProcessEnv; isTTY?: boolean }): 0 | 1 | 2 | 3 {
  const env = options.env ?? process.env;
  if (options.color === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return (['1', '2', '3'].includes(force) ? Number(force) : 1) as 1 | 2 | 3;
  }
  if (!options.isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function makeChalk(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({ level });
}

export const SYMBOL: Record<ProbeStatus, string> = { up: '✔', degraded: '▲', down: '✖', unknown: '?', skipped: '·' };

export function paintStatus(chalk: ChalkInstance, status: ProbeStatus, text: string = `${SYMBOL[status]} ${status}`): string {
  switch (status) {
    case 'up':
      return chalk.green(text);
    case 'degraded':
      return chalk.yellow(text);
    case 'down':
      return chalk.red(text);
    case 'unknown':
      return chalk.magenta(text);
    case 'skipped':
      return chalk.dim(text);
  }
}
