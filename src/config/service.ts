/**
 * A service after validation: every default filled in, every target parsed. This is what the
 * planner and the probes see; nothing downstream has to guess or re-validate.
 */
import type { StatusRange } from '../core/http-status-range.js';
import type { StatusKind } from '../core/vendor-status.js';
import type { DnsRecordType } from '../core/dns-record.js';
import type { AddressGuard } from '../core/failure.js';
import type { ProxySettings } from './proxy.js';

export const DEFAULTS = {
  timeoutMs: 10_000,
  retries: 1,
  concurrency: 64,
  latencyDegradedMs: 2_000,
  certificateDegradedDays: 14,
  certificateDownDays: 0,
  method: 'GET',
  expectStatus: [[200, 399]] as StatusRange[],
  // As browsers (Chrome, Firefox: 20): a sign-in chain of six or more hops is not an outage.
  followRedirects: 20,
  /** Bodies are read up to this size: enough for any content check, bounded for hostile servers. */
  maxBodyBytes: 1024 * 1024,
  /** Distinct asset hosts checked per page with `http.assets: true`. */
  maxAssetHosts: 10,
  /** Status bodies can be large (Google Cloud's lists every incident ever), so they may be larger. */
  maxStatusBodyBytes: 16 * 1024 * 1024,
} as const;

export interface Endpoint {
  protocol: 'http' | 'https' | 'tcp';
  /** ASCII (punycode) host name or IP literal without brackets. */
  host: string;
  port: number;
  /** True when `host` is an IP literal: no DNS lookup is needed. */
  isIp: boolean;
  /** For http(s): the URL to request, user-info removed (it becomes an Authorization header). */
  url?: URL;
}

export interface CertificateThresholds {
  degradedDays: number;
  downDays: number;
}

export interface DnsSpec {
  name: string;
  /** Record types to query. Address targets query A and AAAA, as a browser does. */
  types: DnsRecordType[];
  expect?: string[];
  /**
   * `dns.compare`: these resolvers are asked side by side (`system` or an address), and where they
   * disagree is reported — some SERVFAIL while others answer is the Facebook 2021 pattern.
   */
  compare?: string[];
}

export interface TlsSpec {
  certificate: CertificateThresholds;
  /** false with `tls: false`: the handshake still happens, the certificate is not judged. */
  verify: boolean;
  /** Extra trusted roots (PEM) from `tls.ca`, on top of the system roots. */
  ca?: string;
  caFile?: string;
  /** `tls.cert` and `tls.key`: presented to servers that ask for a client certificate. */
  client?: ClientCertificate;
}

/** A client certificate, read and checked when the config is loaded. */
export interface ClientCertificate {
  /** PEM: the certificate, optionally followed by its intermediates. */
  cert: string;
  /** PEM private key, encrypted when `passphrase` is set. */
  key: string;
  /** A secret: collected for redaction, never printed. */
  passphrase?: string;
  certFile: string;
  keyFile: string;
}

export interface HttpSpec {
  method: string;
  headers: Record<string, string>;
  body?: string;
  expectStatus: StatusRange[];
  expectBody?: string;
  expectBodyRegex?: RegExp;
  followRedirects: number;
  maxBodyBytes: number;
}

/** `status`: the vendor's own status endpoint, fetched through the same probes as any service. */
export interface StatusSpec {
  url: string;
  /** Undefined: recognised from the URL, else from the body's shape. */
  kind?: StatusKind;
  check: ServiceSpec;
}

/**
 * Other hosts a service depends on, each checked with DNS, TCP, TLS and a HEAD: those named in
 * `hosts` (an API host, a login host) and, with `http.assets`, those the page loads assets from.
 */
export interface HostsSpec {
  configured: ServiceSpec[];
  /** With `http.assets`: at most this many distinct asset hosts from the page. */
  assets?: { max: number };
}

/** What a config read from standard input is called in messages (it has no path of its own). */
export const STDIN_NAME = 'stdin';

export interface ServiceSpec {
  name: string;
  /** What the user sees as the target: URL without credentials, host:port, or a DNS name. */
  target: string;
  tags: string[];
  critical: boolean;
  endpoint?: Endpoint;
  timeoutMs: number;
  retries: number;
  resolvers: string[];
  latencyDegradedMs: number;
  dns: DnsSpec | false;
  tls?: TlsSpec;
  http?: HttpSpec;
  hosts?: HostsSpec;
  status?: StatusSpec;
  /** The catalog entry this service came from, when it did. */
  catalog?: string;
  /** Its proxies (the `proxy` key, else the environment's): `proxyFor` picks one per connection. */
  proxy?: ProxySettings;
  /**
   * Addresses this service must not connect to, asked before every socket opens (redirect hops
   * and subchecks included). Set by `outage serve`, never by the config file.
   */
  addressGuard?: AddressGuard;
}

export interface RunSettings {
  concurrency: number;
}

export interface ResolvedConfig {
  services: ServiceSpec[];
  /** Canaries for the local-network diagnosis; undefined means the built-in ones. */
  canaries?: ServiceSpec[];
  settings: RunSettings;
  /** Values that must never be printed: interpolated env values, URL passwords, auth headers. */
  secrets: string[];
  file?: string;
}
