/**
 * The one probe signature and what an attempt shares between its probes. The DNS probe's
 * addresses feed the TCP probe, whose socket the TLS probe upgrades, which the HTTP probe then
 * sends its request over — one lookup, one connection and one handshake per attempt.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ServiceSpec } from '../config/service.js';
import type { AddressFeed } from '../net/address-feed.js';
import type { NameResolver } from '../net/dns-resolver.js';
import type { ProbeKind } from '../core/probe-kind.js';
import type { Observed } from './observation.js';
import type { ProbeCrash, SubcheckRecord } from './subcheck-record.js';

export interface AttemptState {
  /** What the DNS probe resolved, as it arrives: the TCP probe connects while the slower family is still out. */
  addressFeed?: AddressFeed;
  /**
   * What a probe still finishes after the next ones started (the DNS family still out when
   * connecting began): the attempt awaits it, never past its deadline, before it is judged.
   */
  settling?: Promise<void>;
  socket?: Socket;
  tlsSocket?: TLSSocket;
  timings: { dns?: number; connect?: number; tunnel?: number; tls?: number };
  /**
   * The system resolver's lookup waited on nameservers of /etc/resolv.conf that do not answer
   * (the DNS probe says which): its time is this machine's, not the target's (judged by http).
   */
  silentNameservers?: string[];
  /** The same wait on configured `resolvers` that do not answer while another one does. */
  silentResolvers?: string[];
  startedAt: number;
}

export interface ProbeContext {
  /** Aborts at the attempt's deadline (reason DeadlineExceeded) or on interrupt (Interrupted). */
  signal: AbortSignal;
  remaining(): number;
  resolver: NameResolver;
  state: AttemptState;
  /** What the earlier probes of this attempt observed (the hosts probe reads the page). */
  observed: Observed;
  /** Run another spec (a host, a status endpoint) through the chain probes within this attempt's budget. */
  subcheck(spec: ServiceSpec): Promise<SubcheckRecord>;
}

/** Observe one aspect of a service. Never throws for a failing target: that is a `failure`. */
export type Probe<O> = (service: ServiceSpec, context: ProbeContext) => Promise<O>;

/** What one attempt of a service observed. */
export interface AttemptRecord {
  observations: Observed;
  crashed?: ProbeCrash;
  interrupted: boolean;
  durationMs: number;
}

/** Every attempt of one service, in order: what the judge turns into its result. */
export interface ServiceRun {
  service: ServiceSpec;
  kinds: ProbeKind[];
  attempts: AttemptRecord[];
  durationMs: number;
  /** Its last measurement rested on outage's own load, and was replaced by one taken when the run was quiet. */
  remeasured?: boolean;
}
