/**
 * Real network faults end to end: routes withdrawn or black-holed, ICMP errors, TCP resets,
 * packet loss, a path-MTU black hole, proxy-only and IPv6-only networks, an authoritative server
 * that never answers AAAA. Each scenario has its own client namespace and its own hosts, so they
 * run concurrently on one lab; the canaries (lab hosts) stay up, so no local verdict is expected.
 */
import { describe, expect, it } from 'vitest';
import { ADDR, FAIL_V6BROKEN_AAAA, v4, v6 } from './hosts.js';
import { inLab, useLab, verdicts } from './lab-suite.js';
import type { CheckRun } from './lab.js';

const QUICK = ['--retries', '0', '--timeout', '3s'];
const https = (name: string) => ({ name, url: `https://${name}/` });

inLab.describe('network lab: network faults', () => {
  const lab = useLab();

  /** One service in a fresh client; returns the run with the service's result. */
  async function one(name: string, args = QUICK, env: Record<string, string> = {}): Promise<CheckRun & { reason: string }> {
    const run = await lab().check(lab().client(), { services: [https(name)] }, { args, env });
    // No local verdict (canaries that finish after every service answered are stopped: no localNetwork).
    expect(run.report.localNetwork?.ok).not.toBe(false);
    return { ...run, reason: run.report.services[0]?.reason ?? '' };
  }

  describe.concurrent('connections', () => {
    it('a black-holed host (blackhole route) gives tcp.timeout', async () => {
      lab().route('add', 'blackhole', `${v4('blackhole')}/32`);
      const run = await one('blackhole.lab');
      expect(verdicts(run)).toEqual([['blackhole.lab', 'down', 'tcp.timeout']]);
      expect(run.code).toBe(2);
    });

    it('packets dropped by nftables give tcp.timeout', async () => {
      lab().routerRule('forward', `ip daddr ${v4('dropped')} drop`);
      expect(verdicts(await one('dropped.lab'))).toEqual([['dropped.lab', 'down', 'tcp.timeout']]);
    });

    it('ICMP host unreachable (unreachable route) gives tcp.unreachable, saying host', async () => {
      lab().route('add', 'unreachable', `${v4('hostUnreachable')}/32`);
      const run = await one('unreach-host.lab');
      expect(verdicts(run)).toEqual([['unreach-host.lab', 'down', 'tcp.unreachable']]);
      expect(run.reason).toBe(`${v4('hostUnreachable')}:443: host unreachable (no route, or a firewall prohibits it)`);
      expect(run.code).toBe(2);
    });

    it('ICMP net unreachable (no route at the router) gives tcp.unreachable, saying network', async () => {
      const run = await one('unreach-net.lab');
      expect(verdicts(run)).toEqual([['unreach-net.lab', 'down', 'tcp.unreachable']]);
      expect(run.reason).toBe(`${ADDR.unrouted}:443: network unreachable (no route)`);
    });

    it('ICMP administratively prohibited (prohibit route, nftables reject) gives tcp.unreachable', async () => {
      lab().route('add', 'prohibit', `${v4('prohibited')}/32`);
      lab().routerRule('forward', `ip daddr ${v4('rejectAdmin')} reject with icmp type admin-prohibited`);
      lab().routerRule('forward', `ip daddr ${v4('rejectHost')} reject with icmp type host-unreachable`);
      const [prohibited, admin, host] = await Promise.all([one('prohibited.lab'), one('reject-admin.lab'), one('reject-host.lab')]);
      // Linux reports "administratively prohibited" to a socket as EHOSTUNREACH, as it does host
      // unreachable: the reason names both.
      expect(verdicts(prohibited)).toEqual([['prohibited.lab', 'down', 'tcp.unreachable']]);
      expect(prohibited.reason).toContain('or a firewall prohibits it');
      expect(verdicts(admin)).toEqual([['reject-admin.lab', 'down', 'tcp.unreachable']]);
      expect(verdicts(host)).toEqual([['reject-host.lab', 'down', 'tcp.unreachable']]);
      expect(host.reason).toContain('host unreachable');
      // An ICMP error is an answer: no waiting for the timeout.
      expect(admin.report.services[0]?.durationMs).toBeLessThan(1000);
    });

    it('a TCP reset (nftables reject with tcp reset) gives tcp.refused', async () => {
      lab().routerRule('forward', `ip daddr ${v4('reset')} tcp dport 443 reject with tcp reset`);
      const run = await one('reset.lab');
      expect(verdicts(run)).toEqual([['reset.lab', 'down', 'tcp.refused']]);
      expect(run.code).toBe(2);
    });
  });

  describe.concurrent('name servers', () => {
    it('authoritative servers black-holed (silent, not refused): SERVFAIL in seconds (the tuned unbound), dns.servfail', async () => {
      lab().route('replace', 'blackhole', ADDR.fbNet);
      const run = await lab().check(lab().client(), { services: [https('www.facebook.lab')] }, { args: ['--retries', '0', '--timeout', '10s'] });
      expect(verdicts(run)).toEqual([['www.facebook.lab', 'down', 'dns.servfail']]);
      // Stock unbound takes ~35 s here; the 2021 public resolvers took a few seconds.
      expect(run.report.services[0]?.durationMs).toBeLessThan(6000);
    });
  });

  describe.concurrent('networks', () => {
    it('a proxy-only network: up through HTTPS_PROXY, and a local verdict without it', async () => {
      const client = lab().client();
      lab().routerRule('forward', `ip saddr ${client.v4} ip daddr != ${ADDR.proxy} reject with icmp type admin-prohibited`);
      lab().routerRule('forward', `ip6 saddr ${client.v6} reject with icmpv6 type admin-prohibited`);
      const config = { services: [https('www.lab'), https('canary.lab')] };
      const proxied = await lab().check(client, config, { args: QUICK, env: { HTTPS_PROXY: `http://${ADDR.proxy}:${ADDR.proxyPort}` } });
      expect(verdicts(proxied)).toEqual([
        ['www.lab', 'up', null],
        ['canary.lab', 'up', null],
      ]);
      // The system resolver is unreachable too, but nothing needed it: no verdict to give.
      expect(proxied.report.localNetwork?.ok).not.toBe(false);
      expect(proxied.code).toBe(0);

      const direct = await lab().check(client, config, { args: QUICK });
      expect(direct.report.localNetwork).toMatchObject({ ok: false, verdict: 'local network problem' });
      expect(direct.report.localNetwork?.layers).toContain('no route');
      expect(verdicts(direct)).toEqual([
        ['www.lab', 'unknown', 'network.local'],
        ['canary.lab', 'unknown', 'network.local'],
      ]);
      expect(direct.code).toBe(3);
    });

    it('an IPv6-only client: up over IPv6', async () => {
      const client = lab().client({ v4: false, resolver: ADDR.resolver6, resolverAttempts: 2 });
      const run = await lab().check(client, { services: [https('www.lab')], canaries: [] }, { args: QUICK });
      expect(verdicts(run)).toEqual([['www.lab', 'up', null]]);
      expect(run.report.services[0]?.probes.find((p) => p.kind === 'tcp')?.details).toMatchObject({ address: `[${v6('dual')}]:443` });
    });

    it('IPv4 black-holed while IPv6 works: up', async () => {
      const client = lab().client({ resolver: ADDR.resolver6, resolverAttempts: 2 });
      lab().routerRule('forward', `ip saddr ${client.v4} drop`);
      const run = await lab().check(client, { services: [https('www.lab')], canaries: [] }, { args: QUICK });
      expect(verdicts(run)).toEqual([['www.lab', 'up', null]]);
      expect(run.code).toBe(0);
    });

    it('IPv6 black-holed while IPv4 works (AAAA answered, the IPv6 path dead): up over IPv4, as Happy Eyeballs clients are', async () => {
      // The resolver is asked over IPv4 (the default), as on a network whose IPv6 is broken.
      const client = lab().client();
      lab().routerRule('forward', `ip6 saddr ${client.v6} drop`);
      const run = await lab().check(client, { services: [https('www.lab')], canaries: [] }, { args: QUICK });
      expect(verdicts(run)).toEqual([['www.lab', 'up', null]]);
      expect(run.report.services[0]?.probes.find((p) => p.kind === 'tcp')?.details).toMatchObject({ address: `${v4('dual')}:443` });
      expect(run.code).toBe(0);
    });

    it('30% packet loss both ways, with retries: never down with a wrong code', async () => {
      const client = lab().client();
      lab().routerRule('forward', `ip saddr ${client.v4} numgen random mod 100 < 30 drop`);
      lab().routerRule('forward', `ip daddr ${client.v4} numgen random mod 100 < 30 drop`);
      const services = Array.from({ length: 6 }, (_, i) => ({ name: `lossy ${i}`, url: `https://${v4('lossy')}/?${i}` }));
      const run = await lab().check(client, { services, canaries: [] }, { args: ['--retries', '2', '--timeout', '4s'] });
      // Loss makes things slow or time out; it never looks like a refusal, a bad certificate or a bad answer.
      const wrong = run.report.services.filter((s) => s.status !== 'up' && !/timeout$|\.slow$/.test(s.code ?? ''));
      expect(wrong.map((s) => [s.name, s.status, s.code, s.reason])).toEqual([]);
      expect(run.report.services.filter((s) => s.status === 'up').length).toBeGreaterThan(0);
    });

    it('a path-MTU black hole on a large certificate chain: the handshake times out (tls.handshake_timeout)', async () => {
      const client = lab().client({ routerMtu: 1000 });
      lab().routerRule('output', `ip daddr ${v4('bigChain')} icmp type destination-unreachable icmp code frag-needed drop`);
      const run = await lab().check(client, { services: [https('bigchain.lab')], canaries: [] }, { args: QUICK });
      expect(verdicts(run)).toEqual([["bigchain.lab", "down", "tls.handshake_timeout"]]);
      // Small packets get through: the connection itself was made.
      expect(run.report.services[0]?.probes.find((p) => p.kind === 'tcp')?.status).toBe('up');
    });

    it('only AAAA failing at the authoritative server: degraded, not down — reached over IPv4, the AAAA failure judged', async () => {
      lab().authRule(FAIL_V6BROKEN_AAAA);
      const run = await one('www.v6broken.lab', ['--retries', '0', '--timeout', '6s']);
      const [service] = run.report.services;
      expect(service?.status).toBe('degraded');
      expect(service?.code).toMatch(/^dns\./);
      expect(service?.reason).toContain('AAAA');
      const dns = service?.probes.find((p) => p.kind === 'dns');
      expect(dns?.details).toMatchObject({ records: [{ type: 'A', value: v4('aaaaBroken') }], partialFailures: [{ type: 'AAAA' }] });
      expect(dns?.details.pending).toBeUndefined();
      // The connection did not wait for the AAAA verdict: the page was fetched over IPv4.
      expect(service?.probes.find((p) => p.kind === 'http')?.status).toBe('up');
    });
  });
});
