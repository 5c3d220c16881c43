/** TCP and DNS: refused ports, each DNS failure, record checks, resolvers compared, TCP-only services. */
import { at } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const dnsTcp: Scenario[] = [
  {
    name: 'tcp-refused',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'web refused', url: `http://127.0.0.1:${w.closed.refused}/` },
        { name: 'db refused', tcp: `db.test:${w.closed.refused}` },
      ],
    }),
  },
  {
    name: 'dns-failures',
    config: () => ({
      defaults: fast,
      services: [
        { name: 'nxdomain', url: 'https://gone.test/' },
        { name: 'servfail', url: 'https://servfail.test/' },
        { name: 'nodata', url: 'http://empty.test/' },
        { name: 'refused', tcp: 'refused.test:5432' },
      ],
    }),
  },
  {
    name: 'dns-records',
    config: () => ({
      defaults: fast,
      services: [
        { name: 'A', dns: { name: 'app.test', type: 'A', expect: ['127.0.0.1'] } },
        { name: 'A, wrong address', dns: { name: 'app.test', type: 'A', expect: ['127.0.0.9'] } },
        { name: 'CNAME', dns: { name: 'www.app.test', type: 'CNAME', expect: ['app.test'] } },
        { name: 'MX', dns: { name: 'mail.test', type: 'MX', expect: ['mx1.mail.test'] } },
        { name: 'MX, missing exchange', dns: { name: 'mail.test', type: 'MX', expect: ['mx3.mail.test'] }, critical: false },
        { name: 'TXT', dns: { name: 'mail.test', type: 'TXT', expect: ['v=spf1 -all'] } },
        { name: 'CAA', dns: { name: 'mail.test', type: 'CAA' } },
        { name: 'SOA', dns: { name: 'mail.test', type: 'SOA' } },
        { name: 'AAAA, none', dns: { name: 'app.test', type: 'AAAA' } },
      ],
    }),
  },
  {
    name: 'dns-compare',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'resolvers disagree', url: at('app.test', w.http.ok!), dns: { compare: true, resolvers: [w.dns.main!.address, w.dns.elsewhere!.address] } },
        { name: 'one resolver failing', url: at('app.test', w.http.ok!), dns: { compare: true, resolvers: [w.dns.main!.address, w.dns.servfail!.address] } },
        { name: 'dns only, compared', dns: { name: 'mail.test', type: 'MX', compare: true, resolvers: [w.dns.main!.address, w.dns.elsewhere!.address, w.dns.servfail!.address] } },
      ],
    }),
  },
  {
    name: 'tcp-only',
    config: (w) => ({
      defaults: fast,
      services: [
        { name: 'tcp by address', tcp: `127.0.0.1:${w.http.tcp_open!.port}`, tags: ['db'] },
        { name: 'tcp by name', tcp: `db.test:${w.http.tcp_open!.port}` },
      ],
    }),
  },
];
