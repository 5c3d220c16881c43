/**
 * The five seed outages reproduced in the network lab: the real CLI inside a client namespace,
 * behind real unbound, nsd, nginx. Status, code and exit code are what a user of outage would
 * have seen. Independent scenarios run concurrently on one shared lab.
 */
import { describe, expect, it } from 'vitest';
import { inLab, show, useLab, verdicts } from './lab-suite.js';
import type { CheckRun } from './lab.js';
import { SEED_OUTAGES } from './seed-outages.js';

inLab.describe('network lab: the seed outages', () => {
  const lab = useLab();

  async function reproduce(id: string): Promise<CheckRun> {
    const outage = SEED_OUTAGES.find((o) => o.id === id);
    if (!outage) throw new Error(`no seed outage ${id}`);
    const { client, config } = outage.setup(lab());
    const run = await lab().check(client, config);
    show(outage.id, outage.title, run);
    expect(run.stderr).not.toMatch(/error|Error/);
    // The canaries are lab hosts that stay up: an outage elsewhere is never the local network's.
    expect(run.report.localNetwork?.ok).toBe(true);
    return run;
  }

  describe.concurrent('each', () => {
    it('facebook-2021: authoritative servers unreachable → dns.servfail, one common cause, the rest up', async () => {
      const run = await reproduce('facebook-2021');
      expect(verdicts(run)).toEqual([
        ['Facebook', 'down', 'dns.servfail'],
        ['Instagram', 'down', 'dns.servfail'],
        ['WhatsApp', 'down', 'dns.servfail'],
        ['Facebook by address', 'down', 'tcp.unreachable'],
        ['Healthy', 'up', null],
      ]);
      expect(run.report.services[3]?.reason).toContain('network unreachable');
      expect(run.report.commonCauses[0]).toMatchObject({ services: ['Facebook', 'Instagram', 'WhatsApp'] });
      expect(run.stdout).toMatch(/likely common cause: 3 of 4 down services fail with dns\.servfail/);
      expect(run.code).toBe(2);
      // unbound (tuned as in the README) gives up in seconds, as the public resolvers did.
      expect(run.report.services[0]?.durationMs).toBeLessThan(4000);
    });

    it('slack-2021: 503s and a stalled backend → http.status and http.timeout, with DNS and TLS fine', async () => {
      const run = await reproduce('slack-2021');
      expect(verdicts(run)).toEqual([
        ['Slack API', 'down', 'http.status'],
        ['Slack app', 'down', 'http.timeout'],
      ]);
      for (const service of run.report.services) {
        expect(service.probes.filter((p) => p.kind === 'dns' || p.kind === 'tls').map((p) => p.status)).toEqual(['up', 'up']);
      }
      expect(run.code).toBe(2);
    });

    it('amazon-2020: page 200, image host with an expired certificate → degraded, naming the host', async () => {
      const run = await reproduce('amazon-2020');
      expect(verdicts(run)).toEqual([['Amazon', 'degraded', 'tls.expired']]);
      expect(run.report.services[0]?.reason).toContain('images.amazon.lab tls.expired');
      expect(run.code).toBe(1);
    });

    it('aws-2021: services CNAMEd into a black-holed edge → down, one common cause through the provider', async () => {
      const run = await reproduce('aws-2021');
      expect(verdicts(run)).toEqual([
        ['Shop', 'down', 'tcp.timeout'],
        ['Tickets', 'down', 'tcp.timeout'],
        ['News', 'down', 'tcp.timeout'],
        ['Healthy', 'up', null],
      ]);
      expect(run.report.commonCauses[0]).toMatchObject({ kind: 'cname', value: 'awslab.lab', services: ['Shop', 'Tickets', 'News'] });
      // The healthy service shares the /24: that network is not blamed.
      expect(run.report.commonCauses.map((c) => c.kind)).not.toContain('network');
      expect(run.code).toBe(2);
    });

    it("meta-2024: 200 with a logged-out page → http.body_mismatch, beside the vendor's own words", async () => {
      const run = await reproduce('meta-2024');
      expect(verdicts(run)).toEqual([['Facebook feed', 'down', 'http.body_mismatch']]);
      expect(run.report.services[0]?.reason).toContain('vendor: major outage — Users are being logged out of Facebook and Instagram');
      expect(run.code).toBe(2);
    });
  });
});
