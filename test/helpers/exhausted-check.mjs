/**
 * Runs `check()` (the built API, dist/) in a process that has used up its own open files, the way
 * a low `ulimit -n` or a file-descriptor leak would leave outage. argv[2]: JSON
 * `{ config, releaseAfterMs? }`: the config to check, and when to give the files back (never,
 * without it). Prints the report as JSON on stdout.
 *
 * Everything outage loads is loaded first, so what fails is the probing only: opening sockets
 * (connections, DNS queries) under EMFILE. The config schema loads on first use (src/check.ts), so
 * the config is prepared once before the files are used up.
 */
import { closeSync, openSync } from 'node:fs';
import { setTimeout } from 'node:timers';

const { config, releaseAfterMs } = JSON.parse(process.argv[2]);
const { check, prepareCheck } = await import(new URL('../../dist/index.js', import.meta.url).href);
await prepareCheck({ config });

const held = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch (error) {
  if (error.code !== 'EMFILE') throw error;
}
if (releaseAfterMs !== undefined) {
  setTimeout(() => {
    for (const fd of held.splice(0)) closeSync(fd);
  }, releaseAfterMs);
}
const report = await check({ config });
for (const fd of held.splice(0)) closeSync(fd);
process.stdout.write(JSON.stringify(report));
