/**
 * The hostname check of a handshake, without Node converting the whole chain to JS objects.
 *
 * After every verified handshake Node calls `getPeerCertificate(true)` for its hostname check:
 * each certificate of the chain copied into a JS object, with its raw DER, ~0.7 ms a connection
 * — at a thousand services the largest cost of outage's CPU. The certificate is already parsed
 * (`getPeerX509Certificate()`, which the chain inspection uses anyway), so Node's own
 * `tls.checkServerIdentity` is given the names from it: the same check, the same verdicts.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { ipVersion } from '../core/ip-version.js';

const parsed = new WeakMap<TLSSocket, X509Certificate | undefined>();

/** The server's certificate as Node parsed it, once per connection. */
export function peerX509(socket: TLSSocket): X509Certificate | undefined {
  if (!parsed.has(socket)) parsed.set(socket, socket.getPeerX509Certificate());
  return parsed.get(socket);
}

/** `CN=a\nO=b` as Node's legacy certificate object has it: { CN: 'a', O: 'b' }, repeated fields as arrays. */
function subjectFields(subject: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const line of subject.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const [key, value] = [line.slice(0, at), line.slice(at + 1)];
    const known = fields[key];
    fields[key] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  return fields;
}

const DEFERRED = Symbol('outage.deferredPeerCertificate');

/**
 * Options for `tls.connect` and the step to take on the socket it returns: Node's own
 * `getPeerCertificate(true)` is deferred until a check really needs it.
 */
export interface FastIdentityCheck {
  checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined;
  attach: (socket: TLSSocket) => void;
  /** Puts Node's own method back (a failed handshake never asked for it). */
  detach: () => void;
}

/** Node's own check; node:tls loads with the first handshake, not with every check. */
function nodeCheck(host: string, cert: PeerCertificate): Error | undefined {
  return process.getBuiltinModule('node:tls').checkServerIdentity(host, cert);
}

export function fastIdentityCheck(): FastIdentityCheck {
  let socket: TLSSocket | undefined;
  return {
    attach(tlsSocket) {
      socket = tlsSocket;
      const original = Object.getPrototypeOf(tlsSocket).getPeerCertificate as TLSSocket['getPeerCertificate'];
      // Only the call Node makes for its hostname check is deferred; the override goes after it.
      Object.defineProperty(tlsSocket, 'getPeerCertificate', {
        configurable: true,
        writable: true,
        value: function (this: TLSSocket, detailed?: boolean) {
          return detailed ? { [DEFERRED]: true } : original.call(this, detailed);
        },
      });
    },
    detach() {
      if (socket && Object.hasOwn(socket, 'getPeerCertificate')) delete (socket as { getPeerCertificate?: unknown }).getPeerCertificate;
    },
    checkServerIdentity(host, cert) {
      if (!socket || !(cert as { [DEFERRED]?: boolean })[DEFERRED]) return nodeCheck(host, cert);
      const own = socket;
      delete (own as { getPeerCertificate?: unknown }).getPeerCertificate;
      const x509 = peerX509(own);
      // Node's own check, on the names of the certificate it already parsed. (Once
      // getPeerX509Certificate() has run, Node 20's getPeerCertificate(true) returns an empty object.)
      return nodeCheck(host, { subject: x509 ? subjectFields(x509.subject) : {}, subjectaltname: x509?.subjectAltName } as PeerCertificate);
    },
  };
}

/**
 * Where Node's hostname check is more lenient than browsers, curl and Go (blackbox_exporter),
 * the reason their stricter check fails; undefined when it passes. Node falls back to the
 * subject CN whenever the subjectAltName lists no DNS name (also beside an IP address), and lets
 * `*` stand for part of a label (`w*.example.com`); browsers, Go and curl match a host name
 * against DNS names only, and `*` only as the whole leftmost label. Only asked of a certificate
 * Node accepted, so it can only make the check stricter. IP hosts are Node's: IP SANs only.
 */
export function stricterNameFailure(host: string, altNames: string | undefined): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (ipVersion(name) || name.startsWith('[')) return undefined;
  const entries = splitAltNames(altNames ?? '');
  const dnsNames = entries.filter((e) => e.kind === 'DNS').map((e) => e.value.toLowerCase().replace(/\.$/, ''));
  if (dnsNames.length === 0) {
    return entries.length === 0
      ? `certificate names ${host} only in its subject CN, with no subjectAltName: browsers and Go reject it`
      : `certificate names ${host} only in its subject CN; its subjectAltName has no DNS name (${entries.slice(0, 3).map((e) => `${e.kind}:${e.value}`).join(', ')}${entries.length > 3 ? ', …' : ''}): browsers and Go reject it`;
  }
  if (dnsNames.some((pattern) => wholeLabelMatch(name, pattern))) return undefined;
  const partial = dnsNames.find((pattern) => pattern.split('.')[0]!.includes('*'));
  return `certificate covers ${host} only by the partial wildcard ${partial ?? dnsNames[0]}, which browsers, curl and Go do not accept (a * must be the whole leftmost label)`;
}

/** An exact name, or `*.rest` for exactly one label before `rest` (which has at least two labels, as Node requires). */
function wholeLabelMatch(host: string, pattern: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.') || pattern.split('.').length < 3) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
}

/**
 * The names a certificate covers, for a reason: the first few and how many more. A shared CDN
 * certificate lists a hundred customers' names, and all of them in a reason filled a Nagios line's
 * 1024 bytes and a Slack message with names that say nothing about the failure.
 */
export function coveredNames(altNames: string, most = 4): string {
  const values = splitAltNames(altNames).map((e) => e.value);
  const shown = values.slice(0, most).join(', ');
  return values.length > most ? `${shown} and ${values.length - most} more` : shown;
}

/** `DNS:a.test, IP Address:127.0.0.1, DNS:"odd, name"` as Node writes it (values with a comma or quote are JSON strings). */
function splitAltNames(text: string): { kind: string; value: string }[] {
  const entries: { kind: string; value: string }[] = [];
  const entry = /\s*([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)/y;
  for (let match = entry.exec(text); match && match[0] !== ''; match = entry.exec(text)) {
    const raw = match[2]!.trim();
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        // Not a JSON string after all: kept as written.
      }
    }
    entries.push({ kind: match[1]!.trim(), value });
  }
  return entries;
}
