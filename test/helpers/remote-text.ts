/**
 * Output safety, the invariants every output of outage keeps whatever a target sends (issue 12,
 * class 8), and a report whose every free-text field a test can fill with hostile text.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CommonCause, LocalNetwork } from '../../src/core/result.js';
import type { ProbeResult, Report, ServiceResult } from '../../src/probes/result.js';
import { buildReport } from '../../src/report/report.js';

/** Pieces that attack a terminal, a CI log, XML or markdown, and their neighbours. */
const PIECES = [
  '\u001b[31m', '\u001b]0;title\u0007', '\u001b[2J', '\u009b2J', '\u0090', '\u007f', '\u0000', '\r', '\n', '\r\n', '\u000b', '\u000c', '\t', '\u0085', '\u2028', '\u2029',
  '::error::pwned', '::warning file=x::y', '::add-mask::', ' ::', '\u00a0::', '\u3000::', '\t::', ':', '::',
  '##[error]x', '##vso[task.setvariable variable=X]y', '##VSO[', '##', '#', '[', ']',
  '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u061c', '\u200b', '\u2060', '\ufeff', '\u00ad', '\udb40\udc41', '\ud800', '\udfff',
  '<', '>', '&', '"', "'", ']]>', '</failure><x>', '<!--', '&amp;', '|', '`', '```', '*', '_', '~', '\\', '!',
  '[click](javascript:alert(1))', '![i](http://192.0.2.1/i.png)', '<img src=x onerror=alert(1)>', '<script>',
  '%0A', '%0D', '%25', '%3A', ',', '=', '{', '}', ' ', 'a', 'ünï', '🚨', '👩\u200d💻', 'e\u0301',
];

/** Any text a server could send: hostile pieces joined, arbitrary code units, arbitrary bytes. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
);

const T = 'TEXT';
const cert = { subject: T, issuer: T, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', daysLeft: 30, serialNumber: T, fingerprint256: T };
const attempt = { address: T, durationMs: 1, code: 'tcp.refused' as const, error: T };

/** One probe of every kind, each detail that holds text filled with TEXT. */
function probes(status: 'up' | 'down'): ProbeResult[] {
  const base = { status, code: status === 'up' ? null : ('http.status' as const), reason: T, durationMs: 5, attempts: 2 };
  const firstFailure = { status: 'down' as const, code: 'tcp.reset' as const, reason: T };
  return [
    {
      kind: 'dns',
      ...base,
      details: {
        name: T,
        resolvers: [T],
        source: 'dns',
        records: [{ type: 'TXT', value: T, ttl: 60 }, { type: 'AAAA', value: T }],
        cnameChain: [T, T],
        nameServers: [T],
        partialFailures: [{ type: 'AAAA', code: 'dns.timeout', reason: T }],
        byResolver: [{ resolver: T, values: [T], durationMs: 1 }, { resolver: T, failure: { code: 'dns.servfail', reason: T }, durationMs: 1 }],
        firstFailure,
      },
    },
    { kind: 'tcp', ...base, details: { address: T, port: 443, attempts: [attempt] } },
    {
      kind: 'proxy',
      ...base,
      details: { proxy: T, from: T, address: T, target: T, mode: 'tunnel', resolvedByProxy: T, lookupMs: 1, connectMs: 1, tunnelMs: 1, answer: 200, attempts: [attempt] },
    },
    {
      kind: 'tls',
      ...base,
      details: { protocol: T, cipher: T, alpn: T, authorized: false, authorizationError: T, daysLeft: 30, earliest: { subject: T, validTo: cert.validTo }, chain: [cert, cert], presented: [cert] },
    },
    {
      kind: 'http',
      ...base,
      timings: { dns: 1, connect: 1, tls: 1, ttfb: 1, transfer: 1, total: 5 },
      details: { status: 503, url: T, hops: [{ url: T, status: 302, durationMs: 1 }, { url: T, status: 503, durationMs: 1 }], bodyBytes: 10, bodyTruncated: false, contentType: T, firstFailure },
    },
    {
      kind: 'hosts',
      ...base,
      details: { assets: true, assetHostsFound: 1, hosts: [{ host: T, url: T, source: 'page', status: 'down', code: 'tcp.refused', reason: T, durationMs: 1, address: T, issuer: T, cnameTarget: T }] },
    },
    {
      kind: 'status',
      ...base,
      details: { url: T, vendor: { kind: 'statuspage', indicator: 'major', description: T, incidents: [{ name: T, impact: T, status: T, url: T, update: T }], components: [{ name: T, status: T }] } },
    },
  ];
}

