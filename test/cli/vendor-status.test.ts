/**
 * The status probe end to end: recorded vendor bodies served on loopback, the vendor's words shown
 * beside what was measured, and a failing status endpoint that never makes a service down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { recordedStatusBody } from '../helpers/status-bodies.js';
import { closedPort, ok, startHttp, type TestServer } from '../helpers/servers.js';
import type { Report, ServiceResult } from '../../src/probes/result.js';

const ROUTES: Record<string, { file: string; type: string }> = {
  '/api/v2/summary.json': { file: 'statuspage-major.json', type: 'application/json' },
  '/ok/api/v2/summary.json': { file: 'statuspage-ok.json', type: 'application/json' },
  '/api/v2.0.0/current': { file: 'slack-outage.json', type: 'application/json' },
  '/public/currentevents': { file: 'aws-currentevents.utf16be.json', type: 'application/json' },
  '/custom-status': { file: 'instatus.json', type: 'application/json' },
};

/** Bodies a status URL can serve that are not what the URL promised: wrong type, shape or words. */
const HOSTILE: Record<string, string> = {
  '/unknown/api/v2/summary.json': JSON.stringify({ status: { indicator: 'catastrophic', description: 'Major System Outage' }, components: [], incidents: [] }),
  '/numbers': '[1,2,3]',
  '/odd-component/api/v2/summary.json': JSON.stringify({ status: { indicator: 'none' }, components: [{ name: 'API', status: 'offline' }], incidents: [] }),
  '/stale/api/v2/summary.json': JSON.stringify({
    page: { id: 'x', updated_at: '2019-01-01T00:00:00Z' },
    status: { indicator: 'critical', description: 'Major System Outage' },
    incidents: [{ name: 'Forgotten incident', status: 'investigating', impact: 'critical', updated_at: '2019-01-01T00:00:00Z' }],
  }),
  '/indicator-only/api/v2/status.json': JSON.stringify({ page: { id: 'x' }, status: { indicator: 'major', description: 'Partial System Outage' } }),
};

let status: TestServer;
let page: TestServer;
let report: Report;
let table: string;
let code: number | null;

beforeAll(async () => {
  status = await startHttp((req, res) => {
    const route = ROUTES[req.url ?? ''];
    if (req.url === '/broken') return void res.writeHead(500).end('upstream error');
    if (req.url === '/limited/api/v2/summary.json') return void res.writeHead(429, { 'retry-after': '60', 'content-type': 'text/html' }).end('<html>Too Many Requests</html>');
    if (req.url === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    if (req.url === '/hang/api/v2/summary.json') return; // never answers
    const hostile = HOSTILE[req.url ?? ''];
    if (hostile !== undefined) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(hostile);
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route.type }).end(recordedStatusBody(route.file));
  });
  page = await startHttp(ok);
  const closed = await closedPort();
  const s = (path: string) => `${status.url}${path}`;
  const services = [
    { name: 'statuspage', url: page.url, status: s('/api/v2/summary.json') },
    { name: 'slack', url: page.url, status: s('/api/v2.0.0/current') },
    { name: 'aws', url: page.url, status: { url: s('/public/currentevents'), kind: 'aws' } },
    { name: 'detected', url: page.url, status: s('/custom-status') },
    { name: 'status 500', url: page.url, status: s('/broken') },
    { name: 'status 429', url: page.url, status: s('/limited/api/v2/summary.json') },
    { name: 'status html', url: page.url, status: s('/html') },
    { name: 'down, vendor calm', url: `http://127.0.0.1:${closed}/`, status: s('/ok/api/v2/summary.json') },
    { name: 'unknown indicator', url: page.url, status: s('/unknown/api/v2/summary.json') },
    { name: 'array of numbers', url: page.url, status: s('/numbers') },
    { name: 'odd component', url: page.url, status: s('/odd-component/api/v2/summary.json') },
    { name: 'indicator only', url: page.url, status: s('/indicator-only/api/v2/status.json') },
    { name: 'stale page', url: page.url, status: s('/stale/api/v2/summary.json') },
    { name: 'status hangs', url: page.url, timeout: '1s', status: s('/hang/api/v2/summary.json') },
  ];
  const file = configFile({ defaults: { timeout: '3s', retries: 0 }, services });
  const json = await runCli(['check', '-c', file, '--json']);
  report = JSON.parse(json.stdout) as Report;
  code = json.code;
  table = (await runCli(['check', '-c', file], { env: { COLUMNS: '400' } })).stdout;
});

