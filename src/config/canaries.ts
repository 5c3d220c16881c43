/**
 * Canaries: targets that are up unless the network between this machine and the internet is not.
 * Anycast resolvers and hosts run by different operators, over DNS (the system resolver and public
 * ones), TCP to IP literals (no DNS involved) and HTTPS (certificates). They run beside the
 * services with a short budget, so that with no network the verdict comes in seconds.
 */
import type { ServiceInput } from './schema.js';
import type { ServiceSpec } from './service.js';

/** The whole diagnosis must fit well inside a few seconds; each canary gets this much. */
export const CANARY_TIMEOUT_MS = 1500;

/**
 * The canaries as the config schema reads them (the status `100-499` as its range), so that a check
 * needs no schema for them; test/config/canaries.test.ts has the schema read each, written as a
 * config, into exactly this. Like the user's `canaries`, they get CANARY_TIMEOUT_MS and no retry
 * (expand.ts). Made afresh for each run: nothing downstream shares them.
 */
export function defaultCanaries(): ServiceInput[] {
  return [
    { name: 'system resolver: one.one.one.one', dns: { name: 'one.one.one.one' } },
    { name: 'system resolver: dns.google', dns: { name: 'dns.google' } },
    { name: 'resolver 1.1.1.1', dns: { name: 'one.one.one.one' }, resolvers: ['1.1.1.1'] },
    { name: 'resolver 8.8.8.8', dns: { name: 'dns.google' }, resolvers: ['8.8.8.8'] },
    // Any answer, a 4xx included, shows the way to the internet works.
    { name: 'https://1.1.1.1', url: 'https://1.1.1.1/', http: { expect: { status: [[100, 499]] } } },
    { name: 'https://8.8.8.8', url: 'https://8.8.8.8/', http: { expect: { status: [[100, 499]] } } },
  ];
}


/**
 * A DNS canary asking A (the default) asks AAAA too: a resolver that drops one family for every
 * name (home routers that drop AAAA) is only seen by canaries that ask for it. Canaries that
 * connect ask both already, as every service does.
 */
export function askingBothFamilies(spec: ServiceSpec): ServiceSpec {
  const dns = spec.dns;
  if (!dns || spec.endpoint || dns.types.length !== 1 || dns.types[0] !== 'A' || dns.expect || dns.compare) return spec;
  return { ...spec, dns: { ...dns, types: ['A', 'AAAA'] } };
}
