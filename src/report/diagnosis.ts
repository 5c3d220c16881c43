/**
 * Whose problem it is, in words every human-facing format shares: the local-network verdict and
 * the likely common causes. The table colours the labels, markdown quotes them, GitHub annotates.
 */
import { headlineCauses } from '../diagnose/common-cause.js';
import type { Report } from '../probes/result.js';

export interface DiagnosisLine {
  label: 'local network problem' | 'likely common cause' | 'vantages';
  text: string;
}

export function diagnosisLines(report: Report): DiagnosisLine[] {
  const lines: DiagnosisLine[] = [];
  const network = report.localNetwork;
  if (network && !network.ok) {
    // A resolver failing one family only: services are not degraded for it (they stay as measured otherwise).
    const familyOnly = (network.layers ?? []).every((layer) => /^resolver not answering A{1,4}$/.test(layer));
    const notJudged =
      network.scope !== 'dns' ? 'failing services are not judged (unknown)' : familyOnly ? 'services are not degraded for it' : "services' DNS failures are not judged (unknown)";
    lines.push({ label: 'local network problem', text: `${network.reason ?? ''} — ${notJudged}` });
  }
  for (const cause of headlineCauses(report.commonCauses)) lines.push({ label: 'likely common cause', text: cause.summary });
  // Whose problem each failing service is, as the other vantage points saw it.
  for (const service of report.services) if (service.vantageVerdict) lines.push({ label: 'vantages', text: `${service.name} ${service.vantageVerdict}` });
  return lines;
}
