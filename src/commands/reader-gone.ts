/**
 * `outage watch | head -n 3`: once head has its lines it closes the pipe, but a write is what
 * tells a writer so (EPIPE), and a watch where nothing changes writes nothing: it ran on, unseen,
 * for as long as nobody pressed Ctrl-C. Node cannot poll a write-only descriptor for the reader's
 * end, so GNU tail does it for us, as it does for itself since coreutils 8.28: `tail -f /dev/null`
 * on the same stdout prints nothing and dies by SIGPIPE within a quarter of a second of the reader
 * leaving (`--pid`: it also ends that soon after outage, should outage be killed). Where there is
 * no such tail (busybox, macOS) it exits at once or never notices, and the next write tells instead.
 */
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { exitProcess } from '../core/errors.js';

/** While stdout is a pipe, end the process with the code set so far when its reader goes away. Returns the way to stop watching. */
export function endWhenReaderGone(): () => void {
  if (!stdoutIsPipe()) return () => undefined;
  const tail = spawn('tail', ['-f', `--pid=${process.pid}`, '-s', '0.25', '/dev/null'], { stdio: ['ignore', 'inherit', 'ignore'] });
  const gone = (_code: number | null, signal: NodeJS.Signals | null) => {
    // The command set its code before running (watch: 141, as a shell shows a death by SIGPIPE).
    if (signal === 'SIGPIPE') exitProcess(Number(process.exitCode ?? 0));
  };
  tail.on('exit', gone).on('error', () => undefined);
  tail.unref();
  // Never left behind holding the pipe open: a reader like `cat` would wait for its end too.
  const stop = () => {
    tail.off('exit', gone);
    if (tail.exitCode === null && tail.signalCode === null) tail.kill();
  };
  process.once('exit', stop);
  return () => {
    process.off('exit', stop);
    stop();
  };
}

function stdoutIsPipe(): boolean {
  try {
    return fstatSync(1).isFIFO();
  } catch {
    return false;
  }
}
