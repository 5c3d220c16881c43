/**
 * The real CLI with a system resolver the test configures. Inside a private network and mount
 * namespace (unshare) the test's /etc/hosts and /etc/resolv.conf are bind-mounted over the host's
 * — for that namespace only — and a DNS server listens on the namespace's own 127.0.0.1:53 (the
 * only port resolv.conf can name). The host's files, interfaces and routes are never touched, and
 * everything ends with the namespace. Needs root; CI runs as root.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './cli.js';

const INSIDE = fileURLToPath(new URL('./netns-inside.mjs', import.meta.url));

export type NetnsAnswer = 'drop' | { rcode?: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED'; answers?: { name: string; type: string; data: unknown }[]; delayMs?: number };

export interface NetnsScenario {
  /** /etc/hosts inside; default: localhost only. */
  hosts?: string;
  /** /etc/resolv.conf inside; default: `nameserver 127.0.0.1`. */
  resolvConf?: string;
  /** name → type (or `*`) → answer; a name not listed is NXDOMAIN. */
  zone?: Record<string, Record<string, NetnsAnswer>>;
  /** false: nothing listens on 127.0.0.1:53 (a refused resolver). */
  dns?: boolean;
  /**
   * Where the scenario's DNS server listens (port 53, UDP and TCP); default 127.0.0.1. A scoped
   * IPv6 address (`fe80::53%lab0`) gets its interface: a veth pair made inside the namespace.
   */
  dnsAt?: string[];
  /** Addresses where a DNS server listens and never answers (a dead resolver, not a refusing one). */
  silentAt?: string[];
  /** A config file's text, `{port}` in it replaced as in `args`; `{config}` in `args` is its path. */
  config?: string;
  /** CLI arguments; `{port}` is the namespace's HTTP server on 127.0.0.1. */
  args: string[];
  /** Environment variables the CLI gets beyond PATH and NO_COLOR (a user's own settings). */
  env?: Record<string, string>;
}

export interface NetnsResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** `server`: the address the query was sent to. */
  queries: { name: string; type: string; transport: string; server: string }[];
  httpConnections: number;
  port: number;
}

/** The veth pairs that scoped listening addresses need (link-local addresses exist only on an interface). */
function interfaces(scenario: NetnsScenario): string {
  return [...(scenario.dnsAt ?? []), ...(scenario.silentAt ?? [])]
    .flatMap((address) => {
      const [ip, scope] = address.split('%');
      if (!scope || !/^[a-z0-9]+$/.test(scope) || !ip || !/^[0-9a-f:]+$/.test(ip)) return [];
      return [`ip link add ${scope} type veth peer name ${scope}p && ip link set ${scope} up && ip link set ${scope}p up && ip -6 addr add ${ip}/64 dev ${scope} nodad && `];
    })
    .join('');
}

export async function runInNamespace(scenario: NetnsScenario, timeoutMs = 30_000): Promise<NetnsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'outage-netns-'));
  try {
    const hosts = join(dir, 'hosts');
    const resolvConf = join(dir, 'resolv.conf');
    writeFileSync(hosts, scenario.hosts ?? '127.0.0.1 localhost\n::1 localhost\n');
    writeFileSync(resolvConf, scenario.resolvConf ?? 'nameserver 127.0.0.1\n');
    const script = `ip link set lo up && ${interfaces(scenario)}mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && exec "$3" "$4"`;
    const child = spawn('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', hosts, resolvConf, process.execPath, INSIDE], {
      env: { PATH: process.env.PATH, OUTAGE_NETNS_SCENARIO: JSON.stringify({ ...scenario, bin: BIN }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const line = stdout.trim().split('\n').at(-1) ?? '';
    if (code !== 0 || !line.startsWith('{')) throw new Error(`namespace run failed (exit ${code}):\n${stdout}\n${stderr}`);
    return JSON.parse(line) as NetnsResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
