/** Judging a completed handshake: how long until the chain's earliest certificate expires. */
import type { Judgement } from '../../core/result.js';
import type { ServiceSpec } from '../../config/service.js';
import type { TlsObservation } from './observation.js';

export function judgeTls(observation: TlsObservation, service: ServiceSpec): Judgement {
  const thresholds = service.tls?.certificate;
  const earliest = observation.earliest;
  if (!observation.verify) return { status: 'up', code: null, reason: 'certificate not verified (tls: false)' };
  if (!earliest || !thresholds) return { status: 'up', code: null, reason: `${observation.protocol ?? 'TLS'} established` };
  const exact = observation.earliestDaysLeft ?? earliest.daysLeft;
  const days = Math.floor(earliest.daysLeft);
  const which = earliest === observation.chain[0] ? 'certificate' : `chain certificate ${earliest.subject}`;
  const when = `${which} expires in ${days} day${days === 1 ? '' : 's'} (${earliest.validTo.slice(0, 10)})`;
  if (exact <= thresholds.downDays) return { status: 'down', code: 'tls.expiring', reason: when };
  if (exact <= thresholds.degradedDays) return { status: 'degraded', code: 'tls.expiring', reason: when };
  return { status: 'up', code: null, reason: `${observation.protocol ?? 'TLS'}, ${when}` };
}
