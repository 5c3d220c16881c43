/**
 * What every format has to get right whatever the probes saw: secrets kept out, an invalid config
 * reported, and one report with every status and a name full of characters to escape.
 */
import { at, url } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const reporting: Scenario[] = [
  {
    name: 'secrets',
    env: { TOKEN: 'tok-abcdef123', API_KEY: 'key-98765' },
    config: (w) => ({
      defaults: fast,
      services: [
        {
          name: 'api',
          url: `${w.http.unavailable!.url.replace('http://', 'http://admin:Pa55-w0rd@')}/?key=\${API_KEY}`,
          http: { headers: { Authorization: 'Bearer ${TOKEN}', Cookie: 'session=c00kie-value' } },
        },
      ],
    }),
  },
  {
    name: 'config-invalid',
    config: () => ({
      defaults: { timout: '2s' },
      services: [{ name: 'a', url: 'http://127.0.0.1:9/', http: { expect: { status: '399-200' } } }, { name: 'a', tcp: 'no-port.test' }],
    }),
  },
  {
    name: 'mixed',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'healthy', url: url(w.http.ok!, '/health'), tags: ['web'] },
        { name: 'slow', url: url(w.http.slow!), tags: ['web'], latency: { degraded: '50ms' } },
        { name: 'unavailable', url: url(w.http.unavailable!), tags: ['api'] },
        { name: 'expired-cert', url: at('localhost', w.http.tls_expired!), tls: { ca: w.ca } },
        { name: 'expiring-cert', url: at('localhost', w.http.tls_expiring!), tls: { ca: w.ca } },
        { name: 'nxdomain', url: 'https://gone.test/' },
        { name: 'refused', url: `http://127.0.0.1:${w.closed.refused}/` },
        { name: 'optional', url: url(w.http.unavailable!), critical: false },
        { name: 'Name | with "quotes" & <xml> %', url: url(w.http.ok!) },
      ],
    }),
  },
];
