/**
 * Whose problem it is, by vantage point: the same service seen from here and from other places.
 * Pure. Vantages that did not measure (unknown) say nothing; a verdict needs at least one other
 * place that did.
 *   down everywhere           → their outage
 *   down only here            → your path or network
 *   down from one place only  → that place's path (a region)
 */
import { NOT_ASKED, type VantageResult } from '../core/result.js';

const failing = (v: VantageResult) => v.status === 'down';

export function vantageVerdict(vantages: readonly VantageResult[]): string | undefined {
  const [here, ...others] = vantages;
  if (!here || others.length === 0) return undefined;
  const measured = others.filter((v) => v.status !== 'unknown');
  const anyDown = vantages.some(failing);
  if (!anyDown) return undefined;
  if (measured.length === 0) {
    return failing(here) ? `down here; no other vantage could tell (${whyNot(others)})` : undefined;
  }
  const downThere = measured.filter(failing);
  const hereKnown = here.status !== 'unknown';
  if (failing(here) && downThere.length === measured.length) return `down everywhere (here and ${names(measured)}): their outage`;
  if (failing(here) && downThere.length === 0) return `down only here, up from ${names(measured)}: your path or network`;
  if (!failing(here) && hereKnown && downThere.length === 1 && measured.length >= 1) {
    const place = downThere[0]?.from ?? '';
    return measured.length === 1 ? `down only from ${place}, up here: ${place}'s path` : `down only from ${place}, up here and from ${names(measured.filter((v) => !failing(v)))}: ${place}'s path`;
  }
  const all = [...(failing(here) ? ['here'] : []), ...downThere.map((v) => v.from)];
  return `down from ${all.length} of ${(hereKnown ? 1 : 0) + measured.length} vantages (${all.join(', ')})`;
}

/**
 * Why vantages measured nothing: one that was not asked (the check sends credentials, or options
 * that do not travel: run/vantages.ts) must not read as a vantage that did not answer, which sends
 * its owner looking at a machine that is fine.
 */
function whyNot(vantages: readonly VantageResult[]): string {
  const silent = vantages.filter((v) => v.code === 'vantage.unreachable');
  const notAsked = vantages.filter((v) => v.code !== 'vantage.unreachable' && v.reason.startsWith(NOT_ASKED));
  const unsure = vantages.filter((v) => !silent.includes(v) && !notAsked.includes(v));
  return [
    silent.length > 0 ? `${names(silent)} did not answer` : '',
    notAsked.length > 0 ? `${names(notAsked)} not asked` : '',
    unsure.length > 0 ? `${names(unsure)} could not tell either` : '',
  ].filter(Boolean).join('; ');
}

function names(vantages: readonly VantageResult[]): string {
  return vantages.map((v) => v.from).join(', ');
}
