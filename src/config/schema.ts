/**
 * The config file's shape, validated whole with zod before anything runs (parse.ts). Defaults live
 * here so a validated config has no optional holes; cross-field rules that zod cannot express
 * (unique names, one target per service, …) live in rules.ts.
 */
import { z } from 'zod';
import { DNS_RECORD_TYPES } from '../core/dns-record.js';
import { DAY_MS, DURATION_PATTERN, MAX_DURATION_TEXT, parseDuration, readDuration, readPositiveDuration } from '../core/duration.js';
import { parseStatusExpectation } from '../core/http-status-range.js';
import { STATUS_KINDS } from '../core/vendor-status.js';
import { parseProxyUrl } from './proxy.js';
import { isResolverAddress, parseHostPort, parseServiceUrl, parseUrlTarget } from './targets.js';
import { BEARER_TOKEN, MODULE_NAME } from './token-patterns.js';


/** A zod transform from a reader that returns the value, or the problem in words (a string). */
function valueOrProblem<In, Out>(read: (value: In) => Out | string) {
  return (value: In, ctx: z.RefinementCtx): Out => {
    const result = read(value);
    if (typeof result !== 'string') return result;
    ctx.addIssue({ code: 'custom', message: result });
    return z.NEVER;
  };
}

/**
 * A duration with its unit, at most a day (src/core/duration.ts). Any value is taken so that a
 * YAML number gets the fix (`5: add a unit, 5s or 5000ms`) rather than zod's "expected string";
 * editors see the string pattern the JSON Schema declares.
 */
const durationRead = (read: (value: unknown) => number | string) =>
  z
    .unknown()
    .meta({ type: 'string', pattern: DURATION_PATTERN })
    .describe(`A duration with its unit: 500ms, 10s, 5m, 1h (at most ${MAX_DURATION_TEXT}); a bare number is refused.`)
    .transform(valueOrProblem(read));
export const duration = durationRead(readDuration);
/** A timeout: `0` is told it must be more than 0, not to add a unit that is refused next. */
const positiveDuration = durationRead(readPositiveDuration);

/** Certificate thresholds are days: `14d`, `2w` is not accepted, a bare number means days. */
const days = z
  .union([z.string(), z.number().min(0)])
  .describe('Days: 14d, or a number of days.')
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value * DAY_MS : parseDuration(value);
    if (ms === undefined || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a number of days such as 14d` });
      return z.NEVER;
    }
    return ms / DAY_MS;
  });

const resolverAddress = z.string().refine(isResolverAddress, {
  message: 'must be an IP address with an optional port, such as "1.1.1.1", "127.0.0.1:5353" or "[::1]:53"',
});

const certificateThresholds = z.strictObject({
  /** Days left at or below which the certificate makes the service degraded. */
  degraded: days.optional(),
  /** Days left at or below which it is down; 0d means only an expired certificate is down. */
  down: days.optional(),
});

/** Settings that `defaults` sets for every service and any service may override. */
const settingsShape = {
  timeout: positiveDuration.optional().describe(`Budget for one attempt of a service: DNS, TCP, TLS and HTTP together, with its unit: 10s, 500ms, at most ${MAX_DURATION_TEXT} (default 10s).`),
  retries: z.number().int().min(0).max(10).optional().describe('Extra attempts after a failure (default 1).'),
  resolvers: z.array(resolverAddress).optional().describe('DNS servers: "1.1.1.1", "127.0.0.1:5353", "[::1]:53". Empty: the system resolver.'),
  latency: z.strictObject({ degraded: duration.optional().describe('HTTP total time above this is degraded, with its unit: 2s, 800ms (default 2s).') }).optional(),
  certificate: certificateThresholds.optional().describe('Days left on the earliest-expiring certificate that make a service degraded or down.'),
  ...proxySetting(),
};

const defaultsSchema = z.strictObject({
  ...settingsShape,
  concurrency: z.number().int().min(1).max(100_000).optional().describe('Services probed at once (default 64).'),
});

const statusExpectation = z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))]).transform(valueOrProblem(parseStatusExpectation));

const regex = z.string().transform((source, ctx) => {
  try {
    return new RegExp(source);
  } catch (error) {
    // V8 says it again: "Invalid regular expression: /(x/: Unterminated group".
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` });
    return z.NEVER;
  }
});

const httpSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET or HEAD')
    .transform((m) => m.toUpperCase())
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  expect: z
    .strictObject({
      status: statusExpectation.optional(),
      body: z.string().min(1).optional(),
      bodyRegex: regex.optional(),
    })
    .optional(),
  followRedirects: z.number().int().min(0).max(50).optional(),
  assets: z
    .union([z.boolean(), z.strictObject({ max: z.number().int().min(1).max(50).optional() })])
    .optional()
    .describe('Check the hosts the page loads images, scripts, styles and frames from (DNS, TLS, HEAD); true or { max: 10 }.'),
});

const dnsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  type: z.enum(DNS_RECORD_TYPES).optional(),
  expect: z.array(z.string()).min(1).optional(),
  resolvers: z
    .array(z.union([z.literal('system'), resolverAddress]))
    .min(2, 'list at least two resolvers to compare')
    .optional()
    .describe('With compare: true, resolvers to ask side by side: "system", "1.1.1.1", "127.0.0.1:5353".'),
  compare: z.boolean().optional().describe('Ask every resolver in dns.resolvers and report where they disagree.'),
});

const tlsSchema = z.strictObject({
  certificate: certificateThresholds.optional(),
  /** Path to a PEM bundle trusted in addition to the system roots (an internal CA). */
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional().describe('Client certificate (PEM, may include intermediates) for servers that require one; a path relative to the config file.'),
  key: z.string().min(1).optional().describe("The client certificate's private key (PEM); a path relative to the config file."),
  passphrase: z.string().min(1).optional().describe('Passphrase of an encrypted tls.key, e.g. "${KEY_PASSPHRASE}"; never printed.'),
});

/**
 * `proxy`: an HTTP proxy URL, or false to connect directly whatever the environment says. A
 * function so it can sit in the settings above while being declared with the other targets.
 */
function proxySetting() {
  return {
    proxy: z
      .union([notASwitch('write false to connect directly, or the proxy\'s URL').pipe(target(parseProxyUrl)), z.literal(false)])
      .optional()
      .describe('HTTP proxy for this service, http://[user:pass@]host:port; false: connect directly. Default: the proxy variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, either case).'),
  };
}

/**
 * YAML 1.1 read yes, no, on and off as booleans; YAML 1.2, which outage reads, as text. Where
 * text is valid too (`proxy: off`, once a proxy host named "off": every service down), such a
 * word is refused with the fix.
 */
export const SWITCH_WORD = /^(y|yes|n|no|on|off|true|false)$/i;
export const SWITCH_HINT = '(YAML 1.2 reads yes, no, on and off as text)';

