/**
 * The progress spinner on stderr, written for outage instead of taken from a library: ora put the
 * terminal in raw mode and discarded stdin (so Ctrl-C never became SIGINT), and at 0 columns it
 * redrew in a tight loop that ignored signals and grew without bound. This one:
 * - never reads stdin nor changes the terminal's mode, so ^C stays SIGINT;
 * - draws only on a terminal whose width it knows (stderr a TTY reporting columns > 0, TERM not
 *   `dumb`), else does nothing at all and says so (`active`), so callers print lines instead;
 * - draws one line cut to the width (it never wraps), with `\r` and spaces only: no cursor or
 *   erase sequences, and color only when NO_COLOR, --no-color and FORCE_COLOR allow;
 * - redraws at most 10 times a second from an unref'd timer, so it never keeps the process alive;
 * - writes asynchronously and skips a frame while the last is still being written, so a terminal
 *   that stops reading (Ctrl-S, a stalled pty) never blocks the event loop or signal handling.
 */
import { write } from 'node:fs';
import { colorLevel, makeChalk } from '../report/colors.js';
import { safeLine } from '../core/safe-text.js';
import { displayWidth, fitPrefix } from '../report/wrap.js';
import { localeIsUtf8, terminalText } from './terminal.js';

export interface Spinner {
  /** Whether it draws; when false the caller is on its own to show progress. */
  readonly active: boolean;
  text(text: string): void;
  /** Erase the line; resolves once written, so what follows starts at the left edge. */
  stop(): Promise<void>;
}

export interface SpinnerOptions {
  /** false with --no-color. */
  color?: boolean;
  stream?: { fd: number; isTTY?: boolean; columns?: number };
  env?: NodeJS.ProcessEnv;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
// The Linux console's font has no braille, and a locale that is not UTF-8 cannot name it.
const ASCII_FRAMES = ['-', '\\', '|', '/'];
const FRAME_MS = 100;

/** Whether a spinner may draw on this stream at all. */
export function canDraw(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && env.TERM !== 'dumb';
}

export function startSpinner(initial: string, options: SpinnerOptions = {}): Spinner {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (!canDraw(stream, env)) return { active: false, text: () => {}, stop: () => Promise.resolve() };

  const chalk = makeChalk(colorLevel({ color: options.color, env, isTTY: true }));
  const frames = env.TERM === 'linux' || !localeIsUtf8(env) ? ASCII_FRAMES : FRAMES;
  let text = initial;
  let frame = 0;
  let shown = 0; // width of what is on the line now
  let writing: Promise<void> | undefined;
  let broken = false;

  const put = (chunk: string, width: number): Promise<void> => {
    const done = new Promise<void>((resolve) => {
      write(stream.fd, chunk, (error) => {
        // EIO and the like: the terminal is gone; stop drawing rather than retry.
        if (error) broken = true;
        writing = undefined;
        resolve();
      });
    });
    writing = done;
    shown = width;
    return done;
  };

  const draw = () => {
    const columns = stream.columns ?? 0;
    // Under 4 columns there is no room for a frame and a word: skip, as at 0.
    if (writing || broken || columns < 4) return;
    const symbol = frames[frame++ % frames.length] as string;
    // One cell short of the width: writing the last column would wrap on some terminals.
    const line = fitPrefix(terminalText(`${symbol} ${safeLine(text)}`, env), columns - 1);
    const width = displayWidth(line);
    const painted = `${chalk.cyan(symbol)}${line.slice(symbol.length)}`;
    void put(`\r${painted}${' '.repeat(Math.max(0, shown - width))}\r`, width);
  };

  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  draw();
  let stopped: Promise<void> | undefined;
  return {
    active: true,
    text: (value) => {
      text = value;
    },
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await writing;
        if (shown > 0 && !broken) await put(`\r${' '.repeat(shown)}\r`, 0);
      })();
      return stopped;
    },
  };
}
