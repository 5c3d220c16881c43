/**
 * Which services say something about the path to the internet, and so call for the built-in
 * canaries (canaries.ts). Read from the resolved specs alone, so the choice is made where the
 * config is loaded (pipeline.ts).
 */
import { withoutPort } from '../core/domain.js';
import { ipVersion } from '../core/ip-version.js';
import type { ServiceSpec } from './service.js';

/** Names that never leave the site: special-use and private top-level domains. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'test', 'internal', 'lan', 'home.arpa', 'invalid', 'intranet', 'corp'];

/**
 * Whether a service depends on the internet. The built-in canaries are about the path to the
 * internet; a run that only checks loopback, private addresses or local names learns nothing from
 * them (and sends nothing out).
 */
export function dependsOnInternet(service: ServiceSpec): boolean {
  const onlyLocalResolvers = service.resolvers.length > 0 && service.resolvers.every((r) => isPrivateAddress(withoutPort(r)));
  const hosts = [
    service.endpoint?.host ?? (service.dns ? service.dns.name : undefined),
    ...(service.status ? [service.status.check.endpoint?.host] : []),
    ...(service.hosts?.configured.map((h) => h.endpoint?.host) ?? []),
  ].filter((h): h is string => h !== undefined);
  return hosts.some((host) => (ipVersion(host) ? !isPrivateAddress(host) : !onlyLocalResolvers && isPublicName(host)));
}

function isPublicName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (!lower.includes('.')) return false;
  return !LOCAL_SUFFIXES.some((suffix) => lower === suffix || lower.endsWith(`.${suffix}`));
}

export function isPrivateAddress(address: string): boolean {
  if (ipVersion(address) === 6) {
    const a = address.toLowerCase();
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return a === '::1' || a === '::' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a);
  }
  const [a = 0, b = 0] = address.split('.').map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}
