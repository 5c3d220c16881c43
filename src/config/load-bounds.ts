/**
 * Bounds on reading a config, so that no config can hang the run or pass it without a word. A
 * config outage reads as a stream (standard input, a pipe as `-c <(kubectl …)` gives it, a FIFO, a
 * device such as /dev/zero) is cut at the size limit and must arrive within a time bound; a
 * JavaScript config's code must settle within the same bound, may not end the process
 * (`process.exit(0)` read as a passed check), and what it prints goes to stderr, where it cannot
 * corrupt `--json` on stdout.
 */
import { ConfigError, UsageError } from '../core/errors.js';
import { formatExactDuration, MAX_DURATION_MS, parseDuration } from '../core/duration.js';
import { redactEnvironmentCredentials } from './code-config.js';
import { configText } from './config-text.js';

/** A config this large is a mistake (a log or a dump under the wrong name), not a config. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** Long enough for a config that fetches a token from a vault, short enough to notice a hang. */
const DEFAULT_CONFIG_TIMEOUT_MS = 30_000;

/** The time a config may take to arrive or load: `OUTAGE_CONFIG_TIMEOUT` (a duration), else 30 s. */
export function configTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.OUTAGE_CONFIG_TIMEOUT;
  if (text === undefined || text === '') return DEFAULT_CONFIG_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0 || ms > MAX_DURATION_MS) throw new UsageError(`OUTAGE_CONFIG_TIMEOUT=${JSON.stringify(text)}: not a duration such as 30s or 2m`);
  return ms;
}

export function tooLarge(size: number, file: string, name: string, prefix = ''): ConfigError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new ConfigError([{ path: '', message: `${name} is ${prefix ? `${prefix} ` : ''}${mb(size)}; a config may be at most ${mb(MAX_CONFIG_BYTES)}` }], file, 'config.too_large');
}

type Source = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * A stream read whole, up to the size limit and within the time bound (`open` included: opening a
 * FIFO waits for a writer). `release` is called at the bound to free what is still blocked.
 */
export async function readBounded(open: Source | (() => Promise<Source>), file: string, name: string, release?: () => void): Promise<string> {
  const timeoutMs = configTimeoutMs();
  let timer: NodeJS.Timeout | undefined;
  let stream: Source | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      release?.();
      reject(new ConfigError([{ path: '', message: `no config read within ${formatExactDuration(timeoutMs)} (a pipe or FIFO nobody writes to, or that never ends? OUTAGE_CONFIG_TIMEOUT sets the bound)` }], file, 'config.read_timeout'));
    }, timeoutMs);
  });
  const read = (async () => {
    stream = typeof open === 'function' ? await open() : open;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > MAX_CONFIG_BYTES) throw tooLarge(size, file, name, 'more than');
      chunks.push(buffer);
    }
    return configText(Buffer.concat(chunks), file);
  })();
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
    stream?.destroy?.();
    read.then((s) => s, () => undefined).finally(() => stream?.destroy?.());
  }
}

/**
 * A file that is not a regular one, as a stream. A FIFO (or the pipe behind `-c <(command)`,
 * `/dev/stdin`) is read through the event loop, not Node's thread pool: a read blocked there holds
 * the process at exit, however the run ended. Opening one waits for a writer on a pool thread; at
 * the bound, `release` opens it for writing a moment, which ends that wait (Linux), so the process
 * can exit.
 */
export function readSpecialFile(file: string, fifo: boolean): Promise<string> {
  const fs = process.getBuiltinModule('node:fs');
  if (!fifo) return readBounded(fs.createReadStream(file), file, 'the input');
  const open = async (): Promise<Source> => {
    const handle = await fs.promises.open(file, 'r');
    const { Socket } = process.getBuiltinModule('node:net');
    return new Socket({ fd: handle.fd, readable: true, writable: false });
  };
  const release = () => {
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // No reader waiting any more (ENXIO), or not ours to open: nothing to release.
    }
  };
  return readBounded(open, file, 'the input', release);
}

/**
 * Runs `load` (a JavaScript config's code) with the bounds above. process.exit is refused while it
 * runs: outage's own exits (signals, the CLI) hold the real one, taken before any config loads.
 */
export async function guardedLoad<T>(file: string, load: () => Promise<T>): Promise<T> {
  const timeoutMs = configTimeoutMs();
  const realExit = process.exit;
  const realWrite = process.stdout.write;
  let timer: NodeJS.Timeout | undefined;
  let refuse: (error: ConfigError) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => {
    refuse = reject;
    timer = setTimeout(() => refuse(new ConfigError([{ path: '', message: `did not finish loading within ${formatExactDuration(timeoutMs)} (a promise it exports never settles? OUTAGE_CONFIG_TIMEOUT sets the bound)` }], file, 'config.load_timeout')), timeoutMs);
  });
  process.exit = ((code?: number | string | null) => {
    const said = redactEnvironmentCredentials(String(code ?? ''));
    const error = new ConfigError([{ path: '', message: `called process.exit(${said}) while loading: a config exports its settings, it does not end the run` }], file, 'config.exit');
    refuse(error);
    throw error;
  }) as typeof process.exit;
  // console.log in a config (a token being fetched) is diagnostics: stderr, not the report.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await Promise.race([load(), refused]);
  } finally {
    clearTimeout(timer);
    process.exit = realExit;
    process.stdout.write = realWrite;
    refused.catch(() => undefined);
  }
}
