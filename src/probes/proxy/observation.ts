/** What the proxy probe sees, and the part of it the report carries. */
import type { ObservationBase } from '../../core/observation.js';
import type { ConnectAttempt } from '../../net/connect.js';

export interface ProxyObservation extends ObservationBase {
  kind: 'proxy';
  /** `http://host:port`, without credentials. */
  proxy: string;
  /** Where it was set: `proxy` (the config key) or the environment variable's name. */
  from: string;
  /** The proxy's address connected to, when a connection was made. */
  address?: string;
  /** host:port asked of the proxy. */
  target: string;
  /** `tunnel`: CONNECT, then TLS (or the tcp: service's protocol) end to end; `forward`: plain-http requests in absolute form. */
  mode: 'tunnel' | 'forward';
  /** The target's name, which the proxy resolves: no local lookup is made. */
  resolvedByProxy?: string;
  lookupMs?: number;
  connectMs?: number;
  /** The CONNECT round trip. */
  tunnelMs?: number;
  /** The status of the proxy's answer to CONNECT. */
  answer?: number;
  attempts: ConnectAttempt[];
}

export type ProxyDetails = Omit<ProxyObservation, 'kind' | 'durationMs' | 'failure'>;
