/**
 * Every scenario, in the order of INDEX.txt and of the summary. Append new scenarios at the end of
 * their theme's list; reordering changes INDEX.txt, so a before/after diff shows it.
 */
import { canaries } from './canaries.js';
import { dnsTcp } from './dns-tcp.js';
import { httpFailures, httpHealthy } from './http.js';
import { judgement } from './judgement.js';
import { reporting } from './reporting.js';
import type { Scenario } from './scenario.js';
import { tls } from './tls.js';

export type { Scenario } from './scenario.js';

export const SCENARIOS: Scenario[] = [...httpHealthy, ...tls, ...httpFailures, ...dnsTcp, ...judgement, ...canaries, ...reporting];

const names = SCENARIOS.map((s) => s.name);
const twice = names.filter((name, i) => names.indexOf(name) !== i);
// Each scenario writes its own folder: two of one name would overwrite each other.
if (twice.length) throw new Error(`scenario names used twice: ${twice.join(', ')}`);
