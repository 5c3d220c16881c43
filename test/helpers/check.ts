/** Run one service through the real pipeline (config → probes → judgement) and return its result. */
import { check } from '../../src/check.js';
import type { ServiceResult } from '../../src/report/types.js';

export async function checkOne(service: Record<string, unknown>, defaults: Record<string, unknown> = {}): Promise<ServiceResult> {
  const report = await check({ config: { defaults: { timeout: '3s', retries: 0, ...defaults }, services: [{ name: 'svc', ...service }] } });
  return report.services[0] as ServiceResult;
}

export function probe(result: ServiceResult, kind: string) {
  const found = result.probes.find((p) => p.kind === kind);
  if (!found) throw new Error(`no ${kind} probe in ${JSON.stringify(result)}`);
  return found;
}
