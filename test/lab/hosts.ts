/**
 * The lab's small internet as data: addresses (documentation and private ranges only), the root
 * zone and the "Facebook" zones, the web hosts nginx serves and the canaries pointed at them.
 */
import type { Zone } from './daemons.js';

export const ADDR = {
  /** The authoritative root (nsd), in its own namespace. */
  root: '192.0.2.53',
  /** A second nsd, the name server of v6broken.lab only: its AAAA queries are dropped. */
  v6brokenDns: '192.0.2.54',
  /** unbound, the clients' recursive resolver. */
  resolver: '10.2.0.53',
  resolver6: 'fd00:2::53',
  /** A second unbound answering NXDOMAIN for every name. */
  liar: '10.2.0.54',
  /** An address of the resolver's machine where nothing listens on port 53: refused at once. */
  refusing: '10.2.0.55',
  /** A resolver address the router black-holes: silence. */
  dead: '10.2.0.56',
  /** The "Facebook" network: its authoritative server and web hosts, behind one route. */
  fbNet: '198.51.100.0/25',
  fbDns: '198.51.100.53',
  proxy: '10.4.0.2',
  proxyPort: 8888,
  /** An address the router has no route for: ICMP net unreachable. */
  unrouted: '10.77.0.10',
  portal: '203.0.113.250',
} as const;

/** Web hosts in the `web` namespace: name → IPv4 (last octet in 203.0.113.0/24) and optional IPv6 (in fd00:3::/64). */
export const WEB = {
  canary: { names: ['canary.lab'], v4: 5, v6: true },
  canary2: { names: ['www.canary.lab'], v4: 6, v6: true },
  slack: { names: ['slack.lab'], v4: 10 },
  slackApp: { names: ['app.slack.lab'], v4: 11 },
  amazon: { names: ['amazon.lab'], v4: 20 },
  amazonImages: { names: ['images.amazon.lab'], v4: 21 },
  edgeA: { names: ['shop.edge.awslab.lab', 'tickets.edge.awslab.lab'], v4: 30 },
  edgeB: { names: ['news.edge.awslab.lab'], v4: 31 },
  healthy: { names: ['www.healthy.lab'], v4: 32 },
  meta: { names: ['www.meta.lab'], v4: 40 },
  metaStatus: { names: ['status.meta.lab'], v4: 41 },
  blackhole: { names: ['blackhole.lab'], v4: 50 },
  hostUnreachable: { names: ['unreach-host.lab'], v4: 51 },
  prohibited: { names: ['prohibited.lab'], v4: 52 },
  reset: { names: ['reset.lab'], v4: 54 },
  dropped: { names: ['dropped.lab'], v4: 55 },
  rejectHost: { names: ['reject-host.lab'], v4: 56 },
  rejectAdmin: { names: ['reject-admin.lab'], v4: 57 },
  dual: { names: ['www.lab'], v4: 60, v6: true },
  lossy: { names: ['lossy.lab'], v4: 61, v6: true },
  aaaaBroken: { names: ['www.v6broken.lab'], v4: 62, v6: true },
  bigChain: { names: ['bigchain.lab'], v4: 70 },
} as const satisfies Record<string, { names: string[]; v4: number; v6?: boolean }>;

export type WebHost = keyof typeof WEB;
export const v4 = (host: WebHost) => `203.0.113.${WEB[host].v4}`;
export const v6 = (host: WebHost) => `fd00:3::${WEB[host].v4}`;

const FB_ZONES = { 'facebook.lab': '198.51.100.10', 'instagram.lab': '198.51.100.11', 'whatsapp.lab': '198.51.100.12' };

export const ROOT_ZONE: Zone = {
  name: '.',
  records: [
    'ns.lab. IN A 192.0.2.53',
    ...Object.entries(WEB).flatMap(([key, host]) =>
      key === 'aaaaBroken' ? [] : host.names.flatMap((name) => [`${name}. IN A ${v4(key as WebHost)}`, ...('v6' in host ? [`${name}. IN AAAA ${v6(key as WebHost)}`] : [])]),
    ),
    // www.v6broken.lab is delegated to a name server whose AAAA answers never arrive (V6BROKEN_ZONE).
    'v6broken.lab. IN NS ns.v6broken.lab.',
    'ns.v6broken.lab. IN A 192.0.2.54',
    'unreach-net.lab. IN A 10.77.0.10',
    // AWS, Dec 2021: several services CNAMEd into one provider's edge.
    'www.shop.lab. IN CNAME shop.edge.awslab.lab.',
    'www.tickets.lab. IN CNAME tickets.edge.awslab.lab.',
    'www.news.lab. IN CNAME news.edge.awslab.lab.',
    // Facebook, Oct 2021: three services whose zones are all served by one company's servers.
    'ns.fbdns.lab. IN A 198.51.100.53',
    ...Object.keys(FB_ZONES).map((zone) => `${zone}. IN NS ns.fbdns.lab.`),
  ],
};

export const V6BROKEN_ZONE: Zone = {
  name: 'v6broken.lab',
  nsName: 'ns.v6broken.lab.',
  records: [`www IN A ${v4('aaaaBroken')}`, `www IN AAAA ${v6('aaaaBroken')}`, 'ns IN A 192.0.2.54'],
};

/**
 * Refuses queries for www.v6broken.lab AAAA at its name server (ICMP port unreachable: the server
 * fails them at once, while A is answered): the question's name is at a fixed place in the UDP
 * payload (12-byte header, then 3www 8v6broken 3lab 0), its type just after.
 */
export const FAIL_V6BROKEN_AAAA = `ip daddr 192.0.2.54 udp dport 53 @th,200,64 0x763662726f6b656e @th,304,16 28 reject`;

export const FB_ZONE_LIST: Zone[] = Object.entries(FB_ZONES).map(([name, address]) => ({ name, records: [`@ IN A ${address}`, `www IN A ${address}`] }));
export const FB_WEB = Object.values(FB_ZONES);

/** Canaries pointed at lab hosts: two names through the system resolver, three HTTPS hosts by address. */
export const LAB_CANARIES = [
  { name: 'system resolver: canary.lab', dns: { name: 'canary.lab' } },
  { name: 'system resolver: www.canary.lab', dns: { name: 'www.canary.lab' } },
  { name: `https://${v4('canary')}`, url: `https://${v4('canary')}/`, http: { expect: { status: '100-499' } } },
  { name: `https://${v4('canary2')}`, url: `https://${v4('canary2')}/`, http: { expect: { status: '100-499' } } },
  { name: `https://[${v6('canary')}]`, url: `https://[${v6('canary')}]/`, http: { expect: { status: '100-499' } } },
];