afterAll(async () => {
  await Promise.all([status.close(), page.close()]);
});

const service = (name: string) => report.services.find((s) => s.name === name) as ServiceResult;

describe('vendor status beside the measured status', () => {
  it('Statuspage with a major incident: measured up, vendor major outage, in the table too', () => {
    expect(service('statuspage')).toMatchObject({
      status: 'degraded',
      code: 'vendor.incident',
      reason: 'measured: up · vendor: major outage — Users may have trouble loading messages',
      vendor: { indicator: 'major', incidents: [{ name: 'Users may have trouble loading messages', url: 'https://stspg.io/p1x0l7mm4hqz' }] },
    });
    expect(table).toContain('measured: up · vendor: major outage — Users may have trouble loading messages');
  });

  it('Slack with an active outage, the kind recognised from the URL path', () => {
    expect(service('slack').reason).toBe('measured: up · vendor: major outage — Users may have trouble loading messages (+1 more)');
    expect(service('slack').vendor?.indicator).toBe('major');
  });

  it('AWS Health in UTF-16BE, and a body whose product is recognised by its shape', () => {
    // AWS Health lists every service in every region: shown beside the measurement, never judged.
    expect(service('aws')).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: minor incident — [Disruption] Increased API error rates' });
    expect(service('detected').reason).toBe('measured: up · vendor: major outage — Login failures in EU');
  });

  it('a failing or unreadable status endpoint is unknown for that probe and leaves the service up', () => {
    expect(service('status 500')).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: status page unavailable (HTTP 500)', vendor: { indicator: 'unknown', code: 'status.unavailable' } });
    const probe = service('status 500').probes.find((p) => p.kind === 'status');
    expect(probe).toMatchObject({ status: 'unknown', code: 'status.unavailable' });
    expect(probe?.reason).toMatch(/http\.status — HTTP 500/);
    expect(service('status html')).toMatchObject({ status: 'up', vendor: { code: 'status.unrecognized' } });
  });

  it('a status page that rate-limits this machine says so: not the vendor down, and not a reason to call the service anything', () => {
    expect(service('status 429')).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: status page rate-limited this check (HTTP 429)', vendor: { indicator: 'unknown', code: 'status.unavailable' } });
    expect(table).toContain('measured: up · vendor: status page rate-limited this check (HTTP 429)');
  });

  it('a service measured down while the vendor says operational (the status page lags)', () => {
    expect(service('down, vendor calm')).toMatchObject({ status: 'down', code: 'tcp.refused', vendor: { indicator: 'none' } });
    expect(service('down, vendor calm').reason).toMatch(/^measured: down — .*refused.* · vendor: operational$/);
  });

  it('a body outage cannot read is "status page unreadable", never "operational"', () => {
    for (const name of ['unknown indicator', 'array of numbers']) {
      expect(service(name)).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: status page unreadable', vendor: { code: 'status.unrecognized' } });
    }
    expect(service('odd component').reason).toBe('measured: up · vendor: minor incident — API: offline');
    expect(service('indicator only')).toMatchObject({ status: 'degraded', code: 'vendor.incident', reason: 'measured: up · vendor: major outage — Partial System Outage' });
  });

  it('an outage the vendor has not updated for years is shown with its date, never judged', () => {
    expect(service('stale page')).toMatchObject({
      status: 'up',
      code: null,
      reason: 'measured: up · vendor: minor incident — Forgotten incident (not updated since 2019-01-01)',
      vendor: { indicator: 'minor' },
    });
  });

  it('a status page that never answers leaves the service up, within its own budget', () => {
    expect(service('status hangs')).toMatchObject({ status: 'up', code: null, reason: 'measured: up · vendor: status page unavailable', vendor: { code: 'status.unavailable' } });
    expect(service('status hangs').durationMs).toBeLessThan(1500);
  });

  it('the exit code follows what was measured (one service down)', () => {
    expect(code).toBe(2);
  });
});
