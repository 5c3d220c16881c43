/**
 * TCP probe: connects to the addresses the DNS probe found (or the IP literal) and leaves the
 * socket in the attempt state for TLS and HTTP to use — the service's one connection.
 */
import { lookup } from 'node:dns/promises';
import { connectTcp, formatHostPort } from '../../net/connect.js';
import type { Failure } from '../../core/failure.js';
import type { Probe } from '../contract.js';
import type { TcpObservation } from './observation.js';

export const probeTcp: Probe<TcpObservation> = async (service, context) => {
  const started = performance.now();
  const endpoint = service.endpoint;
  if (!endpoint) throw new Error(`service ${service.name} has no endpoint for tcp`);
  const observation: TcpObservation = { kind: 'tcp', port: endpoint.port, attempts: [], durationMs: 0 };

  let addresses = context.state.addresses ?? (endpoint.isIp ? [endpoint.host] : undefined);
  if (!addresses) {
    // `dns: false`: resolve quietly the way the system would, without reporting a DNS probe.
    const resolved = await systemLookup(endpoint.host);
    if ('code' in resolved) {
      observation.failure = resolved;
      observation.durationMs = performance.now() - started;
      return observation;
    }
    addresses = resolved;
  }

  const result = await connectTcp(addresses, endpoint.port, context.signal);
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

async function systemLookup(host: string): Promise<string[] | Failure> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOTFOUND'
      ? { code: 'dns.nxdomain', reason: `${host} does not resolve (system lookup)` }
      : { code: 'dns.timeout', reason: `${host}: system lookup failed (${code})` };
  }
}
