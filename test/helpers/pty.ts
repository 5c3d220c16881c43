/**
 * Runs the real executable in a real pseudo-terminal, through util-linux `script`, as a user at a
 * terminal or a CI wrapper would. What the test writes to `script`'s stdin reaches the pty master,
 * so "\x03" is the user pressing Ctrl-C: the line discipline, not the test, turns it into SIGINT.
 * stdout and stderr share the terminal, so `output` holds both, with the terminal's \r\n.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface PtyOptions {
  /** The terminal's size as `stty` sets it; 0 columns is what `script </dev/null` gives. */
  cols: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  /** Leave stdin open to type into the terminal; otherwise it is /dev/null. */
  typing?: boolean;
}

export interface PtyResult {
  code: number | null;
  output: string;
  /** performance.now() when `script` (and so outage) was done. */
  exitedAt: number;
}

export interface RunningPty {
  child: ChildProcess;
  /** Everything the terminal showed so far. */
  output(): string;
  /** Resolves once the terminal shows `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Type into the terminal (the pty master), e.g. "\x03" for Ctrl-C. */
  type(text: string): void;
  result: Promise<PtyResult>;
  /** SIGKILL outage and `script` if still running: tests clean up even after a hang. */
  kill(): void;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export function startInPty(args: string[], options: PtyOptions): RunningPty {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  // `exec` keeps the shell's pid, printed first, so a hung outage can be killed even though it
  // runs in the pty's own session, outside the test's process group.
  const command = `stty cols ${options.cols} rows ${options.rows ?? 24} && echo "outage-pid=$$" && exec ${quote(process.execPath)} ${[BIN, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: [options.typing ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let output = '';
  const watchers = new Set<() => void>();
  const collect = (chunk: string) => {
    output += chunk;
    for (const check of watchers) check();
  };
  // Decoded by the stream, so a character split between two reads stays one character.
  child.stdout?.setEncoding('utf8').on('data', collect);
  child.stderr?.setEncoding('utf8').on('data', collect);
  const result = new Promise<PtyResult>((resolve) => {
    child.on('close', (code) => resolve({ code, output, exitedAt: performance.now() }));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`the terminal never showed ${pattern} within ${timeoutMs}ms; it shows:\n${JSON.stringify(output)}`));
      }, timeoutMs);
      function check() {
        if (!pattern.test(output)) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve();
      }
      watchers.add(check);
      check();
    });
  const kill = () => {
    const pid = Number(/outage-pid=(\d+)/.exec(output)?.[1]);
    for (const target of [pid, child.pid]) {
      try {
        if (target) process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return { child, output: () => output, waitFor, type: (text) => child.stdin?.write(text), result, kill };
}

/** What the terminal shows, line by line: colors dropped, each `\r` returning to the left edge. */
export function screenLines(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  return output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/);
}

/** The widest a line got on screen: the longest stretch between two carriage returns. */
export function screenWidth(line: string): number {
  return Math.max(0, ...line.split('\r').map((part) => [...part].length));
}
