/**
 * Output snapshots of the real CLI, for proving that a refactor changes no output.
 *
 * Runs `node $OUTAGE_BIN check -c <config> …` over a fixed set of scenarios (scenarios/) against
 * loopback servers only (servers.ts: HTTP, HTTPS with certificates made in code, raw TCP and DNS
 * servers, all on 127.0.0.1 port 0), once per output format (formats.ts), and writes each run's
 * stdout, stderr and exit code, normalised (normalise.ts), under $SNAPSHOT_DIR/<scenario>/. Run
 * it against two checkouts, each built (`npm run build`), and `diff -r` the two folders:
 *
 *   OUTAGE_BIN=/work/baseline/bin/outage.js SNAPSHOT_DIR=/tmp/snap-before npm run snapshot
 *   OUTAGE_BIN=/work/main/bin/outage.js SNAPSHOT_DIR=/tmp/snap-after npm run snapshot
 *   diff -r /tmp/snap-before /tmp/snap-after
 *
 * (`npm run snapshot` is `vitest run -c scripts/snapshot/vitest.config.ts`.) The harness runs from
 * this checkout; only the CLI comes from OUTAGE_BIN, so the baseline needs no copy of it.
 *
 * Nothing is sent anywhere but loopback: every name is resolved by an in-process DNS server (the
 * `--resolver` flag, or the `resolvers` of the canary scenarios), and every scenario but those
 * about canaries runs with `--no-canaries`.
 *
 * Normalised, because they differ between two runs of the same code: timings, "now" timestamps,
 * the random ports (each becomes PORT_<server>), the certificates' dates and fingerprints (made
 * once per run: dates become `now+90d`, fingerprints the CN), temp paths, table padding and
 * event-loop stall warnings. Everything else — statuses, codes, reasons, exit codes, stderr,
 * structure, key order — is kept.
 *
 * Options: SNAPSHOT_CONCURRENCY (scenarios at once, default 4); SNAPSHOT_RAW=1 also writes the
 * outputs before normalisation, as <variant>.raw.*, for debugging the normalisation itself.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { certFacts } from './cert-facts.js';
import { Loopback } from './loopback.js';
import { createNormaliser } from './normalise.js';
import { prepareOutput, writeIndex } from './output-dir.js';
import { runScenario, type SnapshotRun, type Written } from './run-scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { startWorld } from './servers.js';

const BIN = process.env.OUTAGE_BIN ? resolve(process.env.OUTAGE_BIN) : undefined;
const OUT = process.env.SNAPSHOT_DIR ? resolve(process.env.SNAPSHOT_DIR) : undefined;

const loopback = new Loopback();
const written = new Map<string, Written[]>();
let run: SnapshotRun | undefined;
let confDir: string | undefined;

beforeAll(async () => {
  if (!BIN || !OUT) throw new Error('set OUTAGE_BIN (bin/outage.js of the checkout under test) and SNAPSHOT_DIR (where to write)');
  if (!existsSync(BIN)) throw new Error(`OUTAGE_BIN ${BIN} does not exist`);
  if (!existsSync(join(dirname(BIN), '..', 'dist', 'cli.js'))) throw new Error(`${BIN} has no dist/cli.js beside it: build that checkout first (npm run build)`);
  const startedAt = Date.now();
  prepareOutput(OUT);
  confDir = mkdtempSync(join(tmpdir(), 'outage-snapshot-'));
  const world = await startWorld(loopback);
  const pkiDir = dirname(world.pki.rootFile);
  const normalise = createNormaliser({ ports: loopback.ports, certs: certFacts(world.pki, startedAt), startedAt, confDir, pkiDir });
  run = { bin: BIN, outDir: OUT, confDir, raw: process.env.SNAPSHOT_RAW === '1', world, normalise };
});

afterAll(async () => {
  await loopback.close();
  if (confDir) rmSync(confDir, { recursive: true, force: true });
  if (!BIN || !OUT || written.size === 0) return;
  console.log(writeIndex(BIN, OUT, SCENARIOS, written));
});

describe.concurrent('outage check output snapshots', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      if (!run) throw new Error('the loopback servers did not start');
      written.set(scenario.name, await runScenario(run, scenario));
    });
  }
});
