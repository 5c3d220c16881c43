/**
 * TLS probe: one full handshake over the TCP probe's socket. Records protocol, cipher, ALPN, the
 * presented chain and the verified chain; the HTTP probe then sends its request over this same
 * TLS socket, so the certificate reported is the one HTTP actually saw.
 */
import { startTlsOrH2 } from '../../net/connect.js';
import { urlProxy } from '../../net/proxy.js';
import { loadTls, reconnectTo } from '../../net/open-connection.js';
import { DAY_MS } from '../../core/duration.js';
import type { Probe } from '../contract.js';
import type { TlsObservation } from './observation.js';

export const probeTls: Probe<TlsObservation> = async (service, context) => {
  const started = performance.now();
  const endpoint = service.endpoint;
  const spec = service.tls;
  const socket = context.state.socket;
  if (!endpoint || !spec || !socket) throw new Error(`service ${service.name} reached tls without a connection`);
  const observation: TlsObservation = {
    kind: 'tls',
    authorized: false,
    presented: [],
    chain: [],
    verify: spec.verify,
    durationMs: 0,
  };

  const { clientContext, earliestExpiring, inspectCertificates } = await loadTls();
  const options = {
    host: endpoint.host,
    servername: endpoint.isIp ? undefined : endpoint.host,
    secureContext: clientContext(spec.ca, spec.client),
    clientCertificate: spec.client !== undefined,
  };
  // An HTTP/2-only server is asked again offering h2 (startTlsOrH2): at the same address, or through
  // a new tunnel when a proxy's address is the one connected to.
  const proxy = endpoint.url ? urlProxy(service.proxy, endpoint.url) : undefined;
  const result = await startTlsOrH2(socket, options, context.signal, reconnectTo(socket, endpoint.host, endpoint.port, proxy, context.signal, service.addressGuard));
  observation.durationMs = performance.now() - started;
  // Without the handshake an HTTP/2-only server refused (startTlsOrH2): a client offering h2 never waits for it.
  context.state.timings.tls = observation.durationMs - (result.ok ? (result.ownMs ?? 0) : 0);
  if (!result.ok) {
    observation.failure = result.failure;
    return observation;
  }

  const { tlsSocket } = result;
  context.state.tlsSocket = tlsSocket;
  const inspection = inspectCertificates(tlsSocket, endpoint.host, spec.ca);
  observation.protocol = tlsSocket.getProtocol() ?? undefined;
  observation.cipher = tlsSocket.getCipher()?.name;
  observation.alpn = tlsSocket.alpnProtocol || undefined;
  observation.authorized = tlsSocket.authorized;
  observation.authorizationError = inspection.authorizationError;
  observation.presented = inspection.presented;
  observation.chain = inspection.chain;
  observation.earliest = earliestExpiring(inspection.chain);
  if (observation.earliest) observation.earliestDaysLeft = (Date.parse(observation.earliest.validTo) - Date.now()) / DAY_MS;
  // With `tls: false` the facts are still recorded, but a bad certificate does not stop HTTP.
  if (spec.verify) observation.failure = inspection.failure;
  return observation;
};
