import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { startHttp } from '../helpers/servers.js';

function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-commands-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const CONFIG = `defaults:
  timeout: 3s
services:
  - name: Web
    url: https://web.test/
    tags: [web]
  - name: DB
    tcp: db.test:5432
    critical: false
  - name: MX
    dns: { name: mail.test, type: MX }
`;

describe('outage list', () => {
  it('shows services and their probes without touching the network', async () => {
    const r = await runCli(['list'], { cwd: project({ '.outagerc.yaml': CONFIG }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Web\s+│ https:\/\/web\.test\/\s+│ dns → tcp → tls → http\s+│ web\s+│ yes\s+│ 3.00s × 2/);
    expect(r.stdout).toMatch(/DB\s+│ db\.test:5432\s+│ dns → tcp\s+│\s+│ no/);
    expect(r.stdout).toMatch(/MX\s+│ mail\.test\s+│ dns\s/);
    expect(r.stdout).toMatch(/3 services, 64 at once/);
  });

  it('--json, with tags and ad-hoc targets', async () => {
    const r = await runCli(['list', '--json', 'Web', 'http://127.0.0.1:1/'], { cwd: project({ '.outagerc.yaml': CONFIG }) });
    const list = JSON.parse(r.stdout);
    expect(list.services.map((s: { name: string; probes: string[] }) => [s.name, s.probes.join(',')])).toEqual([
      ['Web', 'dns,tcp,tls,http'],
      ['http://127.0.0.1:1/', 'tcp,http'],
    ]);
  });
});

describe('outage validate', () => {
  it('exits 0 for a valid config', async () => {
    const r = await runCli(['validate'], { cwd: project({ '.outagerc.yaml': CONFIG }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\.outagerc\.yaml: valid, 3 services/);
  });

  it('exits 78 with every problem and its key path', async () => {
    const dir = project({ 'bad.yaml': 'defaults:\n  retries: -1\nservices:\n  - name: a\n    url: https://a.test\n    http: { expect: { status: 999 } }\n' });
    const r = await runCli(['validate', '--config', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/defaults\.retries: Too small/);
    expect(r.stderr).toMatch(/services\[0\]\.http\.expect\.status: 999 is not an HTTP status/);
  });

  it('exits 78 when there is no config to validate', async () => {
    const r = await runCli(['validate'], { cwd: project() });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/no config file found/);
    // A first run in a fresh repository: the way to get one is named.
    expect(r.stderr).toMatch(/up to the project root\); outage init writes a starter \.outagerc\.yaml\n$/);
  });
});

describe('outage init', () => {
  it('writes a starter that validates, and never overwrites it', async () => {
    const dir = project();
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    const file = join(dir, '.outagerc.yaml');
    expect(existsSync(file)).toBe(true);
    expect((await runCli(['validate'], { cwd: dir })).code).toBe(0);
    writeFileSync(file, '# my edits\n' + readFileSync(file, 'utf8'));
    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(73);
    expect(second.stderr).toMatch(/already exists; outage init never overwrites a file/);
    expect(readFileSync(file, 'utf8').startsWith('# my edits\n')).toBe(true);
  });
});

describe('outage schema', () => {
  it('prints a JSON Schema that describes the config', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.title).toBe('outage configuration');
    expect(schema.additionalProperties).toBe(false);
    // A service is an object, or the name of a catalog entry.
    const [name, service] = schema.properties.services.items.anyOf;
    expect(name.type).toBe('string');
    expect(Object.keys(service.properties)).toEqual(expect.arrayContaining(['name', 'url', 'tcp', 'http', 'dns', 'tls', 'timeout', 'critical']));
    expect(service.required).toEqual(['name']);
    expect(service.properties.timeout.description).toMatch(/Budget for one attempt/);
  });
});

describe('help and version fast paths', () => {
  it('print exactly what the full CLI would', async () => {
    const { buildProgram } = await import('../../src/cli.js');
    const program = buildProgram();
    expect((await runCli(['--help'])).stdout).toBe(program.helpInformation());
    expect((await runCli(['help'])).stdout).toBe(program.helpInformation());
    for (const command of program.commands) {
      expect((await runCli([command.name(), '--help'])).stdout, command.name()).toBe(command.helpInformation());
      expect((await runCli(['help', command.name()])).stdout, command.name()).toBe(command.helpInformation());
    }
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const printed = await runCli(['-V']);
    expect(printed.stdout).toBe(`${version}\n`);
    expect(printed.code).toBe(0);
  });
});

describe('the shipped example config', () => {
  it('.outagerc.example validates and lists every service (the README runs it first)', async () => {
    const example = fileURLToPath(new URL('../../.outagerc.example', import.meta.url));
    const valid = await runCli(['validate', '--config', example]);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    const list = JSON.parse((await runCli(['list', '--json', '--config', example])).stdout);
    expect(list.services.map((s: { name: string }) => s.name)).toEqual([
      'GitHub',
      'npm registry',
      'Slack API',
      'npm website',
      'Cloudflare',
      'Docker Hub (pulls)',
      'GitHub SSH',
      'npm name servers',
    ]);
  });
});

describe('the CPU-bound warning', () => {
  // A backtracking bodyRegex keeps outage's own event loop busy while it judges the body: a
  // stall of outage's making, seen by the user as a warning under the table.
  const own = closeAfterAll();
  const stallingConfig = async (services: number) => {
    const server = own(await startHttp((_q, res) => res.end(`${'a'.repeat(23)}!`)));
    const list = Array.from({ length: services }, (_, i) => `  - name: s${i}\n    url: ${server.url}/${i}\n    http: { expect: { bodyRegex: '^(a+)+$' } }\n`);
    return project({ '.outagerc.yaml': `services:\n${list.join('')}` });
  };

  it('quotes the concurrency that ran, not the configured cap', async () => {
    const r = await runCli(['check', '--json', '--concurrency', '64', '--no-canaries'], { cwd: await stallingConfig(2) });
    const { warnings } = JSON.parse(r.stdout);
    expect(warnings).toEqual([expect.stringMatching(/^outage was CPU-bound at concurrency 2: its event loop stalled for up to \d+ ms/)]);
  });

  it('one service: no concurrency to quote, and no advice to lower it', async () => {
    const r = await runCli(['check', '--concurrency', '64', '--no-canaries'], { cwd: await stallingConfig(1) });
    expect(r.stdout).toMatch(/outage was CPU-bound: its event loop stalled for up to \d+ ms, so the timings shown may be inflated \(verdicts leave outage's busy time out\)/);
    expect(r.stdout + r.stderr).not.toMatch(/concurrency/);
  });
});

/**
 * `node dist/cli.js check …` in a CI gate did nothing and exited 0: the module only exported the
 * CLI, so every check "passed". Run directly, it is the CLI; imported, it still only exports it.
 */
describe('node dist/cli.js', () => {
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const own = closeAfterAll();
  // Not spawnSync: the test's own server must keep answering while the CLI runs.
  const run = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' }, timeout: 30_000 }, (_error, stdout) =>
        resolve({ status: child.exitCode, stdout }),
      );
    });

  it('checks and exits with the check code, as bin/outage.js does', async () => {
    const down = own(await startHttp((_req, res) => res.writeHead(503).end()));
    const r = await run(['check', down.url, '--no-canaries', '--format', 'tap']);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^not ok 1 - /m);
    const usage = await run(['check', '--fail-on', 'sometimes']);
    expect(usage.status).toBe(64);
  });

  it('imported, only exports the CLI: nothing runs', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(cli)}).then((m) => console.log(typeof m.main))`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('function\n');
  });
});
