/** Plain HTTP: healthy services and ad-hoc targets, then each way an HTTP check fails. */
import { at, url } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const httpHealthy: Scenario[] = [
  {
    name: 'http-healthy',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'web', url: url(w.http.ok!), tags: ['web', 'public'] },
        { name: 'health by name', url: at('app.test', w.http.ok!, '/health'), http: { expect: { status: 200, body: 'ok' } } },
      ],
    }),
  },
  {
    name: 'adhoc-targets',
    config: () => ({ defaults: fast, services: [] }),
    targets: (w) => [w.http.ok!.url, w.http.unavailable!.url, `127.0.0.1:${w.http.tcp_open!.port}`],
  },
];

export const httpFailures: Scenario[] = [
  {
    name: 'http-503',
    config: (w) => ({ defaults: fast, services: [{ name: 'api', url: url(w.http.unavailable!, '/v1/health'), tags: ['api'] }] }),
  },
  {
    name: 'http-slow',
    config: (w) => ({
      defaults: { ...fast, latency: { degraded: '50ms' } },
      services: [
        { name: 'slow', url: url(w.http.slow!) },
        { name: 'slow, generous threshold', url: url(w.http.slow!), latency: { degraded: '1500ms' } },
      ],
    }),
  },
  {
    name: 'fail-on-down',
    flags: ['--fail-on', 'down'],
    config: (w) => ({ defaults: fast, services: [{ name: 'slow', url: url(w.http.slow!), latency: { degraded: '50ms' } }, { name: 'web', url: url(w.http.ok!) }] }),
  },
  {
    name: 'timeouts',
    config: (w) => ({
      defaults: { timeout: '800ms', retries: 0 },
      services: [
        { name: 'no response', url: url(w.http.hanging!) },
        { name: 'silent resolver', url: 'http://silent.test/' },
      ],
    }),
  },
  {
    name: 'http-body-mismatch',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'body substring', url: url(w.http.json!), http: { expect: { body: '"status":"ok"' } } },
        { name: 'body regex', url: url(w.http.json!), http: { expect: { bodyRegex: '"db":\\s*"up"' } } },
        { name: 'body matches', url: url(w.http.json!), http: { expect: { status: [200], bodyRegex: '"status":\\s*"degraded"' } } },
      ],
    }),
  },
  {
    name: 'http-redirects',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'two hops', url: url(w.http.redirects!, '/start') },
        { name: 'not followed', url: url(w.http.redirects!, '/start'), http: { followRedirects: 0 } },
        { name: 'not followed, 200 expected', url: url(w.http.redirects!, '/start'), http: { followRedirects: 0, expect: { status: 200 } } },
        { name: 'loop', url: url(w.http.redirects!, '/a') },
        { name: 'to another origin', url: url(w.http.redirects!, '/away') },
        { name: 'to an expired certificate', url: url(w.http.redirects!, '/to-expired'), tls: { ca: w.ca } },
      ],
    }),
  },
];
