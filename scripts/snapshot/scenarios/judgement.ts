/**
 * What decides a service's result beyond its one probe: retries, non-critical services, asset
 * hosts, the vendor's status page, and failures grouped under one common cause.
 */
import { at, url } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const judgement: Scenario[] = [
  {
    name: 'retries',
    reset: (w) => void (w.flaky.requests = 0),
    config: (w) => ({
      defaults: { timeout: '2s', retries: 1 },
      services: [
        { name: 'recovers on retry', url: url(w.http.flaky!) },
        { name: 'fails every attempt', url: url(w.http.unavailable!) },
      ],
    }),
  },
  {
    name: 'non-critical',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'web', url: url(w.http.ok!) },
        { name: 'flaky sidecar', url: url(w.http.unavailable!), critical: false, tags: ['optional'] },
        { name: 'refused sidecar', tcp: `127.0.0.1:${w.closed.refused}`, critical: false },
      ],
    }),
  },
  {
    name: 'asset-hosts',
    config: (w) => {
      const site = w.http.asset_site!;
      const tls = { ca: w.ca };
      return {
        defaults: fast,
        services: [
          { name: 'shop', url: at('app.test', site), tls, http: { assets: true } },
          { name: 'store', url: at('app.test', site, '/store'), tls, http: { assets: true } },
          { name: 'api hosts', url: at('app.test', site, '/gone'), http: { expect: { status: 404 } }, tls, hosts: [at('localhost', site, '/gone'), at('localhost', site, '/broken')] },
          { name: 'shop, first asset host only', url: at('app.test', site), tls, http: { assets: { max: 1 } } },
        ],
      };
    },
  },
  {
    name: 'vendor-status',
    config: (w) => {
      const page = url(w.http.ok!);
      const s = (path: string) => url(w.http.vendor_status!, path);
      return {
        defaults: fast,
        services: [
          { name: 'statuspage', url: page, status: s('/api/v2/summary.json') },
          { name: 'slack', url: page, status: s('/api/v2.0.0/current') },
          { name: 'aws', url: page, status: { url: s('/public/currentevents'), kind: 'aws' } },
          { name: 'detected', url: page, status: s('/custom-status') },
          { name: 'status 500', url: page, status: s('/broken') },
          { name: 'status html', url: page, status: s('/html') },
          { name: 'down, vendor calm', url: `http://127.0.0.1:${w.closed.refused}/`, status: s('/ok/api/v2/summary.json') },
        ],
      };
    },
  },
  {
    name: 'common-cause',
    resolver: 'cdn',
    config: (w) => {
      const port = w.http.ok!.port;
      return {
        defaults: fast,
        services: [
          { name: 'shop', url: `http://shop.test:${port}/` },
          { name: 'api', url: `http://api.test:${port}/` },
          { name: 'docs', url: `http://docs.test:${port}/` },
          { name: 'db', tcp: `db.test:${w.closed.db_refused}` },
          { name: 'blog', url: `http://blog.test:${port}/` },
        ],
      };
    },
  },
];
