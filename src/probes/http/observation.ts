/** What the HTTP probe sees, and the part of it the report carries. */
import type { ObservationBase } from '../../core/observation.js';
import type { PhaseTimings } from '../../core/result.js';

export interface HttpHop {
  url: string;
  status?: number;
  durationMs: number;
}

export interface HttpObservation extends ObservationBase {
  kind: 'http';
  status?: number;
  /** The final response's HTTP version: 10 for HTTP/1.0, 11 for HTTP/1.1. */
  httpVersion?: number;
  url: string;
  hops: HttpHop[];
  timings: PhaseTimings;
  bodyBytes: number;
  bodyTruncated: boolean;
  contentType?: string;
  /** Decoded body (at most maxBodyBytes), kept for expectations; never put in reports. */
  body?: string;
  /** Why the body could not be decoded (a corrupt or unknown encoding): it fails content checks. */
  bodyProblem?: string;
  /** `body` is the body as sent, a coding outage does not know left undone (see body.ts). */
  bodyAsSent?: boolean;
  /** The lookup (timings.dns) waited on these silent nameservers of /etc/resolv.conf: this machine's time. */
  silentNameservers?: string[];
  /** The lookup waited on these configured resolvers, silent while another answered: not the target's time. */
  silentResolvers?: string[];
}

/** In the report: everything but the body and the timings (those are the result's own). */
export type HttpDetails = Pick<HttpObservation, 'status' | 'httpVersion' | 'url' | 'hops' | 'bodyBytes' | 'bodyTruncated' | 'contentType'>;
