/**
 * The lab CA and what nginx serves on each web host: a certificate from the CA naming every lab
 * host and address (one leaf for all keeps startup fast), an expired one for Amazon 2020's image
 * host, a long chain for the path-MTU black hole, and a self-signed one for the interceptor.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identity, issue, type Issued } from '../helpers/certs.js';
import type { Site } from './daemons.js';
import { ADDR, v4, v6, WEB, type WebHost } from './hosts.js';

export interface LabPki {
  caFile: string;
  leaf: { key: string; cert: string };
  expired: { key: string; cert: string };
  longChain: { key: string; cert: string };
  selfSigned: { key: string; cert: string };
}

export async function labPki(dir: string): Promise<LabPki> {
  const root = await issue({ name: 'Outage Lab Root CA', ca: true, validFromDays: -30, validToDays: 3650 });
  const intermediate = await issue({ name: 'Outage Lab Issuing CA', ca: true, issuer: root, validFromDays: -30, validToDays: 1000 });
  const hosts = [...Object.values(WEB).flatMap((h) => [...h.names]), ...Object.keys(WEB).flatMap((k) => [v4(k as WebHost), v6(k as WebHost)])];
  hosts.push('facebook.lab', 'www.facebook.lab', 'www.instagram.lab', 'www.whatsapp.lab', 'www.shop.lab', 'www.tickets.lab', 'www.news.lab');
  const leaf = await issue({ name: 'lab web', hosts, issuer: intermediate, validToDays: 90 });
  const expired = await issue({ name: 'images.amazon.lab', hosts: ['images.amazon.lab'], issuer: intermediate, validFromDays: -400, validToDays: -3 });
  // A chain of eight intermediates: several kilobytes of certificates, far more than one small packet.
  const chain: Issued[] = [intermediate];
  for (let i = 0; i < 8; i++) chain.unshift(await issue({ name: `Outage Lab Deep CA ${i} ${'x'.repeat(200)}`, ca: true, issuer: chain[0], validToDays: 900 }));
  const deep = await issue({ name: 'bigchain.lab', hosts: ['bigchain.lab', v4('bigChain')], issuer: chain[0], validToDays: 90 });
  const selfSigned = await issue({ name: 'portal.lab', hosts: ['portal.lab', ADDR.portal] });
  const caFile = join(dir, 'lab-ca.pem');
  writeFileSync(caFile, root.certPem);
  return {
    caFile,
    leaf: identity(leaf, intermediate),
    expired: identity(expired, intermediate),
    longChain: identity(deep, ...chain),
    selfSigned: identity(selfSigned),
  };
}

/** Meta, Mar 2024: the vendor's own words on its Statuspage. */
export const META_STATUS = {
  // Updated now, as a live incident is: a claim untouched for a week is stale (freshness.ts).
  page: { id: 'meta', name: 'Meta', url: 'https://status.meta.lab', updated_at: new Date().toISOString() },
  status: { indicator: 'major', description: 'Major System Outage' },
  components: [{ id: 'login', name: 'Login', status: 'major_outage' }],
  incidents: [{ id: 'i1', name: 'Users are being logged out of Facebook and Instagram', status: 'investigating', impact: 'major', shortlink: 'https://stspg.io/meta' }],
  scheduled_maintenances: [],
};

const ok = (body: string) => `return 200 '${body}';`;

export function webSites(pki: LabPki): Site[] {
  const site = (host: WebHost, location: string, tls = pki.leaf): Site => ({
    addresses: [v4(host), ...('v6' in WEB[host] ? [v6(host)] : [])],
    names: [...WEB[host].names],
    tls,
    location,
  });
  return [
    site('canary', ok('canary')),
    site('canary2', ok('canary')),
    site('slack', "return 503 'Service Unavailable';"),
    site('slackApp', 'proxy_pass http://127.0.0.2:81; proxy_connect_timeout 60s;'),
    site('amazon', ok('<html><body><h1>Amazon</h1><img src="https://images.amazon.lab/logo.png"></body></html>')),
    site('amazonImages', ok('png'), pki.expired),
    site('edgeA', ok('edge')),
    site('edgeB', ok('edge')),
    site('healthy', ok('healthy')),
    site('meta', ok('<html><body><h1>Log in to Meta</h1><form action="/login"></form></body></html>')),
    site('metaStatus', `default_type application/json; return 200 '${JSON.stringify(META_STATUS)}';`),
    site('blackhole', ok('unreachable')),
    site('hostUnreachable', ok('unreachable')),
    site('prohibited', ok('unreachable')),
    site('reset', ok('unreachable')),
    site('dropped', ok('unreachable')),
    site('rejectHost', ok('unreachable')),
    site('rejectAdmin', ok('unreachable')),
    site('dual', ok('dual stack')),
    site('lossy', ok('x'.repeat(2000))),
    site('aaaaBroken', ok('v6 broken')),
    site('bigChain', ok('big chain'), pki.longChain),
    { addresses: [ADDR.portal], names: [], tls: pki.selfSigned, location: ok('Log in to the network') },
  ];
}
