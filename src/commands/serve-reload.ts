/**
 * `outage serve` and SIGHUP: the config read again while the exporter keeps serving.
 */
import { statSync } from 'node:fs';
import { findConfig, STDIN } from '../config/load.js';
import { ExitCode, OutageError } from '../core/errors.js';
import { redactError } from '../core/redact.js';
import { safeLines } from '../core/safe-text.js';
import type { RunningServer } from '../serve/server.js';
import { terminalText } from './terminal.js';

/** A JavaScript or TypeScript config: imported, not read. */
const CODE_CONFIG = /\.[cm]?[jt]s$/i;

/**
 * SIGHUP reads the config again, as blackbox_exporter does (its systemd unit's
 * `ExecReload=kill -HUP $MAINPID`): valid whole, it serves the next scrapes; invalid, the previous
 * one keeps serving, and stderr and /metrics say so. Node's default ended the exporter at once,
 * scrapes in flight unanswered. With a terminal attached, SIGHUP is that terminal going away, and
 * Node's default stays: a reload would leave an exporter writing to a terminal that is gone.
 */
export function trapReload(configPath: string | undefined, server: RunningServer, validateConfig: (raw: unknown, file: string | undefined) => void): { stop(): void } {
  if (process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY) return { stop: () => {} };
  let stopping = false;
  let queue = Promise.resolve();
  const say = (text: string) => process.stderr.write(terminalText(`outage serve: SIGHUP: ${safeLines(redactError(text))}\n`));
  const reload = async () => {
    if (stopping) return;
    try {
      // Standard input or a pipe (`-c <(…)`) was read to its end at start-up: read again, it is
      // empty, or never ends.
      if (configPath !== undefined && !regularFile(configPath)) throw new OutageError('config.reload', `--config ${configPath} is no file that can be read again (standard input or a pipe): restart outage serve to change the config`, ExitCode.config);
      const found = await findConfig({ configPath });
      // Node keeps a module it imported: the file would be read again and its old contents served.
      if (found?.file && CODE_CONFIG.test(found.file)) throw new OutageError('config.reload', `${found.file} is code, which Node cannot import again in a running process: restart outage serve to read it`, ExitCode.config);
      validateConfig(found?.raw, found?.file);
      server.reload(found?.raw, found?.file);
      say(`config reloaded${found?.file ? ` from ${found.file}` : ' (no config file found: built-in defaults)'}`);
    } catch (error) {
      server.reloadFailed();
      const why = error instanceof OutageError ? error.message : `internal error (a bug in outage: please report it): ${error instanceof Error ? error.message : String(error)}`;
      say(`config not reloaded, the previous one still serves: ${why}`);
    }
  };
  // One reload at a time, in the order the signals came: the last one read is the one served.
  const onHangUp = () => void (queue = queue.then(reload));
  process.on('SIGHUP', onHangUp);
  return {
    stop() {
      // Kept, as a no-op: without a listener a SIGHUP while stopping would end it at once.
      stopping = true;
    },
  };
}

/** True for a regular file, or a path that is gone (findConfig then says so, as at start-up). */
function regularFile(path: string): boolean {
  if (path === STDIN) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}
