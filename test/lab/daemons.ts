/**
 * The lab's real components, each in the foreground inside its namespace with a generated config
 * in the lab's directory: nsd (authoritative), unbound (recursive), nginx (web hosts with the lab
 * CA's certificates), tinyproxy (forward proxy). Each start waits until the daemon listens.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Namespaces } from './namespaces.js';

/** Waits until something listens on addr:port (TCP) inside the namespace. */
async function listening(lab: Namespaces, ns: string, address: string, port: number): Promise<void> {
  const wanted = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  for (let i = 0; i < 200; i++) {
    const lines = lab.exec(ns, 'ss', '-Hltn');
    if (lines.split('\n').some((line) => line.split(/\s+/)[3] === wanted)) return;
    await delay(25);
  }
  throw new Error(`nothing listens on ${wanted} in ${ns}`);
}

export interface Zone {
  name: string;
  /** The zone's own name server, when not the server's. */
  nsName?: string;
  /** Zone-file lines after the SOA and NS (owner names absolute, with the trailing dot). */
  records: string[];
}

/** nsd, authoritative for `zones`, on `address`. The zones' SOA and NS name `nsName`. */
export async function startNsd(lab: Namespaces, ns: string, dir: string, addresses: string[], nsName: string, zones: Zone[]): Promise<void> {
  const lines = ['server:', ...addresses.map((a) => `  ip-address: ${a}`), '  port: 53', '  username: ""', '  chroot: ""', `  zonesdir: "${dir}"`, '  database: ""',
    `  pidfile: "${dir}/nsd.pid"`, `  xfrdfile: "${dir}/xfrd.state"`, `  zonelistfile: "${dir}/zone.list"`, `  logfile: "${dir}/nsd.log"`,
    // Its zone-transfer directory too (by default a new /tmp/nsd-xfr-PID, left behind when the lab is torn down).
    `  xfrdir: "${dir}"`,
    '  server-count: 1', '  verbosity: 0', 'remote-control:', '  control-enable: no'];
  for (const zone of zones) {
    const file = `${zone.name === '.' ? 'root' : zone.name}.zone`;
    const origin = zone.name === '.' ? '.' : `${zone.name}.`;
    writeFileSync(join(dir, file), [`$ORIGIN ${origin}`, '$TTL 60', `@ IN SOA ${zone.nsName ?? nsName} hostmaster.lab. 1 3600 600 86400 60`, `@ IN NS ${zone.nsName ?? nsName}`, ...zone.records, ''].join('\n'));
    lines.push('zone:', `  name: "${zone.name}"`, `  zonefile: "${file}"`);
  }
  const config = join(dir, 'nsd.conf');
  writeFileSync(config, `${lines.join('\n')}\n`);
  lab.daemon(ns, 'nsd', ['-d', '-c', config]);
  for (const address of addresses) await listening(lab, ns, address, 53);
}

/**
 * unbound, recursing from a root served by the lab's nsd. Settings chosen to behave as the big
 * public resolvers did in 2021 rather than as stock unbound (which takes ~35 s to give up on a
 * cold cache when every authoritative server is unreachable) — see the README's "Network lab".
 */
export const UNBOUND_TUNING = [
  // Give up on a silent authoritative server after at most 1 s per try instead of 120 s.
  'infra-cache-max-rtt: 1000',
  // Keep asking servers that timed out rather than refusing to (the infra cache would otherwise
  // answer SERVFAIL at once for 15 minutes), so a recovered server is seen at once.
  'infra-keep-probing: yes',
  // Never answer from an expired cache: a vanished zone fails, as Facebook's did.
  'serve-expired: no',
  // Fewer retries of a dead server per query (default 5 + target fetches).
  'outbound-msg-retry: 2',
];

export interface UnboundOptions {
  addresses: string[];
  rootHints: { name: string; address: string };
  /** Extra server: lines (the liar's `local-zone: "." always_nxdomain`). */
  extra?: string[];
}

