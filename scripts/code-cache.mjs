// Writes dist/cli.cjs.cache, the V8 code cache bin/outage.js compiles the CLI with: one real
// `outage check` of a loopback HTTP server, so the cache also holds the functions a check runs
// (config search and validation, the probe, the report), not only the top level.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/outage.js', import.meta.url));
const cacheFile = fileURLToPath(new URL('../dist/cli.cjs.cache', import.meta.url));
rmSync(cacheFile, { force: true });
const server = createServer((_req, res) => res.end('ok'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const url = `http://127.0.0.1:${server.address().port}/`;
  const env = { ...process.env, OUTAGE_WRITE_CODE_CACHE: cacheFile };
  // Asynchronously: this process's event loop answers the check.
  await new Promise((resolve, reject) => execFile(process.execPath, [bin, 'check', url, '--json'], { env }, (error) => (error ? reject(error) : resolve())));
} finally {
  server.close();
}
