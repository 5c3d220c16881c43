#!/usr/bin/env node
// `npm run lab [-- facebook-2021 …]`: reproduces the seed outages in the network lab (test/lab/)
// and prints outage's own table for each, as a user would have seen it. It runs the lab's seed
// scenarios through vitest (the lab is TypeScript), which writes each run's output to a file this
// script prints afterwards; the lab is built, and torn down, by the tests themselves. Needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const known = [...readFileSync(join(root, 'test/lab/seed-outages.ts'), 'utf8').matchAll(/^\s*id: '([a-z0-9-]+)'/gm)].map((m) => m[1]);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !known.includes(id));
if (unknown.length > 0) {
  console.error(`unknown seed outage ${unknown.join(', ')}; known: ${known.join(', ')}`);
  process.exit(64);
}
if (process.getuid?.() !== 0) {
  console.error('the network lab builds network namespaces: run it as root (sudo npm run lab)');
  process.exit(77);
}

const dir = mkdtempSync(join(tmpdir(), 'outage-lab-show-'));
const file = join(dir, 'runs.jsonl');
try {
  const ids = wanted.length > 0 ? wanted : known;
  const vitest = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/lab/seed-outages.test.ts', '-t', ids.join('|'), '--reporter=dot'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OUTAGE_LAB_SHOW: file } },
  );
  let runs = [];
  try {
    runs = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  } catch {
    runs = [];
  }
  for (const id of ids) {
    const run = runs.find((r) => r.id === id);
    if (!run) continue;
    console.log(`\n== ${run.id}: ${run.title}\n$ outage check   # exit ${run.code}\n${run.stdout.trimEnd()}`);
  }
  if (vitest.status !== 0) {
    console.error(`\nthe lab's assertions failed (vitest exit ${vitest.status}): npx vitest run test/lab/seed-outages.test.ts shows which`);
    process.exit(1);
  }
  if (runs.length < ids.length) process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
