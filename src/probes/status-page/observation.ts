/** What the status-page probe sees: the endpoint's own observations and what its body says. */
import type { ObservationBase } from '../../core/observation.js';
import type { VendorStatus } from '../../core/vendor-status.js';
import type { SubcheckRecord } from '../subcheck-record.js';

export interface StatusObservation extends ObservationBase {
  kind: 'status';
  url: string;
  /** The status endpoint fetched as a subcheck; absent when the attempt ended first. */
  endpoint?: SubcheckRecord;
  /** The body read by the product's parser: what the vendor says, or why it could not be read. */
  vendor?: VendorStatus;
  unreadable?: string;
}

export interface StatusDetails {
  url: string;
  /** The endpoint's host:port connected to, when it connected. */
  address?: string;
  /** The endpoint's final HTTP status, when one arrived: a 429 is named for what it is. */
  httpStatus?: number;
  vendor?: VendorStatus;
}
