/**
 * outage's own limits are never the target's failure: in a process that has used up its open
 * files (helpers/exhausted-check.mjs), every socket outage opens — a connection, a DNS query — is
 * refused with EMFILE. Until files come back the service is `unknown` with `local.resources`,
 * never down; when they come back within the budget, the check goes through and the service is
 * simply up (no "degraded after a retry").
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

const HELPER = fileURLToPath(new URL('../helpers/exhausted-check.mjs', import.meta.url));

let web: TestServer;
let dns: TestDnsServer;

beforeAll(async () => {
  web = await startHttp(ok);
  dns = await startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] }, 'records.test': { TXT: ['hello'] } }));
});
afterAll(async () => {
  await Promise.all([web.close(), dns.close()]);
});

/** Checks `services` in a process out of files; `releaseAfterMs`: when it gets them back. */
async function checkExhausted(services: unknown[], releaseAfterMs?: number): Promise<Report> {
  const config = { canaries: [], defaults: { timeout: '1500ms', retries: 0 }, services };
  const { stdout } = await promisify(execFile)(process.execPath, [HELPER, JSON.stringify({ config, releaseAfterMs })], { timeout: 15_000 });
  return JSON.parse(stdout) as Report;
}

const webService = () => ({ name: 'web', url: `http://127.0.0.1:${web.port}/` });
const byName = () => ({ name: 'by name', url: `http://app.test:${web.port}/`, resolvers: [dns.address] });
const records = () => ({ name: 'records', dns: { name: 'records.test', type: 'TXT' }, resolvers: [dns.address] });

describe('out of open files (EMFILE)', () => {
  it('a connection that cannot be opened is unknown local.resources, never down', async () => {
    const report = await checkExhausted([webService()]);
    const [service] = report.services;
    expect(service).toMatchObject({ status: 'unknown', code: 'local.resources' });
    expect(service?.reason).toMatch(/cannot connect to 127\.0\.0\.1:\d+: outage ran out of open files \(EMFILE.*not a failure of the target/);
    expect(report.exitCode).toBe(3);
  });

  it('a DNS query that cannot be sent is unknown local.resources, not dns.timeout', async () => {
    const report = await checkExhausted([records(), byName()]);
    for (const service of report.services) {
      expect(service, service.name).toMatchObject({ status: 'unknown', code: 'local.resources' });
      expect(service.reason).toMatch(/ran out of open files \(EMFILE/);
    }
    expect(report.services.find((s) => s.name === 'by name')?.probes.find((p) => p.kind === 'dns')).toMatchObject({ status: 'unknown', code: 'local.resources' });
  });

  it('files back within the budget: each socket is tried again and every service is up', async () => {
    const report = await checkExhausted([webService(), byName(), records()], 300);
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['web', 'up', null],
      ['by name', 'up', null],
      ['records', 'up', null],
    ]);
    expect(report.exitCode).toBe(0);
  });
});
