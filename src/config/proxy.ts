/**
 * Which proxy a URL goes through, decided as curl decides it: the `proxy` key (service ›
 * defaults) or else the environment, and NO_PROXY over both. Everything here is read when the
 * config is loaded; the probes and the net layer (src/net/proxy.ts) only ask `proxyFor`.
 *
 * The environment, as curl reads it (everything.curl.dev, "Proxy environment variables"):
 * - https:// URLs: `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY`;
 * - http:// URLs: `http_proxy`, else `HTTP_PROXY`, else `all_proxy`, else `ALL_PROXY`. curl
 *   ignores upper-case `HTTP_PROXY`, because in a CGI program it is set from the request's `Proxy:`
 *   header, so a client could choose the proxy (httpoxy, CVE-2016-5385). But many runners and
 *   containers set only the upper-case names, and there every http:// check went around the only
 *   way out and was down: a false alarm. Like Go and Python, outage ignores it only in a CGI
 *   program (`REQUEST_METHOD` set);
 * - `no_proxy`, else `NO_PROXY` (see no-proxy.ts); it also applies to a configured `proxy`, as
 *   curl's NO_PROXY applies to `-x`;
 * - a variable set to the empty string means no proxy, and stops the search.
 * `tcp:` services use only a proxy named in their own `proxy` key (a CONNECT tunnel to host:port):
 * the environment and `defaults.proxy` are about URLs.
 */
import { ipVersion } from '../core/ip-version.js';
import type { ConfigProblem } from '../core/errors.js';
import { bypassesProxy, parseNoProxy, type NoProxyRule } from './no-proxy.js';
import { isLoopbackHost, unbracket } from '../core/domain.js';
import { readUserInfo } from './user-info.js';

/** An HTTP proxy outage talks to. */
export interface ProxyServer {
  /** `http://host:port`, without credentials: what outputs show. */
  url: string;
  host: string;
  port: number;
  isIp: boolean;
  /** `Basic …` from the URL's user-info, sent as Proxy-Authorization: a secret. */
  authorization?: string;
  /** Where it was set: `proxy` (the config key) or the environment variable's name. */
  from: string;
}

/** A service's proxies, by the scheme of what it connects to. */
export interface ProxySettings {
  http?: ProxyServer;
  https?: ProxyServer;
  tcp?: ProxyServer;
  noProxy: NoProxyRule[];
}

/** The proxy for one connection, or undefined to connect directly. */
export function proxyFor(settings: ProxySettings | undefined, protocol: 'http' | 'https' | 'tcp', host: string, port: number): ProxyServer | undefined {
  const server = settings?.[protocol];
  if (!server || bypassesProxy(settings.noProxy, host, port)) return undefined;
  // HTTP_PROXY is read as Go reads it, and Go never sends localhost or a loopback address to it:
  // outage ignored the variable before, so `wait http://localhost:3000` on a runner that sets
  // only HTTP_PROXY kept reaching the local service, and must go on doing so.
  if (server.from === 'HTTP_PROXY' && isLoopbackHost(host)) return undefined;
  return server;
}

/** curl's default proxy port. */
const DEFAULT_PORT = 1080;

/** A proxy URL (`http://[user:pass@]host[:port]`, scheme optional as in curl), or what is wrong with it. */
export function parseProxyUrl(text: string, from = 'proxy'): { server: ProxyServer; secrets: string[] } | string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return 'not a proxy URL such as http://proxy.example:3128';
  }
  if (url.protocol !== 'http:') {
    return `${url.protocol.slice(0, -1)} proxies are not supported: outage talks to its proxy in plain HTTP (http://host:port)`;
  }
  const host = unbracket(url.hostname);
  if (!host) return 'not a proxy URL such as http://proxy.example:3128';
  const credentials = readUserInfo(url);
  if (typeof credentials === 'string') return credentials;
  const authorization = credentials?.authorization;
  const secrets = credentials ? [...credentials.secrets, text] : [];
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  const shown = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { server: { url: shown, host, port, isIp: ipVersion(host) !== 0, ...(authorization ? { authorization } : {}), from }, secrets };
}

type EnvProxy = { server: ProxyServer } | { problem: string } | undefined;

/** The proxy variables of an environment, read once per load. */
export interface ProxyEnvironment {
  http: EnvProxy;
  https: EnvProxy;
  noProxy: NoProxyRule[];
  /** Credentials in any proxy variable: redacted whether or not a service uses it. */
  secrets: string[];
}

export function readProxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const secrets: string[] = [];
  const pick = (names: string[]): EnvProxy => {
    const name = names.find((n) => env[n] !== undefined);
    const value = name === undefined ? undefined : env[name]?.trim();
    if (name === undefined || !value) return undefined;
    const parsed = parseProxyUrl(value, name);
    if (typeof parsed === 'string') return { problem: `${name}: ${parsed}` };
    secrets.push(...parsed.secrets);
    return { server: parsed.server };
  };
  const http = pick(['http_proxy', ...(env.REQUEST_METHOD === undefined ? ['HTTP_PROXY'] : []), 'all_proxy', 'ALL_PROXY']);
  const https = pick(['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']);
  // Credentials in a variable that is not used (HTTP_PROXY in a CGI program, or one shadowed by another) are secrets too.
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
    const parsed = env[name]?.trim() ? parseProxyUrl(env[name].trim(), name) : undefined;
    if (parsed && typeof parsed !== 'string') secrets.push(...parsed.secrets);
  }
  return { http, https, noProxy: parseNoProxy(env.no_proxy ?? env.NO_PROXY), secrets };
}

export interface ResolvedProxy {
  settings?: ProxySettings;
  problems: ConfigProblem[];
  secrets: string[];
}

/**
 * A service's proxy settings, for its own connection and for those its redirects and subchecks
 * open. `own` and `defaults` are the `proxy` keys: a URL, `false` for none, undefined for the
 * environment's. A tcp: service uses only its own key. A variable outage cannot use is a problem
 * only for a service whose first connection would go through it.
 */
export function resolveProxy(
  keys: { own?: string | false; defaults?: string | false },
  target: { protocol: 'http' | 'https' | 'tcp'; host: string; port: number },
  environment: ProxyEnvironment,
  path: string,
): ResolvedProxy {
  const { noProxy } = environment;
  const key = keys.own ?? keys.defaults;
  const problems: ConfigProblem[] = [];
  const secrets: string[] = [];
  let http: ProxyServer | undefined;
  let https: ProxyServer | undefined;
  if (typeof key === 'string') {
    const parsed = parseProxyUrl(key);
    // The schema has checked the key already; this only keeps the types honest.
    if (typeof parsed === 'string') return { problems: [{ path: `${path}.proxy`, message: parsed }], secrets };
    http = https = parsed.server;
    secrets.push(...parsed.secrets);
  } else if (key === undefined) {
    const usable = (proxy: EnvProxy) => (proxy && 'server' in proxy ? proxy.server : undefined);
    http = usable(environment.http);
    https = usable(environment.https);
    const first = target.protocol === 'tcp' ? undefined : environment[target.protocol];
    if (first && 'problem' in first && !bypassesProxy(noProxy, target.host, target.port)) {
      problems.push({ path, message: `${first.problem} (set NO_PROXY, or proxy: false for this service, to connect directly)` });
    }
  }
  const tcp = target.protocol === 'tcp' && typeof keys.own === 'string' ? http : undefined;
  if (!http && !https && !tcp) return { problems, secrets };
  return { settings: { ...(http ? { http } : {}), ...(https ? { https } : {}), ...(tcp ? { tcp } : {}), noProxy }, problems, secrets };
}
