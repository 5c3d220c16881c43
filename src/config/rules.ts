/**
 * The rules, the third stage of loading (pipeline.ts): what the schema cannot say because it spans
 * keys — one target per service, options that need a certain target, `dns.compare` with
 * `dns.resolvers`. A service that breaks one is not resolved. (Unique names are checked by
 * parse.ts, on every item as written: one with a schema problem has a name too.)
 */
import type { ConfigProblem } from '../core/errors.js';
import type { ServiceEntry } from './entry.js';
import type { ServiceInput } from './schema.js';
import type { Endpoint } from './service.js';
import { parseHostPort, parseUrlTarget, type UrlTarget } from './targets.js';

/** What a service checks (`text` as written), parsed on the way: resolution starts from it. */
export type Target = { kind: 'url'; text: string; url: UrlTarget } | { kind: 'tcp'; text: string; endpoint: Endpoint } | { kind: 'dns'; name: string };

/** An entry whose keys fit together, with its target. */
export interface CheckedEntry {
  entry: ServiceEntry;
  target: Target;
}

export interface RuleCheck {
  /** Each entry's problems. */
  problems: Map<ServiceEntry, ConfigProblem[]>;
  /** Only these are resolved. */
  valid: CheckedEntry[];
}

type Problem = (key: string, message: string) => ConfigProblem;

export function checkRules(entries: readonly ServiceEntry[]): RuleCheck {
  const problems = new Map<ServiceEntry, ConfigProblem[]>();
  const valid: CheckedEntry[] = [];
  for (const entry of entries) {
    const found: ConfigProblem[] = [];
    const target = checkTarget(entry.input, entry.path);
    if ('kind' in target) valid.push({ entry, target });
    else found.push(target);
    if (found.length > 0) problems.set(entry, found);
  }
  return { problems, valid };
}

/**
 * The service's target, or the first rule it breaks, in the order its keys are read: later rules
 * assume the earlier ones hold.
 */
function checkTarget(input: ServiceInput, path: string): Target | ConfigProblem {
  const problem: Problem = (key, message) => ({ path: `${path}.${key}`, message });
  if (input.url !== undefined && input.tcp !== undefined) return problem('url', 'a service checks either a url or a tcp target, not both');
  if (input.url !== undefined) {
    // The schema has parsed a configured url already; a command-line target arrives unparsed.
    const url = parseUrlTarget(input.url);
    if (typeof url === 'string') return problem('url', url);
    return addressRule(input, url.endpoint, 'url', problem) ?? headRule(input, problem) ?? { kind: 'url', text: input.url, url };
  }
  if (input.http !== undefined) return problem('http', 'http options need a url target (https://… or http://…)');
  if (input.tls !== undefined) return problem('tls', 'tls options need an https:// url target');
  if (input.tcp !== undefined) {
    const endpoint = parseHostPort(input.tcp);
    if (typeof endpoint === 'string') return problem('tcp', endpoint);
    return addressRule(input, endpoint, 'tcp', problem) ?? hostsRule(input, problem) ?? { kind: 'tcp', text: input.tcp, endpoint };
  }
  if (input.dns && input.dns.name) return compareRule(input, problem) ?? hostsRule(input, problem) ?? { kind: 'dns', name: input.dns.name };
  return { path, message: 'needs a target: url (https://…), tcp (host:port), or dns: { name: … }' };
}

/**
 * A service that connects somewhere resolves its endpoint's own host, A and AAAA unless one is
 * chosen; DNS options that ask for something else make no sense there.
 */
function addressRule(input: ServiceInput, endpoint: Endpoint, kind: 'url' | 'tcp', problem: Problem): ConfigProblem | undefined {
  if (input.dns === false || endpoint.isIp) return undefined;
  const type = input.dns?.type;
  if (type && type !== 'A' && type !== 'AAAA') return problem('dns.type', `a ${kind} service connects to the addresses it resolves, so type must be A or AAAA`);
  if (input.dns?.name || input.dns?.expect) return problem('dns', `a ${kind} service resolves its own host; use a separate DNS-only service for name/expect`);
  return compareRule(input, problem);
}

/** `dns.resolvers` goes with `dns.compare: true`; one without the other is a mistake. */
function compareRule(input: ServiceInput, problem: Problem): ConfigProblem | undefined {
  const dns = input.dns || undefined;
  if (dns?.compare && !dns.resolvers) return problem('dns.compare', 'list the resolvers to compare in dns.resolvers, e.g. [system, "1.1.1.1", "8.8.8.8"]');
  if (dns?.resolvers && !dns.compare) {
    return problem('dns.resolvers', 'these are compared only with dns.compare: true (to use one resolver for the service, set its resolvers)');
  }
  return undefined;
}

/**
 * A HEAD response has no body: a content check on one failed on every run (a healthy page down,
 * "the body does not contain …"), and `assets` found no page to read. Said when the config is read.
 */
function headRule(input: ServiceInput, problem: Problem): ConfigProblem | undefined {
  const http = input.http;
  if (http?.method !== 'HEAD') return undefined;
  const key = http.expect?.body !== undefined ? 'expect.body' : http.expect?.bodyRegex !== undefined ? 'expect.bodyRegex' : undefined;
  if (key) return problem(`http.${key}`, 'a HEAD response has no body, so this could never match: check it with GET (the default)');
  if (http.assets) return problem('http.assets', 'a HEAD response has no page to find assets in: check it with GET (the default)');
  return undefined;
}

/** Other hosts are checked with a HEAD request, which only a url service makes. */
function hostsRule(input: ServiceInput, problem: Problem): ConfigProblem | undefined {
  if (!input.hosts?.length && !input.http?.assets) return undefined;
  return problem('hosts', 'hosts and http.assets need a url target (https://… or http://…)');
}
