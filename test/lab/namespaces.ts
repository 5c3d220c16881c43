/**
 * The lab's plumbing: network namespaces named after this process (`olab<pid>-<role>`, so
 * parallel runs never collide), veth pairs created directly inside them (never in the host's own
 * namespace), daemons started inside with `ip netns exec`, and a teardown that runs on every way
 * out — afterAll, exit, SIGINT, SIGTERM — and is checked: `leftovers()` lists anything of this
 * lab still present. nftables tables are only ever made inside the lab's namespaces, and die
 * with them. A run that was killed (-9) leaves namespaces named after a dead pid: the next lab
 * removes them before building its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'olab';

/** Runs a command, failing with its stderr. */
export function sh(command: string, ...args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')}: ${stderr.trim() || (error as Error).message}`);
  }
}

function quietly(command: string, ...args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function namespaces(): string[] {
  return sh('ip', 'netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/** Kills every process inside a namespace (they are all the lab's), then deletes it and its /etc/netns files. */
function removeNamespace(ns: string): void {
  let pids: string[] = [];
  try {
    pids = sh('ip', 'netns', 'pids', ns).split('\n').filter(Boolean);
  } catch {
    pids = [];
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  quietly('ip', 'netns', 'del', ns);
  rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
}

/** Namespaces left by a lab whose process is gone (killed with -9): removed before a new lab is built. */
export function sweepDeadLabs(): void {
  for (const ns of namespaces()) {
    const pid = Number(/^olab(\d+)-/.exec(ns)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) removeNamespace(ns);
  }
  if (existsSync('/etc/netns')) {
    for (const dir of readdirSync('/etc/netns')) {
      const pid = Number(/^olab(\d+)-/.exec(dir)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) rmSync(`/etc/netns/${dir}`, { recursive: true, force: true });
    }
  }
  // The configs, certificates and logs of a killed lab (lab.ts names its directory after its pid).
  for (const dir of readdirSync(tmpdir())) {
    const pid = Number(/^outage-lab-(\d+)-/.exec(dir)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), dir), { recursive: true, force: true });
  }
}

export class Namespaces {
  readonly prefix = `${PREFIX}${process.pid}-`;
  private readonly created: string[] = [];
  private readonly daemons: ChildProcess[] = [];
  private readonly pids = new Set<number>();
  /** Directories removed at teardown (the lab's configs), on every way out. */
  readonly dirs: string[] = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.teardown();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  private readonly onExit = () => this.teardown();

  constructor() {
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** A new namespace with loopback up; `role` is short (it names the namespace). */
  add(role: string): string {
    const ns = `${this.prefix}${role}`;
    sh('ip', 'netns', 'add', ns);
    this.created.push(ns);
    this.ip(ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  ip(ns: string, ...args: string[]): string {
    return sh('ip', '-n', ns, ...args);
  }

  exec(ns: string, command: string, ...args: string[]): string {
    return sh('ip', 'netns', 'exec', ns, command, ...args);
  }

  /** A namespace's own network setting (/proc/sys/net is the namespace's), without needing procps. */
  sysctl(ns: string, key: string, value: string): void {
    this.exec(ns, 'sh', '-c', `echo ${value} > /proc/sys/${key}`);
  }

  /** A veth pair between two namespaces, created inside them: `a` in nsA, `b` in nsB, both up. */
  link(nsA: string, a: string, nsB: string, b: string): void {
    this.ip(nsA, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', nsB);
    this.ip(nsA, 'link', 'set', a, 'up');
    this.ip(nsB, 'link', 'set', b, 'up');
  }

  /** Addresses without duplicate address detection, so IPv6 works at once. */
  address(ns: string, dev: string, cidr: string): void {
    this.ip(ns, 'address', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : []));
  }

  /** The namespace's own resolv.conf: `ip netns exec` mounts it over /etc/resolv.conf, inside only. */
  resolvConf(ns: string, content: string): void {
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/resolv.conf`, content);
    writeFileSync(`/etc/netns/${ns}/hosts`, '127.0.0.1 localhost\n::1 localhost\n');
  }

  /** nftables rules in a namespace's own ruleset (`nft -f -` with the given script). */
  nft(ns: string, script: string): void {
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
  }

  /** A daemon in the foreground inside a namespace; stopped at teardown. */
  daemon(ns: string, command: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.on('exit', (code, signal) => {
      if (code && !this.tornDown) process.stderr.write(`lab: ${command} in ${ns} exited ${code ?? signal}: ${stderr}\n`);
    });
    if (child.pid) this.pids.add(child.pid);
    this.daemons.push(child);
    return child;
  }

  private tornDown = false;

  /** Everything of this lab: idempotent, synchronous (it runs from an exit handler too). */
  teardown(): void {
    this.tornDown = true;
    for (const child of this.daemons) if (child.exitCode === null) child.kill('SIGKILL');
    for (const ns of this.created.splice(0)) removeNamespace(ns);
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  /** What of this lab is still there: namespaces, /etc/netns files, veths or nft tables on the host, processes. */
  leftovers(): string[] {
    const left: string[] = namespaces().filter((ns) => ns.startsWith(this.prefix)).map((ns) => `namespace ${ns}`);
    if (existsSync('/etc/netns')) left.push(...readdirSync('/etc/netns').filter((d) => d.startsWith(this.prefix)).map((d) => `/etc/netns/${d}`));
    for (const line of sh('ip', '-o', 'link').split('\n')) if (line.includes(this.prefix)) left.push(`host link ${line.trim()}`);
    for (const line of sh('nft', 'list', 'tables').split('\n')) if (line.includes('olab')) left.push(`host nft ${line.trim()}`);
    for (const pid of this.pids) if (alive(pid) && !zombie(pid)) left.push(`process ${pid}`);
    return left;
  }
}

function zombie(pid: number): boolean {
  try {
    return /\) Z /.test(sh('cat', `/proc/${pid}/stat`));
  } catch {
    return true;
  }
}
