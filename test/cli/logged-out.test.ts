/**
 * The Meta 2024 pattern: every page answers 200, but a user is logged out — the app redirects to
 * its login page. Only a content check sees it; its verdict says where the 200 came from, in every
 * format that prints the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { startHttp, type TestServer } from '../helpers/servers.js';
import type { Report } from '../../src/probes/result.js';

let app: TestServer;
let file: string;

beforeAll(async () => {
  app = await startHttp((req, res) => {
    if (req.url === '/inbox') return void res.writeHead(302, { location: '/login?next=%2Finbox&session=expired' }).end();
    if (req.url?.startsWith('/login')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<form>Log in to continue</form>');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Inbox</h1>');
  });
  file = configFile({
    defaults: { timeout: '3s', retries: 0 },
    canaries: [],
    services: [
      { name: 'feed', url: `${app.url}/inbox`, http: { expect: { body: 'Inbox' } } },
      { name: 'home', url: `${app.url}/`, http: { expect: { body: 'Inbox' } } },
    ],
  });
});

afterAll(async () => {
  await app.close();
});

const REASON = 'HTTP 200 at /login after 1 redirect, but the body does not contain "Inbox"';

describe('logged out: 200 from the login page', () => {
  it('is down http.body_mismatch, naming the page that answered, without its query', async () => {
    const run = await runCli(['check', '-c', file, '--json']);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.services.map((s) => [s.name, s.status, s.code, s.reason])).toEqual([
      ['feed', 'down', 'http.body_mismatch', REASON],
      ['home', 'up', null, expect.stringMatching(/^HTTP 200 in /)],
    ]);
    expect(run.code).toBe(2);
  });

  it('the table and the Nagios line say the same', async () => {
    const table = await runCli(['check', '-c', file], { env: { COLUMNS: '200' } });
    expect(table.stdout).toContain(REASON);
    const nagios = await runCli(['check', '-c', file, '--format', 'nagios']);
    expect(nagios.stdout).toMatch(/^OUTAGE CRITICAL - 1 of 2 down: feed \(http\.body_mismatch: HTTP 200 at \/login after 1 redirect, but the body does not contain "Inbox"\)/);
    expect(nagios.code).toBe(2);
  });
});
