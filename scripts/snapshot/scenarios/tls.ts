/** HTTPS and certificates: valid, expiring, expired, wrong host, and broken chains. */
import { at, url } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const tls: Scenario[] = [
  {
    name: 'https-valid',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'https by name', url: at('app.test', w.http.tls_valid!), tls: { ca: w.ca }, tags: ['tls'] },
        { name: 'https by address', url: url(w.http.tls_valid!), tls: { ca: w.ca } },
      ],
    }),
  },
  {
    name: 'https-expiring',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'expiring soon', url: at('app.test', w.http.tls_expiring!), tls: { ca: w.ca } },
        { name: 'expiring, 3d threshold', url: at('app.test', w.http.tls_expiring!), tls: { ca: w.ca, certificate: { degraded: '3d' } } },
      ],
    }),
  },
  {
    name: 'https-expired',
    config: (w) => ({ defaults: fast, services: [{ name: 'expired', url: at('app.test', w.http.tls_expired!), tls: { ca: w.ca } }] }),
  },
  {
    name: 'https-hostname-mismatch',
    config: (w) => ({ defaults: fast, services: [{ name: 'wrong host', url: at('app.test', w.http.tls_wrong_host!), tls: { ca: w.ca } }] }),
  },
  {
    name: 'tls-chain-problems',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'self-signed', url: at('app.test', w.http.tls_self_signed!), tls: { ca: w.ca } },
        { name: 'expired intermediate', url: at('app.test', w.http.tls_expired_intermediate!), tls: { ca: w.ca } },
        { name: 'not yet valid', url: at('app.test', w.http.tls_not_yet_valid!), tls: { ca: w.ca } },
        { name: 'incomplete chain', url: at('app.test', w.http.tls_incomplete_chain!), tls: { ca: w.ca } },
        { name: 'no CA given', url: at('app.test', w.http.tls_valid!) },
        { name: 'certificate not judged', url: at('app.test', w.http.tls_self_signed!), tls: false },
      ],
    }),
  },
];
