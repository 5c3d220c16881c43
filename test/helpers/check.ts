/** Run one service through the real pipeline (config → probes → judgement) and return its result. */
import { check } from '../../src/check.js';
import type { ProbeKind } from '../../src/core/probe-kind.js';
import { probeOf, type ProbeResultOf, type ServiceResult } from '../../src/probes/result.js';

export async function checkOne(service: Record<string, unknown>, defaults: Record<string, unknown> = {}): Promise<ServiceResult> {
  const report = await check({ config: { defaults: { timeout: '3s', retries: 0, ...defaults }, services: [{ name: 'svc', ...service }] } });
  return report.services[0] as ServiceResult;
}

/** One probe's result, its details typed by kind. */
export function probe<K extends ProbeKind>(result: ServiceResult, kind: K): ProbeResultOf<K> {
  const found = probeOf(result, kind);
  if (!found) throw new Error(`no ${kind} probe in ${JSON.stringify(result)}`);
  return found;
}
