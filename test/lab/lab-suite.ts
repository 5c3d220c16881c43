/**
 * What every lab test file shares: the gate (root and the daemons; NOT RUN locally without them,
 * a failure under CI), one lab built before the file's scenarios and torn down after them, with
 * the assertion that nothing of it is left behind, and `lab()` to reach it from a scenario.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { requires, type Gated } from '../helpers/requires.js';
import { LAB_TOOLS, Lab, type CheckRun } from './lab.js';

export const inLab: Gated = requires({ root: true, tools: LAB_TOOLS });

/** Call inside the gated describe: builds the lab once for the file. */
export function useLab(): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await Lab.build();
  }, 30_000);
  afterAll(() => {
    if (!lab) return;
    lab.teardown();
    // Clean teardown is part of what the lab promises: no namespace, veth, nft table or process left.
    expect(lab.leftovers()).toEqual([]);
  });
  return () => {
    if (!lab) throw new Error('the lab was not built');
    return lab;
  };
}

/** `npm run lab` sets OUTAGE_LAB_SHOW to a file: each seed outage's table is appended to it. */
export function show(id: string, title: string, run: CheckRun): void {
  const file = process.env.OUTAGE_LAB_SHOW;
  if (file) appendFileSync(file, `${JSON.stringify({ id, title, stdout: run.stdout, code: run.code })}\n`);
}

/** Services' [name, status, code] in report order: what a user reads first. */
export const verdicts = (run: CheckRun) => run.report.services.map((s) => [s.name, s.status, s.code]);
