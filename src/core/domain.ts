/** Host and domain-name helpers shared by config, net, the probes and common-cause grouping. */

/**
 * An approximation without the public suffix list, good enough to group by provider: the last two
 * labels, or three under a two-letter country code with a short second level (co.uk, com.au).
 */
export function registrableDomain(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  const second = labels.at(-2) ?? '';
  const take = labels.length > 2 && (labels.at(-1) ?? '').length === 2 && second.length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}


/** A host as a URL writes it, without the brackets around an IPv6 literal: `[::1]` → `::1`. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** RFC 6761: `localhost` and `*.localhost` are loopback, answered without asking (as curl and browsers do). */
export function isLocalhostName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost');
}
