/**
 * The local-network verdict: canaries that fail each way, and canaries that pass. These run with
 * canaries on and no --resolver, so every canary and service names its own loopback resolver.
 */
import { url } from '../servers.js';
import { fast, type Scenario } from './scenario.js';

export const canaries: Scenario[] = [
  {
    name: 'local-network-nxdomain',
    canaries: true,
    config: (w) => ({
      defaults: { ...fast, resolvers: [w.dns.main!.address] },
      canaries: [
        { name: 'resolver canary', dns: { name: 'canary.test' }, resolvers: [w.dns.nxdomain!.address] },
        { name: 'second resolver canary', dns: { name: 'svc.test' }, resolvers: [w.dns.nxdomain!.address] },
      ],
      services: [
        { name: 'api', url: 'http://api.example.test/', resolvers: [w.dns.nxdomain!.address] },
        // Accepts and never answers: stopped by the verdict long before its 2 s.
        { name: 'hanging', url: `http://127.0.0.1:${w.http.tcp_silent!.port}/` },
      ],
    }),
  },
  {
    name: 'local-network-tls-intercepted',
    canaries: true,
    config: (w) => ({
      defaults: { ...fast, resolvers: [w.dns.main!.address] },
      canaries: [
        { name: 'dns canary', dns: { name: 'canary.test' }, resolvers: [w.dns.canary!.address] },
        { name: 'https canary', url: url(w.http.tls_self_signed!) },
      ],
      services: [
        { name: 'tls service', url: url(w.http.tls_self_signed!) },
        { name: 'plain', url: url(w.http.ok!) },
      ],
    }),
  },
  {
    name: 'local-network-no-route',
    canaries: true,
    config: (w) => ({
      defaults: { ...fast, resolvers: [w.dns.main!.address] },
      canaries: [
        { name: 'tcp canary', tcp: `127.0.0.1:${w.closed.canary_refused}` },
        { name: 'https canary', url: `https://127.0.0.1:${w.closed.canary_refused}/` },
      ],
      services: [{ name: 'hanging', url: `http://127.0.0.1:${w.http.tcp_silent!.port}/` }],
    }),
  },
  {
    name: 'canaries-healthy',
    canaries: true,
    config: (w) => ({
      defaults: { ...fast, resolvers: [w.dns.main!.address] },
      canaries: [{ name: 'up canary', url: url(w.http.ok!) }],
      services: [
        { name: 'refused', url: `http://127.0.0.1:${w.closed.refused}/` },
        { name: 'web', url: url(w.http.ok!) },
      ],
    }),
  },
];
