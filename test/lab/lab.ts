/**
 * A small internet in network namespaces, built once per test file and changed per scenario:
 *
 *   client(s) ── router ── resolver  (unbound 10.2.0.53 / fd00:2::53; liar .54; refusing .55; dead .56)
 *                  ├────── auth      (nsd 192.0.2.53: the root zone)
 *                  ├────── web       (nginx on 203.0.113.0/24 and fd00:3::/64, lab CA certificates)
 *                  ├────── fb        (nsd + nginx on 198.51.100.0/25: one route, withdrawn for Facebook 2021)
 *                  └────── proxy     (tinyproxy 10.4.0.2:8888)
 *
 * Each scenario gets its own client namespace (10.1.N.2, fd00:1:N::2), so faults that are the
 * client's (no default route, its resolver, its MTU) never touch another scenario, and faults on a
 * host's address are that scenario's alone: scenarios run concurrently. The CLI runs inside a client with
 * `ip netns exec`, which mounts /etc/netns/<client>/resolv.conf over /etc/resolv.conf for it alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/probes/result.js';
import { BIN } from '../helpers/cli.js';
import { startNginx, startNsd, startTinyproxyIn, startUnbound } from './daemons.js';
import { ADDR, FB_WEB, FB_ZONE_LIST, LAB_CANARIES, ROOT_ZONE, V6BROKEN_ZONE } from './hosts.js';
import { Namespaces, sweepDeadLabs } from './namespaces.js';
import { labPki, webSites } from './sites.js';

export const LAB_TOOLS = ['ip', 'nft', 'unbound', 'nsd', 'nginx', 'tinyproxy', 'ss'].map((name) => ({
  name,
  install: 'apt-get install iproute2 nftables unbound nsd nginx tinyproxy',
}));

export interface ClientOptions {
  /** resolv.conf's nameserver (default: the lab's unbound). */
  resolver?: string;
  v4?: boolean;
  v6?: boolean;
  defaultRoute?: boolean;
  /** MTU of the router's end of the client's link (a path-MTU black hole when ICMP is filtered). */
  routerMtu?: number;
  /**
   * resolv.conf's `attempts:` (default 1, with `timeout:1`, so a dead resolver is told within a
   * second). 2 where the resolver is meant to work and the scenario is about something else: under
   * a loaded lab, unbound's first recursion can take over a second, and getaddrinfo gave up.
   */
  resolverAttempts?: number;
}

export interface Client {
  ns: string;
  v4: string;
  v6: string;
}

export interface CheckRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  durationMs: number;
}

export class Lab {
  readonly net = new Namespaces();
  /** Named after this process, so that a later lab removes it if this one is killed (sweepDeadLabs). */
  readonly dir = mkdtempSync(join(tmpdir(), `outage-lab-${process.pid}-`));
  router = '';
  auth = '';
  caFile = '';
  private clients = 0;

  constructor() {
    this.net.dirs.push(this.dir);
  }

  static async build(): Promise<Lab> {
    sweepDeadLabs();
    const lab = new Lab();
    try {
      await lab.start();
      return lab;
    } catch (error) {
      lab.teardown();
      throw error;
    }
  }

