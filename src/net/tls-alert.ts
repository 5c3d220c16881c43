/**
 * What a TLS alert from the server means, above all for client certificates. Under TLS 1.2 a
 * server that requires a client certificate refuses the handshake itself (alert 40, "handshake
 * failure"). Under TLS 1.3 the client's side of the handshake is complete before the server has
 * read the client's certificate, so the refusal (alert 116, "certificate required") arrives on
 * the first read, after the HTTP request was sent. Both mean one thing to the user, so both are
 * `tls.client_cert_required`; the http probe asks here about errors that reach it after the
 * handshake (failureAfterHandshake).
 */
import type { TLSSocket } from 'node:tls';
import type { Failure } from '../core/failure.js';

/** Alerts by which a server turns down a certificate it was given (RFC 8446 §6.2). */
const CERTIFICATE_REJECTED = /^(bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|access denied)$/;

const HOW_TO = 'configure tls.cert and tls.key';

/**
 * Whether the server sent a CertificateRequest. Node has no event for it, but on the client side
 * OpenSSL fills the shared signature algorithms only from a CertificateRequest, so a server that
 * never asked leaves them empty. Read while the socket still holds its TLS state.
 */
export function serverAskedForCertificate(socket: TLSSocket): boolean {
  try {
    return socket.getSharedSigalgs().length > 0;
  } catch {
    return false;
  }
}

/**
 * Whether the server asked, remembered while the socket still knows: a server that resets the
 * connection leaves nothing to ask afterwards. Key material is logged once the server's flight
 * (CertificateRequest included) has been read, so that is when to look; only sockets that carry
 * a client certificate pay for it.
 */
export function trackCertificateRequest(socket: TLSSocket, presented: boolean): () => boolean {
  let asked = false;
  const look = () => {
    asked ||= serverAskedForCertificate(socket);
  };
  if (presented) socket.on('keylog', look);
  return () => {
    look();
    socket.off('keylog', look);
    return asked;
  };
}

/**
 * What an alert ending a handshake means when no client certificate is involved, where the alert's
 * name alone leaves the reader guessing. A server answers "protocol version" when it accepts none
 * of the versions offered: outage offers TLS 1.2 and 1.3, as browsers and Go do.
 */
const ALERT_MEANINGS: Record<string, string> = {
  'protocol version': 'the server accepts neither TLS 1.2 nor 1.3, most likely only TLS 1.1 or older, which browsers and Go refuse too',
};

/** The reason for a handshake the server ended with `alert`. */
export function alertReason(alert: string): string {
  const meaning = ALERT_MEANINGS[alert];
  return meaning ? `${meaning} (TLS alert "${alert}")` : `server sent TLS alert "${alert}"`;
}

/** The alert's description from OpenSSL's message: `…:tlsv13 alert certificate required:…`. */
export function alertName(error: { message?: string }): string | undefined {
  return /alert ([a-z ]+)/i.exec(error.message ?? '')?.[1]?.trim().toLowerCase();
}

export interface ClientCertificateFacts {
  /** The server sent a CertificateRequest. */
  asked: boolean;
  /** outage had a certificate to send (tls.cert and tls.key). */
  presented: boolean;
}

/**
 * The failure a handshake error stands for when a client certificate is the reason, else
 * undefined. No `alert`: the server ended the handshake without one (a reset or a close).
 */
export function clientCertificateFailure(alert: string | undefined, facts: ClientCertificateFacts): Failure | undefined {
  const said = alert ? ` (TLS alert "${alert}")` : ' (it closed the connection)';
  if (alert === 'certificate required') {
    return facts.presented
      ? { code: 'tls.client_cert_required', reason: `the server requires a client certificate and did not take ours${said}` }
      : { code: 'tls.client_cert_required', reason: `the server requires a client certificate and none is configured${said}: ${HOW_TO}` };
  }
  if (facts.asked && !facts.presented) {
    return { code: 'tls.client_cert_required', reason: `the server asked for a client certificate, none is configured, and it refused the connection${said}: ${HOW_TO}` };
  }
  if (facts.presented && alert && CERTIFICATE_REJECTED.test(alert)) {
    return { code: 'tls.handshake_failed', reason: `the server rejected our client certificate${said}` };
  }
  // Node's own https server, among others, drops a client whose certificate it does not trust.
  if (facts.presented && facts.asked && !alert) {
    return { code: 'tls.handshake_failed', reason: 'the server closed the connection during the handshake, after we presented our client certificate (does it trust tls.cert?)' };
  }
  return undefined;
}

const late = new WeakMap<object, Failure>();

/**
 * After the handshake, keep listening for the server's verdict on our certificate: the listener
 * is added before anyone else's, so the error is classified before undici hands it to the request.
 * The failure is remembered both for the error and for the socket (a socket that failed before
 * the request was handed to it).
 */
export function watchAfterHandshake(socket: TLSSocket, presented: boolean): void {
  socket.on('error', (error: NodeJS.ErrnoException) => {
    const alert = alertName(error);
    if (!alert || !error.code?.startsWith('ERR_SSL_')) return;
    const failure = clientCertificateFailure(alert, { asked: serverAskedForCertificate(socket), presented }) ?? {
      code: 'tls.handshake_failed',
      reason: `the server ended the TLS session with alert "${alert}" before answering`,
    };
    late.set(error, failure);
    late.set(socket, failure);
  });
}

/** A TLS alert that ended the connection after the handshake, classified: by the error, or by its socket. */
export function failureAfterHandshake(errorOrSocket: unknown): Failure | undefined {
  return typeof errorOrSocket === 'object' && errorOrSocket !== null ? late.get(errorOrSocket) : undefined;
}