function notASwitch(fix: string) {
  return z.string().superRefine((text, ctx) => {
    if (SWITCH_WORD.test(text.trim())) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is text, not a switch ${SWITCH_HINT}: ${fix}`, abort: true });
  });
}

/** A string checked by a target parser that returns an error message or a parsed value. */
function target(parse: (text: string) => unknown) {
  return z.string().superRefine((text, ctx) => {
    const parsed = parse(text);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });
}

const statusSchema = z.strictObject({
  url: target(parseUrlTarget).describe("The vendor's status API, e.g. https://www.githubstatus.com/api/v2/summary.json."),
  kind: z.enum(STATUS_KINDS).optional().describe('The status page product; recognised from the URL or the body when left out.'),
});

export const serviceSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').describe('Unique name, shown in every output and usable as a command-line target.'),
  url: target(parseServiceUrl).optional().describe('An http:// or https:// URL: runs dns, tcp, tls (https) and http probes.'),
  tcp: target(parseHostPort).optional().describe('host:port (IPv6 as [::1]:5432): runs dns and tcp probes.'),
  tags: z.array(z.string().min(1)).optional().describe('Labels for --tag selection.'),
  critical: z.boolean().optional().describe('false: shown, but never affects the status or exit code (default true).'),
  ...settingsShape,
  http: httpSchema.optional().describe('HTTP request and expectations for a url service.'),
  dns: z.union([dnsSchema, z.literal(false)]).optional().describe('DNS options; false disables the DNS probe; with name, a DNS-only service.'),
  tls: z.union([tlsSchema, z.literal(false)]).optional().describe('Certificate thresholds, extra trust and a client certificate; false: do not judge the certificate.'),
  hosts: z.array(target(parseUrlTarget)).max(20).optional().describe('Other URLs the service depends on (API, login, CDN): each host checked with DNS, TCP, TLS and a HEAD.'),
  status: z
    .union([target(parseUrlTarget), statusSchema, z.literal(false)])
    .optional()
    .describe("The vendor's status endpoint (URL or { url, kind }), shown beside what was measured; false turns a catalog entry's off."),
  catalog: z.string().min(1).optional().describe('Start from this built-in catalog entry (see `outage catalog`) and override its keys.'),
});

/**
 * A module: named options for targets given at request time (`outage serve`'s
 * `/probe?target=…&module=name`), like a blackbox_exporter module. Everything a service may set
 * except what names or selects it: the target comes with the request.
 */
export const moduleSchema = serviceSchema.omit({ name: true, url: true, tcp: true, tags: true, critical: true, catalog: true, hosts: true, status: true });


const vantageSchema = z
  .strictObject({
    url: target(parseUrlTarget),
    name: z.string().trim().min(1).max(40).optional(),
    module: z.string().regex(MODULE_NAME).optional(),
    token: z
      .string()
      .regex(BEARER_TOKEN, 'a bearer token is 1-4096 printable ASCII characters without spaces')
      .optional()
      .describe('Sent as Authorization: Bearer (the exporter\'s bearer_token_hashes); write it as ${VAR} to keep it out of the file.'),
  })
  .superRefine((vantage, ctx) => {
    if (vantage.token !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(vantage.url)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give credentials in the url or a token, not both' });
    }
  });

export const configSchema = z
  .strictObject({
    /** JSON Schema reference for editors; ignored by outage. */
    $schema: z.string().optional(),
    defaults: defaultsSchema.optional().describe('Settings for every service; any service may override them.'),
    services: z
      .array(z.union([z.string().min(1), serviceSchema]))
      .optional()
      .describe('The services to check, in the order they are reported: service objects, or catalog names such as slack.'),
    canaries: z
      .array(serviceSchema)
      .optional()
      .describe('Highly available targets that tell a local network problem from outages; [] turns the diagnosis off.'),
    vantages: z
      .array(z.union([target(parseUrlTarget), vantageSchema]))
      .optional()
      .describe('Other places running `outage serve` to ask about the same services (like --from): URLs, or { url, name, module, token }.'),
    modules: z
      .record(z.string().regex(MODULE_NAME, 'a module name is 1-64 letters, digits, "_", "-" or "."'), moduleSchema)
      .optional()
      .describe('For `outage serve`: named options (timeout, http expectations, tls, resolvers, …) that /probe?module=name applies to the target it is given, like blackbox_exporter modules.'),
  })
  .meta({ title: 'outage configuration', description: 'Configuration for the outage command-line checker.' });

export type ServiceInput = z.infer<typeof serviceSchema>;
export type ConfigInput = z.infer<typeof configSchema>;
export type DefaultsInput = NonNullable<ConfigInput['defaults']>;
export type ModuleInput = z.infer<typeof moduleSchema>;

/**
 * The keys allowed at each place in the config, for "did you mean" hints. Keyed by the name of
 * the parent key (`''` for the top level, `services` for a service).
 */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema.shape),
  defaults: Object.keys(defaultsSchema.shape),
  services: Object.keys(serviceSchema.shape),
  canaries: Object.keys(serviceSchema.shape),
  modules: Object.keys(moduleSchema.shape),
  vantages: ['url', 'name', 'module', 'token'],
  status: Object.keys(statusSchema.shape),
  assets: ['max'],
  http: Object.keys(httpSchema.shape),
  expect: ['status', 'body', 'bodyRegex'],
  dns: Object.keys(dnsSchema.shape),
  tls: Object.keys(tlsSchema.shape),
  latency: ['degraded'],
  certificate: Object.keys(certificateThresholds.shape),
};
