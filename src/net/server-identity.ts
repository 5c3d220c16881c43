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