  private sub(name: string): string {
    const dir = join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** A namespace linked to the router: `addresses` on its side, `gateways` on the router's, default routes back. */
  private server(role: string, routerAddresses: string[], addresses: string[]): string {
    const ns = this.net.add(role);
    this.net.link(this.router, role, ns, 'eth0');
    for (const a of routerAddresses) this.net.address(this.router, role, a);
    for (const a of addresses) this.net.address(ns, 'eth0', a);
    const [gw4, gw6] = [routerAddresses.find((a) => !a.includes(':')), routerAddresses.find((a) => a.includes(':'))];
    // onlink: the namespace may get its addresses later (the web host's come from its sites).
    if (gw4) this.net.ip(ns, 'route', 'add', 'default', 'via', gw4.split('/')[0] ?? '', 'dev', 'eth0', 'onlink');
    if (gw6) this.net.ip(ns, '-6', 'route', 'add', 'default', 'via', gw6.split('/')[0] ?? '', 'dev', 'eth0', 'onlink');
    return ns;
  }

  private async start(): Promise<void> {
    this.router = this.net.add('rt');
    this.net.sysctl(this.router, 'net/ipv4/ip_forward', '1');
    this.net.sysctl(this.router, 'net/ipv6/conf/all/forwarding', '1');
    this.net.nft(this.router, [
      'table inet lab {',
      '  chain forward { type filter hook forward priority 0; policy accept; }',
      '  chain prerouting { type nat hook prerouting priority -100; policy accept; }',
      // What the router itself sends (ICMP errors: filtering "fragmentation needed" makes an MTU black hole).
      '  chain output { type filter hook output priority 0; policy accept; }',
      '}',
    ].join('\n'));
    const pki = await labPki(this.dir);
    this.caFile = pki.caFile;

    const auth = this.server('auth', ['192.0.2.1/24'], [`${ADDR.root}/24`, `${ADDR.v6brokenDns}/24`]);
    this.auth = auth;
    const resolver = this.server('dns', ['10.2.0.1/24', 'fd00:2::1/64'], ['10.2.0.53/24', '10.2.0.54/24', '10.2.0.55/24', '10.2.0.56/24', `${ADDR.resolver6}/64`]);
    const web = this.server('web', ['203.0.113.1/24', 'fd00:3::1/64'], []);
    const fb = this.server('fb', ['198.51.100.1/25'], [`${ADDR.fbDns}/25`, ...FB_WEB.map((a) => `${a}/25`)]);
    const proxy = this.server('px', ['10.4.0.1/24'], [`${ADDR.proxy}/24`]);
    this.net.ip(this.router, 'route', 'add', 'blackhole', `${ADDR.dead}/32`);
    // The refusing resolver refuses every query at once (ICMP port unreachable), as a machine
    // whose DNS server is stopped does for its first few; with the kernel's default ICMP rate
    // limit (one a second after a burst of six) later refusals are silent, and getaddrinfo waits
    // out its timeout — the system's behaviour, which outage cannot shorten (see the README).
    this.net.sysctl(resolver, 'net/ipv4/icmp_ratelimit', '0');
    this.net.resolvConf(proxy, `nameserver ${ADDR.resolver}\n`);

    const sites = webSites(pki);
    for (const address of new Set(sites.flatMap((s) => s.addresses))) this.net.address(web, 'eth0', address.includes(':') ? `${address}/64` : `${address}/24`);
    // Slack 2021's stalled backend: nginx proxies to a port whose packets are dropped.
    this.net.nft(web, 'table inet lab {\n chain out {\n type filter hook output priority 0;\n ip daddr 127.0.0.2 tcp dport 81 drop\n }\n}\n');

    await Promise.all([
      startNsd(this.net, auth, this.sub('nsd-root'), [ADDR.root], 'ns.lab.', [ROOT_ZONE]),
      // Its own server, so that its unanswered AAAA queries never slow the root's in unbound's eyes.
      startNsd(this.net, auth, this.sub('nsd-v6broken'), [ADDR.v6brokenDns], 'ns.v6broken.lab.', [V6BROKEN_ZONE]),
      startNsd(this.net, fb, this.sub('nsd-fb'), [ADDR.fbDns], 'ns.fbdns.lab.', FB_ZONE_LIST),
      startNginx(this.net, web, this.sub('nginx-web'), sites),
      startNginx(this.net, fb, this.sub('nginx-fb'), FB_WEB.map((a) => ({ addresses: [a], names: [], tls: pki.leaf, location: 'return 200 "facebook";' }))),
      startTinyproxyIn(this.net, proxy, this.sub('tinyproxy'), ADDR.proxy, ADDR.proxyPort),
    ]);
    const rootHints = { name: 'ns.lab.', address: ADDR.root };
    await Promise.all([
      startUnbound(this.net, resolver, this.sub('unbound'), { addresses: [ADDR.resolver, ADDR.resolver6], rootHints }),
      startUnbound(this.net, resolver, this.sub('unbound-liar'), { addresses: [ADDR.liar], rootHints, extra: ['local-zone: "." always_nxdomain'] }),
    ]);
  }

  /** A new client namespace linked to the router. */
  client(options: ClientOptions = {}): Client {
    const n = ++this.clients;
    const ns = this.net.add(`c${n}`);
    const dev = `c${n}`;
    this.net.link(this.router, dev, ns, 'eth0');
    const client = { ns, v4: `10.1.${n}.2`, v6: `fd00:1:${n}::2` };
    if (options.v4 !== false) {
      this.net.address(this.router, dev, `10.1.${n}.1/24`);
      this.net.address(ns, 'eth0', `${client.v4}/24`);
      if (options.defaultRoute !== false) this.net.ip(ns, 'route', 'add', 'default', 'via', `10.1.${n}.1`);
    }
    if (options.v6 !== false) {
      this.net.address(this.router, dev, `fd00:1:${n}::1/64`);
      this.net.address(ns, 'eth0', `${client.v6}/64`);
      if (options.defaultRoute !== false) this.net.ip(ns, '-6', 'route', 'add', 'default', 'via', `fd00:1:${n}::1`);
    }
    if (options.routerMtu) this.net.ip(this.router, 'link', 'set', dev, 'mtu', String(options.routerMtu));
    this.net.resolvConf(ns, `nameserver ${options.resolver ?? ADDR.resolver}\noptions timeout:1 attempts:${options.resolverAttempts ?? 1}\n`);
    return client;
  }

  /** Rules added to the router's forward chain (`prerouting` for NAT, `output` for its own ICMP): `drop`, `reject`, loss. */
  routerRule(chain: 'forward' | 'prerouting' | 'output', rule: string): void {
    this.net.nft(this.router, `add rule inet lab ${chain} ${rule}`);
  }

  /** A rule on what the root authoritative server (nsd) receives. */
  authRule(rule: string): void {
    this.net.nft(this.auth, `table inet lab {\n chain input {\n type filter hook input priority 0; policy accept;\n }\n}\nadd rule inet lab input ${rule}\n`);
  }

  /** `ip route` in the router: `blackhole X`, `unreachable X`, `prohibit X`, `del X`. */
  route(...args: string[]): void {
    this.net.ip(this.router, 'route', ...args);
  }

  /**
   * Runs `outage check` inside the client: config with the lab's canaries unless given, the lab
   * CA trusted through NODE_EXTRA_CA_CERTS, the table on stdout and the JSON report beside it.
   */
  async check(client: Client, config: Record<string, unknown>, options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CheckRun> {
    const id = Math.random().toString(36).slice(2);
    const configFile = join(this.dir, `config-${id}.json`);
    const reportFile = join(this.dir, `report-${id}.json`);
    writeFileSync(configFile, JSON.stringify({ canaries: LAB_CANARIES, ...config }));
    const args = ['netns', 'exec', client.ns, process.execPath, BIN, 'check', '-c', configFile, '--report', `json=${reportFile}`, ...(options.args ?? [])];
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', COLUMNS: '160', NODE_EXTRA_CA_CERTS: this.caFile, ...options.env };
    const started = performance.now();
    const child = spawn('ip', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const durationMs = performance.now() - started;
    let report: Report;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    } catch {
      throw new Error(`no report (exit ${code}):\n${stdout}\n${stderr}`);
    }
    return { code, stdout, stderr, report, durationMs };
  }

  teardown(): void {
    this.net.teardown();
  }

  leftovers(): string[] {
    return [...this.net.leftovers(), ...(existsSync(this.dir) ? [`directory ${this.dir}`] : [])];
  }
}
