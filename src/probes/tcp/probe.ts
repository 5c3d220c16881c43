/**
 * TCP probe: connects to the addresses the DNS probe is resolving (or the IP literal) as they
 * arrive, and leaves the socket in the attempt state for TLS and HTTP to use — the service's one
 * connection.
 */
import { fixedAddresses } from '../../net/address-feed.js';
import { resolveForConnect } from '../../net/address-resolution.js';
import { connectTcp, formatHostPort } from '../../net/connect.js';
import type { Probe } from '../contract.js';
import type { TcpObservation } from './observation.js';

export const probeTcp: Probe<TcpObservation> = async (service, context) => {
  const started = performance.now();
  const endpoint = service.endpoint;
  if (!endpoint) throw new Error(`service ${service.name} has no endpoint for tcp`);
  const observation: TcpObservation = { kind: 'tcp', port: endpoint.port, attempts: [], durationMs: 0 };

  let feed = context.state.addressFeed ?? (endpoint.isIp ? fixedAddresses([endpoint.host]) : undefined);
  if (!feed) {
    // `dns: false`: resolve quietly, as the connection would, without reporting a DNS probe.
    const resolved = await resolveForConnect(endpoint.host, context.resolver, context.signal);
    if (!resolved.ok) {
      observation.failure = resolved.failure;
      observation.durationMs = performance.now() - started;
      return observation;
    }
    feed = resolved.feed;
  }

  const result = await connectTcp(feed, endpoint.port, context.signal, service.addressGuard);
  observation.attempts = result.attempts;
  if (result.ok) {
    observation.address = formatHostPort(result.address, endpoint.port);
    context.state.socket = result.socket;
  } else {
    observation.failure = result.failure;
  }
  observation.durationMs = performance.now() - started;
  context.state.timings.connect = observation.durationMs;
  return observation;
};