export async function startUnbound(lab: Namespaces, ns: string, dir: string, options: UnboundOptions): Promise<void> {
  const hints = join(dir, 'root.hints');
  writeFileSync(hints, `. 3600 IN NS ${options.rootHints.name}\n${options.rootHints.name} 3600 IN A ${options.rootHints.address}\n`);
  const config = join(dir, 'unbound.conf');
  const server = [
    'username: ""', 'chroot: ""', `directory: "${dir}"`, 'pidfile: ""', 'do-daemonize: no', 'use-syslog: no', 'logfile: ""', 'verbosity: 0',
    ...options.addresses.map((a) => `interface: ${a}`), 'port: 53', 'access-control: 0.0.0.0/0 allow', 'access-control: ::/0 allow',
    'module-config: "iterator"', `root-hints: "${hints}"`, 'do-ip6: yes', 'num-threads: 1', ...UNBOUND_TUNING, ...(options.extra ?? []),
  ];
  writeFileSync(config, `server:\n${server.map((l) => `  ${l}`).join('\n')}\nremote-control:\n  control-enable: no\n`);
  lab.daemon(ns, 'unbound', ['-d', '-c', config]);
  for (const address of options.addresses) await listening(lab, ns, address, 53);
}

export interface Site {
  /** Addresses to listen on (IPv6 without brackets). */
  addresses: string[];
  names: string[];
  /** Key and chain (PEM) for port 443; none: port 80 only. */
  tls?: { key: string; cert: string };
  /** nginx directives inside `location /`. */
  location: string;
}

export async function startNginx(lab: Namespaces, ns: string, dir: string, sites: Site[]): Promise<void> {
  const blocks = sites.map((site, i) => {
    const listen = site.addresses.flatMap((a) => {
      const host = a.includes(':') ? `[${a}]` : a;
      return [`listen ${host}:80;`, ...(site.tls ? [`listen ${host}:443 ssl;`] : [])];
    });
    if (site.tls) {
      writeFileSync(join(dir, `site${i}.key`), site.tls.key);
      writeFileSync(join(dir, `site${i}.crt`), site.tls.cert);
    }
    const certs = site.tls ? [`ssl_certificate ${dir}/site${i}.crt;`, `ssl_certificate_key ${dir}/site${i}.key;`] : [];
    return `server {\n ${listen.join('\n ')}\n server_name ${site.names.join(' ') || '_'};\n ${certs.join('\n ')}\n location / {\n  ${site.location}\n }\n}`;
  });
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    [
      'daemon off;', 'worker_processes 1;', 'user root;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/nginx-error.log;`,
      'events { worker_connections 256; }',
      'http {', ' access_log off;', ' default_type text/html;', ` client_body_temp_path ${dir}/body;`, ` proxy_temp_path ${dir}/proxy;`,
      ` fastcgi_temp_path ${dir}/fastcgi;`, ` uwsgi_temp_path ${dir}/uwsgi;`, ` scgi_temp_path ${dir}/scgi;`,
      ...blocks, '}', '',
    ].join('\n'),
  );
  lab.daemon(ns, 'nginx', ['-p', dir, '-c', config]);
  const first = sites[0]?.addresses[0];
  if (first) await listening(lab, ns, first, 80);
}

export async function startTinyproxyIn(lab: Namespaces, ns: string, dir: string, address: string, port: number): Promise<void> {
  const config = join(dir, 'tinyproxy.conf');
  writeFileSync(config, [`Port ${port}`, `Listen ${address}`, 'Timeout 30', `LogFile "${dir}/tinyproxy.log"`, 'LogLevel Info', 'MaxClients 50', 'Allow 10.0.0.0/8', ''].join('\n'));
  lab.daemon(ns, 'tinyproxy', ['-d', '-c', config]);
  await listening(lab, ns, address, port);
}
