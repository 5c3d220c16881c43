/**
 * A user's UV_THREADPOOL_SIZE (exported for their own Node programs, or left empty by an env file)
 * sizes the thread pool getaddrinfo runs on. libuv reads it with atoi(): `1` is one thread, and
 * `` or `abc` is 0, which it takes as 1. With one thread, a lookup that waits out a silent AAAA
 * held it for the whole budget, and every other name's lookup waited behind it: healthy services
 * were `unknown` (blamed on outage's own sockets), exit 3, where curl resolves each at once.
 * Each run is a private network and mount namespace (helpers/netns.ts). Needs root.
 */
import { describe, expect } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { runInNamespace } from '../helpers/netns.js';
import { requires } from '../helpers/requires.js';

const inNamespace = requires({ root: true, tools: [{ name: 'unshare', install: 'apt-get install util-linux' }, { name: 'ip', install: 'apt-get install iproute2' }] });

const record = (name: string, type: string, data: unknown) => ({ name, type, data });
const answer = (...answers: ReturnType<typeof record>[]) => ({ rcode: 'NOERROR' as const, answers });

const SILENT_AAAA = ['slow1.test', 'slow2.test'];
const HEALTHY = ['a.test', 'b.test', 'c.test'];

/** Names whose AAAA the resolver drops, then names it answers whole, all served on 127.0.0.1. */
function zone() {
  const entries: Record<string, Record<string, ReturnType<typeof answer> | 'drop'>> = {};
  for (const name of SILENT_AAAA) entries[name] = { A: answer(record(name, 'A', '127.0.0.1')), AAAA: 'drop' };
  for (const name of HEALTHY) entries[name] = { A: answer(record(name, 'A', '127.0.0.1')), AAAA: answer() };
  return entries;
}

describe("the user's UV_THREADPOOL_SIZE", () => {
  for (const size of ['1', '', '4']) {
    inNamespace.it(`UV_THREADPOOL_SIZE=${JSON.stringify(size)}: every name resolves, and each silent AAAA is judged as with the default pool`, async () => {
      const result = await runInNamespace({
        // glibc's per-try timeout cut to 1 s: getaddrinfo for both families still outlasts the 2 s budget.
        resolvConf: 'nameserver 127.0.0.1\noptions timeout:1\n',
        zone: zone(),
        env: { UV_THREADPOOL_SIZE: size },
        args: ['check', '--json', '--no-canaries', '--retries', '0', '--timeout', '2s', ...[...SILENT_AAAA, ...HEALTHY].map((name) => `http://${name}:{port}/`)],
      });
      const report = JSON.parse(result.stdout) as Report;
      const statuses = Object.fromEntries(report.services.map((s) => [s.name.replace(/^http:\/\/|:\d+\/$/g, ''), `${s.status} ${s.code ?? ''}`.trim()]));
      expect(statuses).toEqual({
        'slow1.test': 'degraded dns.timeout',
        'slow2.test': 'degraded dns.timeout',
        'a.test': 'up',
        'b.test': 'up',
        'c.test': 'up',
      });
      expect(result.code).toBe(1);
    });
  }
});

describe('when every lookup thread is held', () => {
  inNamespace.it("names whose lookup never started are unknown for want of a thread, never blamed on sockets", async () => {
    // A resolver that never answers holds each getaddrinfo thread for glibc's whole timeout: with
    // 40 names, those beyond the 32 lookups libuv runs at once never get one within the budget.
    const names = Array.from({ length: 40 }, (_, i) => `http://n${i}.test:{port}/`);
    const result = await runInNamespace({
      dns: false,
      silentAt: ['127.0.0.1'],
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:5 attempts:1\n',
      args: ['check', '--json', '--no-canaries', '--retries', '0', '--timeout', '2s', ...names],
    });
    const report = JSON.parse(result.stdout) as Report;
    const reasons = new Set(report.services.map((s) => `${s.status} ${s.code}: ${s.reason.replace(/n\d+\.test/, 'NAME')}`));
    expect(reasons).toEqual(
      new Set([
        'down dns.timeout: NAME: no address from the system resolver (getaddrinfo) within 2s',
        "unknown local.resources: NAME: no address: no free thread for the system resolver (getaddrinfo): other names' lookups held them all; not a failure of the target",
      ]),
    );
    expect(result.code).toBe(3);
  });
});
