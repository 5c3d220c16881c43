/**
 * Local verdicts in the lab, with the canaries pointed at lab hosts (two names through the system
 * resolver, three HTTPS hosts by address): the client's own network is what fails — no default
 * route, a resolver that refuses, is silent or lies, a middlebox intercepting TLS — and outage
 * says so instead of blaming the services, per layer: with DNS alone broken, connections by
 * address are still judged as measured.
 */
import { describe, expect, it } from 'vitest';
import { ADDR, v4 } from './hosts.js';
import { inLab, useLab, verdicts } from './lab-suite.js';

const QUICK = ['--retries', '0', '--timeout', '5s'];
/** A service by name, one by address, and one by address that is down for its own reasons. */
const SERVICES = [
  { name: 'www.lab', url: 'https://www.lab/' },
  { name: 'by address', url: `https://${v4('dual')}/` },
  { name: 'refusing host', url: `https://${v4('reset')}/` },
];

inLab.describe('network lab: local verdicts', () => {
  const lab = useLab();

  describe.concurrent('each', () => {
    it('no default route at the client: "no route", within the canaries\' budget', async () => {
      const run = await lab().check(lab().client({ defaultRoute: false }), { services: SERVICES.slice(0, 2) }, { args: QUICK });
      expect(run.report.localNetwork).toMatchObject({ ok: false, scope: 'network' });
      expect(run.report.localNetwork?.layers?.[0]).toBe('no route');
      expect(verdicts(run)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['by address', 'unknown', 'network.local'],
      ]);
      expect(run.code).toBe(3);
      expect(run.report.durationMs).toBeLessThan(1500 + 1000);
    });

    it('a refusing resolver: DNS is broken here within a second, while connections by address are judged', async () => {
      lab().routerRule('forward', `ip daddr ${v4('reset')} tcp dport 443 reject with tcp reset`);
      const run = await lab().check(lab().client({ resolver: ADDR.refusing }), { services: SERVICES }, { args: QUICK });
      expect(run.report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver not answering'] });
      expect(run.report.localNetwork?.reason).toMatch(/^DNS is broken here: resolver not answering — the system resolver \(.*dns\.refused.*\), while connections by address work$/);
      expect(verdicts(run)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['by address', 'up', null],
        ['refusing host', 'down', 'tcp.refused'],
      ]);
      expect(run.report.services[0]?.reason).toBe('not judged: local network problem — DNS is broken here: resolver not answering (measured: dns.refused)');
      expect(run.stdout).toContain("services' DNS failures are not judged (unknown)");
      // The refusal is known within a second (the by-address HTTPS service may take longer on a loaded machine).
      expect(run.report.services[0]?.durationMs).toBeLessThan(1000);
      expect(run.code).toBe(3);
    });

    it('a dead resolver (black-holed): DNS is broken here, resolver not answering', async () => {
      const run = await lab().check(lab().client({ resolver: ADDR.dead }), { services: SERVICES.slice(0, 2) }, { args: QUICK });
      expect(run.report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver not answering'] });
      expect(verdicts(run)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['by address', 'up', null],
      ]);
      // Silence is waited out within the service's 5 s budget (services are not stopped when only
      // DNS is broken: connections by address may still be answering).
      expect(run.report.durationMs).toBeLessThan(5000 + 1000);
      expect(run.code).toBe(3);
    });

    it('a resolver answering NXDOMAIN for everything: that verdict, even though IP works', async () => {
      const run = await lab().check(lab().client({ resolver: ADDR.liar }), { services: SERVICES.slice(0, 2) }, { args: QUICK });
      expect(run.report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver answering NXDOMAIN for everything'] });
      expect(verdicts(run)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['by address', 'up', null],
      ]);
      expect(run.stdout).toMatch(/local network problem: DNS is broken here: resolver answering NXDOMAIN for everything/);
      expect(run.code).toBe(3);
    });

    it('a middlebox intercepting TLS (every connection to 443 redirected to a portal): "TLS intercepted"', async () => {
      const client = lab().client({ v6: false });
      lab().routerRule('prerouting', `ip saddr ${client.v4} tcp dport 443 dnat ip to ${ADDR.portal}`);
      const run = await lab().check(client, { services: [SERVICES[0], { name: 'plain http', url: 'http://www.lab/' }] }, { args: QUICK });
      expect(run.report.localNetwork).toMatchObject({ ok: false, layers: ['TLS intercepted'] });
      expect(verdicts(run)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['plain http', 'up', null],
      ]);
      expect(run.stdout).toMatch(/local network problem: TLS intercepted — every certificate untrusted/);
      expect(run.code).toBe(3);
    });
  });
});