function service(status: ServiceResult['status'], critical: boolean): ServiceResult {
  return {
    name: T,
    target: T,
    status,
    code: status === 'up' ? null : 'http.status',
    reason: T,
    critical,
    tags: [T],
    durationMs: 9,
    thresholds: { latencyDegradedMs: 2000, certificateDegradedDays: 14, certificateDownDays: 0 },
    probes: probes(status === 'up' ? 'up' : 'down'),
    vendor: { url: T, indicator: 'major', words: T, code: 'vendor.incident', incidents: [{ name: T, impact: T, status: T, url: T, update: T }] },
  };
}

const localNetwork: LocalNetwork = { ok: false, verdict: 'local network problem', layers: [T], reason: T, canaries: [{ name: T, target: T, status: 'down', code: 'dns.timeout', reason: T }] };
const commonCauses: CommonCause[] = [
  { kind: 'cname', value: T, summary: T, services: [T] },
  { kind: 'issuer', value: T, summary: T, services: ['other'] },
];

/**
 * Every TEXT of the template replaced in turn. Other strings are outage's own words (a status, a
 * kind, a code, a timestamp) that renderers look up and a target never chooses.
 */
function fill(value: unknown, next: () => string): unknown {
  if (typeof value === 'string') return value === T ? next() : value;
  if (Array.isArray(value)) return value.map((v) => fill(v, next));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, next)]));
}

/**
 * A report with a service of every status (one non-critical), every probe kind, a vendor summary,
 * a local-network verdict and common causes, its every free-text string taken in turn from `texts`.
 */
export function reportWith(texts: string[]): Report {
  const built = buildReport(
    [service('up', true), service('degraded', true), service('down', true), service('unknown', true), service('down', false)],
    { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 1234, failOn: 'degraded', interrupted: false },
  );
  let i = 0;
  const next = () => texts[i++ % texts.length] as string;
  return fill({ ...built, warnings: [T], localNetwork, commonCauses }, next) as Report;
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
// Any control but the newline, line separators, invisible format characters (ZWNJ and ZWJ join
// letters and emoji and are harmless), and lone surrogates.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}|\p{Cs}/u;
/** An Azure Pipelines or legacy Actions logging command, anywhere in a line. */
const LOGGING_COMMAND = /##(vso)?\[/i;
/** The workflow commands `--format github` writes itself: error, warning or notice, a title free of raw `:`. */
const OWN_COMMAND = /^::(error|warning|notice) title=outage%3A [^:\n]*::/;

/**
 * What no output may hold, whatever a target sent: raw controls (colour codes aside, in coloured
 * output), format characters, a logging command, or a line that — after the blanks the Actions
 * runner trims — starts with `::`, unless it is one of `--format github`'s own annotations:
 * `commands` says how many there are, or `'own'` when another run's count cannot say.
 */
export function expectSafeOutput(output: string, where: string, options: { colored?: boolean; commands?: number | 'own' } = {}): void {
  const text = options.colored ? output.replace(SGR, '') : output;
  const raw = RAW.exec(text);
  expect(raw && `U+${raw[0].codePointAt(0)?.toString(16)} at ${raw.index}: ${JSON.stringify(text.slice(Math.max(0, raw.index - 30), raw.index + 30))}`, `${where}: raw character`).toBeNull();
  const command = LOGGING_COMMAND.exec(text);
  expect(command && JSON.stringify(text.slice(Math.max(0, command.index - 30), command.index + 30)), `${where}: logging command`).toBeNull();
  const starts = text.split('\n').filter((line) => line.replace(/^\s+/u, '').startsWith('::'));
  for (const line of starts) expect(line, `${where}: a line starting with ::`).toMatch(OWN_COMMAND);
  if (options.commands !== 'own') expect(starts.length, `${where}: lines starting with ::`).toBe(options.commands ?? 0);
}
