/** What the TCP probe sees, and the part of it the report carries. */
import type { ObservationBase } from '../../core/observation.js';
import type { ConnectAttempt } from '../../net/connect.js';

export interface TcpObservation extends ObservationBase {
  kind: 'tcp';
  /** host:port connected to, when a connection was made. */
  address?: string;
  port: number;
  attempts: ConnectAttempt[];
}

export type TcpDetails = Pick<TcpObservation, 'address' | 'port' | 'attempts'>;
