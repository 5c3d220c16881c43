/**
 * `outage serve`: the Prometheus exporter. Flags and config are read and validated whole before
 * the port opens (a bad module or web config exits 78 and listens on nothing); then it serves
 * until SIGTERM or SIGINT, which stop it gracefully (see src/serve/server.ts); SIGHUP reloads the
 * config (serve-reload.ts).
 */
import { ipVersion } from '../core/ip-version.js';
import { findConfig } from '../config/load.js';
import { loadServices } from '../config/pipeline.js';
import { ConfigError, ExitCode, OutageError, UsageError } from '../core/errors.js';
import { boundHeapGrowth } from '../run/heap.js';
import { startServer } from '../serve/server.js';
import { createTargetPolicy } from '../serve/target-policy.js';
import { readWebConfig } from '../serve/web-config.js';
import { durationFlag, integerFlag } from './flags.js';
import { trapReload } from './serve-reload.js';

/** Outside Prometheus's 9100-9999 exporter range, which is fully allocated: blackbox's 9115 + 10000. */
export const DEFAULT_PORT = 19115;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

export interface ServeFlags {
  listen: string;
  config?: string;
  webConfigFile?: string;
  allowTarget: string[];
  maxConcurrent?: string;
  maxWaiting?: string;
  rateLimit?: string;
  rateBurst?: string;
  shutdownGrace?: string;
}

export async function runServeCommand(flags: ServeFlags): Promise<number> {
  // An unset `--web.config.file "$WEB"` would otherwise start the exporter with no authentication or TLS.
  if (flags.webConfigFile === '') throw new UsageError('--web.config.file "": the path is empty (an unset variable?): name the web config file, or leave the flag out', 'usage.web_config_path');
  const { host, port } = listenAddress(flags.listen);
  const policy = createTargetPolicy(flags.allowTarget);
  const found = await findConfig({ configPath: flags.config });
  validateConfig(found?.raw, found?.file);
  const web = flags.webConfigFile ? await readWebConfig(flags.webConfigFile) : undefined;
  for (const warning of web?.warnings ?? []) process.stderr.write(`outage serve: warning: ${warning}\n`);
  const maxConcurrent = integerFlag('--max-concurrent', flags.maxConcurrent, 1, 10_000) ?? 32;
  const graceMs = durationFlag('--shutdown-grace', flags.shutdownGrace) ?? 5_000;

  const server = await startServer({
    host,
    port,
    raw: found?.raw,
    file: found?.file,
    env: process.env,
    policy,
    web,
    maxConcurrent,
    maxWaiting: integerFlag('--max-waiting', flags.maxWaiting, 0, 100_000) ?? maxConcurrent * 8,
    ratePerSecond: integerFlag('--rate-limit', flags.rateLimit, 0, 1_000_000) ?? 50,
    rateBurst: integerFlag('--rate-burst', flags.rateBurst, 1, 1_000_000) ?? 200,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`--listen ${flags.listen}: the address is already in use`, 'usage.listen');
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES') throw new UsageError(`--listen ${flags.listen}: cannot listen there (${error.code})`, 'usage.listen');
    throw error;
  });
  // An exporter probes without end: its garbage is a large run's (run/heap.ts).
  boundHeapGrowth();
  const loopback = /^(127\.|\[::1\]|localhost)/.test(server.address);
  // Trapped before the line that says it listens: a supervisor (or a test) that stops it as soon
  // as it reads that line must get the graceful stop, not Node's default death by the signal.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const reloads = trapReload(flags.config, server, validateConfig);
  process.stderr.write(`outage serve: listening on ${server.url} (probe: ${server.url}/probe?target=URL)\n`);
  if (!loopback && !web?.tls && !(web && (web.basicUsers.size > 0 || web.bearerHashes.length > 0))) {
    process.stderr.write('outage serve: warning: listening beyond loopback with no authentication: anyone who reaches the port can make it probe (see --web.config.file and --allow-target)\n');
  }

  const signalName = await stopSignal;
  reloads.stop();
  process.stderr.write(`outage serve: ${signalName}: stopping (probes in flight get ${graceMs} ms)\n`);
  // A second signal exits at once.
  const now = (name: NodeJS.Signals) => process.exit(name === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
  process.once('SIGINT', () => now('SIGINT'));
  process.once('SIGTERM', () => now('SIGTERM'));
  const clean = await server.stop(graceMs, signalName);
  if (clean) return 0;
  process.stderr.write('outage serve: probes still running at the end of the grace period were interrupted\n');
  return signalName === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

/** `127.0.0.1:19115`, `[::1]:0`, `:19115` (every address), `0.0.0.0:19115`. */
export function listenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const host = match ? (match[1] ?? match[2] ?? '') : '';
  const port = Number(match?.[3]);
  if (!match || port > 65535 || (match[1] !== undefined && ipVersion(host) !== 6)) {
    throw new UsageError(`--listen ${JSON.stringify(text)}: expected host:port, such as ${DEFAULT_LISTEN}, [::1]:${DEFAULT_PORT} or 0.0.0.0:${DEFAULT_PORT} (port 0 picks a free one)`, 'usage.listen');
  }
  return { host: host === '' ? '::' : host, port };
}

/** The whole config, modules included, before the port opens: a scrape must never find it invalid. */
export function validateConfig(raw: unknown, file: string | undefined): void {
  loadServices(raw, { file, canaries: false });
  const modules = (raw as { modules?: Record<string, unknown> } | undefined)?.modules ?? {};
  for (const name of Object.keys(modules)) {
    try {
      // A URL target with the module's options resolves every key a module may have (tls files too).
      loadServices(raw, { file, canaries: false, targets: ['https://module-check.invalid/'], module: name });
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      if (error instanceof OutageError) throw new ConfigError([{ path: `modules.${name}`, message: error.message.replace(/^"https:\/\/module-check\.invalid\/": /, '') }], file);
      throw error;
    }
  }
}
