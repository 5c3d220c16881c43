/**
 * Proxy probe: for a service that goes through a proxy it stands where the TCP probe stands for a
 * direct one. It connects to the proxy and, for https and tcp: services, opens a CONNECT tunnel to
 * the target; the socket it leaves in the attempt state is what TLS upgrades (end to end, so the
 * origin's certificate is judged as ever) or what HTTP sends absolute-form requests over. The
 * proxy resolves the target's name, so no local lookup is made for it.
 */
import { ipVersion } from '../../core/ip-version.js';
import type { Failure } from '../../core/failure.js';
import { formatHostPort } from '../../net/connect.js';
import { connectToProxy, openTunnel, serviceProxy } from '../../net/proxy.js';
import { refusedThroughProxy } from '../../net/proxy-guard.js';
import type { Probe } from '../contract.js';
import type { ProxyObservation } from './observation.js';

export const probeProxy: Probe<ProxyObservation> = async (service, context) => {
  const started = performance.now();
  const endpoint = service.endpoint;
  const proxy = serviceProxy(service);
  if (!endpoint || !proxy) throw new Error(`service ${service.name} reached the proxy probe without a proxy`);
  const { state } = context;
  const observation = proxyObservation(service);
  const finish = (failure?: Failure) => {
    observation.failure = failure;
    observation.durationMs = performance.now() - started;
    return observation;
  };

  // outage serve's guard, which cannot see where the proxy connects: asked here first.
  const refused = await refusedThroughProxy(endpoint.host, service.addressGuard, context.resolver, context.signal, context.remaining());
  if (refused) return finish(refused);
  const connection = await connectToProxy(proxy, context.signal);
  observation.attempts = connection.attempts;
  if (connection.lookupMs !== undefined) {
    // As curl counts it: the name looked up on this side is the proxy's.
    observation.lookupMs = connection.lookupMs;
    state.timings.dns = connection.lookupMs;
  }
  if (!connection.ok) return finish(connection.failure);
  observation.address = connection.address;
  observation.connectMs = connection.connectMs;
  state.timings.connect = connection.connectMs;

  if (observation.mode === 'tunnel') {
    const tunnelStarted = performance.now();
    const opened = await openTunnel(connection.socket, proxy, endpoint.host, endpoint.port, context.signal);
    observation.tunnelMs = performance.now() - tunnelStarted;
    if (opened.status !== undefined) observation.answer = opened.status;
    if (!opened.ok) return finish(opened.failure);
    state.timings.tunnel = observation.tunnelMs;
  }
  state.socket = connection.socket;
  return finish();
};

/** What is known before anything is tried: also the watchdog's record of a probe it had to stop. */
export function proxyObservation(service: Parameters<typeof serviceProxy>[0]): ProxyObservation {
  const endpoint = service.endpoint;
  const proxy = serviceProxy(service);
  const host = endpoint?.host ?? '';
  return {
    kind: 'proxy',
    proxy: proxy?.url ?? '',
    from: proxy?.from ?? '',
    target: formatHostPort(host, endpoint?.port ?? 0),
    mode: endpoint?.protocol === 'http' ? 'forward' : 'tunnel',
    ...(ipVersion(host) ? {} : { resolvedByProxy: host }),
    attempts: [],
    durationMs: 0,
  };
}
