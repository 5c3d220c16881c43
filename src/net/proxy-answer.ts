/**
 * What a proxy's answer means. A CONNECT that is not answered 2xx, or a plain-http response the
 * proxy wrote itself, is classified: the proxy's own failures get `proxy.*` codes (never the
 * target's outage), and a failure the proxy met at the target — when it says which — gets the
 * target's own code, as if outage had connected itself. What a proxy says is read from, most
 * trusted first: RFC 9209's `Proxy-Status` header, squid's `X-Squid-Error`, then the wording of
 * the status line and error page (tinyproxy, squid and most others).
 */
import type { Failure, FailureCode } from '../core/failure.js';
import type { ProxyServer } from '../config/proxy.js';

export interface ProxyAnswer {
  status: number;
  /** The status line's reason phrase, when it was read (CONNECT answers). */
  statusText?: string;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The start of the body, as text. */
  body: string;
}

export interface AnswerContext {
  proxy: ProxyServer;
  /** host:port asked for. */
  target: string;
  /** True for a CONNECT answer: everything in it is the proxy's. */
  tunnel: boolean;
}

/** RFC 9209 error types → codes. Unlisted ones: the proxy failed upstream and said how, not why. */
const PROXY_STATUS: Record<string, FailureCode> = {
  dns_timeout: 'proxy.dns',
  dns_error: 'proxy.dns',
  connection_refused: 'tcp.refused',
  connection_timeout: 'tcp.timeout',
  destination_ip_unroutable: 'tcp.unreachable',
  destination_ip_prohibited: 'proxy.denied',
  http_request_denied: 'proxy.denied',
};

/** squid's ERR_CONNECT_FAIL carries the errno of its connect(2). */
const SQUID_ERRNO: Record<string, FailureCode> = { '111': 'tcp.refused', '110': 'tcp.timeout', '113': 'tcp.unreachable', '101': 'tcp.unreachable' };

/** Error-page wording, checked in order: a page that names the DNS failure is not a refusal. */
const WORDING: [RegExp, FailureCode][] = [
  [/unable to determine ip address|could not resolve|cannot resolve|name or service not known|no address associated|name resolution|dns (lookup|resolution) fail|unknown host/i, 'proxy.dns'],
  [/connection refused/i, 'tcp.refused'],
  [/connection timed out|operation timed out/i, 'tcp.timeout'],
  [/no route to host|network is unreachable|host is unreachable/i, 'tcp.unreachable'],
];

/** The failure an answer stands for; undefined when it is the target's own response (or a tunnel opened). */
export function proxyAnswerFailure(answer: ProxyAnswer, context: AnswerContext): Failure | undefined {
  const { status } = answer;
  if (context.tunnel && status >= 200 && status < 300) return undefined;
  const proxy = `proxy ${context.proxy.url}`;
  // 407 is only ever a proxy's; tinyproxy answers wrong credentials with its own 401.
  const own = context.tunnel || writtenByProxy(answer);
  if (status === 407 || (status === 401 && own)) {
    const reason = context.proxy.authorization
      ? `${proxy} rejected the credentials in its URL (${status})`
      : `${proxy} requires authentication (${status}): put user:password in the proxy URL`;
    return { code: 'proxy.auth_required', reason };
  }
  if (!own) return undefined;
  const said = `${status}${answer.statusText ? ` ${answer.statusText}` : ''}${explicitWords(answer)}`;
  const code = explicitCode(answer) ?? wordingCode(answer) ?? statusCode(status);
  const to = context.target;
  const reasons: Partial<Record<FailureCode, string>> = {
    'proxy.dns': `${proxy} cannot resolve ${to.replace(/:\d+$/, '')} (${said})`,
    'proxy.denied': `${proxy} refused to forward to ${to} (${said})`,
    'proxy.upstream_failed': `${proxy} could not reach ${to} and did not say why (${said}): the target may be down, or the proxy unable to reach it`,
    'proxy.protocol': `${proxy} answered ${said} instead of opening a tunnel to ${to}`,
  };
  const targetWords: Partial<Record<FailureCode, string>> = { 'tcp.refused': 'connection refused', 'tcp.timeout': 'connection timed out', 'tcp.unreachable': 'host unreachable' };
  return { code, reason: reasons[code] ?? `${to}: ${targetWords[code] ?? code} (reported by ${proxy}: ${said})` };
}

/** A plain-http response is the proxy's own when it says so (headers) or is its error page. */
function writtenByProxy(answer: ProxyAnswer): boolean {
  if (explicitCode(answer)) return true;
  return answer.status >= 400 && /^(tinyproxy|squid)\b/i.test(header(answer, 'server') ?? '');
}

function explicitCode(answer: ProxyAnswer): FailureCode | undefined {
  const proxyStatus = header(answer, 'proxy-status');
  const error = proxyStatus && /;\s*error=("?)([a-z_]+)\1/i.exec(proxyStatus)?.[2]?.toLowerCase();
  if (error) return PROXY_STATUS[error] ?? (answer.status < 500 ? 'proxy.denied' : 'proxy.upstream_failed');
  const squid = header(answer, 'x-squid-error');
  if (!squid) return undefined;
  const [name = '', errno = ''] = squid.trim().split(/\s+/);
  if (name === 'ERR_DNS_FAIL') return 'proxy.dns';
  if (name === 'ERR_CONNECT_FAIL') return SQUID_ERRNO[errno] ?? 'proxy.upstream_failed';
  if (/DENIED/.test(name)) return 'proxy.denied';
  return answer.status < 500 && answer.status >= 400 ? 'proxy.denied' : 'proxy.upstream_failed';
}

function explicitWords(answer: ProxyAnswer): string {
  const words = [header(answer, 'proxy-status'), header(answer, 'x-squid-error')].filter((w): w is string => Boolean(w));
  return words.length ? `, ${words.join(', ')}` : '';
}

function wordingCode(answer: ProxyAnswer): FailureCode | undefined {
  if (answer.status < 500) return undefined;
  const text = `${answer.statusText ?? ''}\n${answer.body}`;
  return WORDING.find(([pattern]) => pattern.test(text))?.[1];
}

function statusCode(status: number): FailureCode {
  if (status >= 500) return 'proxy.upstream_failed';
  if (status >= 400) return 'proxy.denied';
  return 'proxy.protocol';
}

function header(answer: ProxyAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
