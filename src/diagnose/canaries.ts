/**
 * Canaries: targets that are up unless the network between this machine and the internet is not.
 * Anycast resolvers and hosts run by different operators, over DNS (the system resolver and public
 * ones), TCP to IP literals (no DNS involved) and HTTPS (certificates). They run beside the
 * services with a short budget, so that with no network the verdict comes in seconds.
 */
import { isIP } from 'node:net';
import type { ServiceSpec } from '../config/service.js';

/** The whole diagnosis must fit well inside a few seconds; each canary gets this much. */
export const CANARY_TIMEOUT = '1500ms';

/**
 * Raw canary configs, validated by the same schema as the user's `canaries` (which gives them
 * CANARY_TIMEOUT and no retry, see config/validate.ts).
 */
export const DEFAULT_CANARIES = [
  { name: 'system resolver: one.one.one.one', dns: { name: 'one.one.one.one' } },
  { name: 'system resolver: dns.google', dns: { name: 'dns.google' } },
  { name: 'resolver 1.1.1.1', dns: { name: 'one.one.one.one' }, resolvers: ['1.1.1.1'] },
  { name: 'resolver 8.8.8.8', dns: { name: 'dns.google' }, resolvers: ['8.8.8.8'] },
  { name: 'https://1.1.1.1', url: 'https://1.1.1.1/', http: { expect: { status: '100-499' } } },
  { name: 'https://8.8.8.8', url: 'https://8.8.8.8/', http: { expect: { status: '100-499' } } },
];

/** Names that never leave the site: special-use and private top-level domains. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'test', 'internal', 'lan', 'home.arpa', 'invalid', 'intranet', 'corp'];

/**
 * Whether a service depends on the internet. The built-in canaries are about the path to the
 * internet; a run that only checks loopback, private addresses or local names learns nothing from
 * them (and sends nothing out).
 */
export function dependsOnInternet(service: ServiceSpec): boolean {
  const onlyLocalResolvers = service.resolvers.length > 0 && service.resolvers.every((r) => isPrivateAddress(stripPort(r)));
  const hosts = [
    service.endpoint?.host ?? (service.dns ? service.dns.name : undefined),
    ...(service.status ? [service.status.check.endpoint?.host] : []),
    ...(service.hosts?.configured.map((h) => h.endpoint?.host) ?? []),
  ].filter((h): h is string => h !== undefined);
  return hosts.some((host) => (isIP(host) ? !isPrivateAddress(host) : !onlyLocalResolvers && isPublicName(host)));
}

function isPublicName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (!lower.includes('.')) return false;
  return !LOCAL_SUFFIXES.some((suffix) => lower === suffix || lower.endsWith(`.${suffix}`));
}

export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return a === '::1' || a === '::' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a);
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

function stripPort(resolver: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(resolver);
  if (bracketed) return bracketed[1] ?? resolver;
  return isIP(resolver) ? resolver : resolver.replace(/:\d+$/, '');
}
