/** What the hosts probe sees — each host's own observations — and what the report carries. */
import type { FailureCode } from '../../core/failure.js';
import type { ObservationBase } from '../../core/observation.js';
import type { ProbeStatus } from '../../core/status.js';
import type { ServiceSpec } from '../../config/service.js';
import type { SubcheckRecord } from '../subcheck-record.js';

/** One host a service depends on, as checked: judged later like any service. */
export interface HostObservation {
  host: string;
  url: string;
  /** `page`: found in the page's HTML (`http.assets`); `config`: listed in `hosts`. */
  source: 'page' | 'config';
  /** The spec it was checked with, so the judge applies the same expectations. */
  spec: ServiceSpec;
  check: SubcheckRecord;
}

export interface HostsObservation extends ObservationBase {
  kind: 'hosts';
  /** True with `http.assets`: the page was parsed for asset hosts. */
  assets: boolean;
  /** Distinct asset hosts the page references (other than its own), before the `max` cut. */
  assetHostsFound: number;
  checked: HostObservation[];
}

/** One host in the report: judged, with the facts common-cause grouping uses. */
export interface HostCheck {
  host: string;
  url: string;
  source: 'page' | 'config';
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
  address?: string;
  issuer?: string;
  cnameTarget?: string;
}

export interface HostsDetails {
  assets: boolean;
  assetHostsFound: number;
  hosts: HostCheck[];
}
