/**
 * The five seed outages, each rebuilt in the lab: the fault a real incident had, and the services
 * a user would have been checking. Used by seed-outages.test.ts (which asserts what outage says)
 * and by `npm run lab` (which shows it).
 */
import { ADDR, FB_WEB, v4 } from './hosts.js';
import type { Client, Lab } from './lab.js';

export interface SeedOutage {
  id: string;
  title: string;
  /** Applies the fault and returns the client to run in and the config to run with. */
  setup(lab: Lab): { client: Client; config: Record<string, unknown> };
}

/** Seed scenarios use outage's defaults but a 4 s budget, so the lab stays quick. */
const defaults = { timeout: '4s' };
const https = (name: string, host: string, extra: Record<string, unknown> = {}) => ({ name, url: `https://${host}/`, ...extra });
const control = https('Healthy', 'www.healthy.lab');

export const SEED_OUTAGES: SeedOutage[] = [
  {
    id: 'facebook-2021',
    title: 'Facebook, 4 Oct 2021: routes to its authoritative DNS servers withdrawn',
    setup(lab) {
      lab.route('del', ADDR.fbNet);
      return {
        client: lab.client(),
        config: {
          defaults,
          services: [
            https('Facebook', 'www.facebook.lab'),
            https('Instagram', 'www.instagram.lab'),
            https('WhatsApp', 'www.whatsapp.lab'),
            // Its web servers, asked by address: gone with the same routes.
            { name: 'Facebook by address', url: `https://${FB_WEB[0]}/` },
            control,
          ],
        },
      };
    },
  },
  {
    id: 'slack-2021',
    title: 'Slack, 4 Jan 2021: the web tier answers 503 and stalls behind its proxies',
    setup: (lab) => ({
      client: lab.client(),
      config: { defaults, services: [https('Slack API', 'slack.lab'), https('Slack app', 'app.slack.lab')] },
    }),
  },
  {
    id: 'amazon-2020',
    title: "Amazon, Apr 2020: the page loads, but its image host's certificate has expired",
    setup: (lab) => ({
      client: lab.client(),
      config: { defaults, services: [https('Amazon', 'amazon.lab', { http: { assets: true } })] },
    }),
  },
  {
    id: 'aws-2021',
    title: "AWS, 7 Dec 2021: services CNAMEd into one provider whose edge is black-holed",
    setup(lab) {
      lab.route('add', 'blackhole', `${v4('edgeA')}/32`);
      lab.route('add', 'blackhole', `${v4('edgeB')}/32`);
      return {
        client: lab.client(),
        config: { defaults, services: [https('Shop', 'www.shop.lab'), https('Tickets', 'www.tickets.lab'), https('News', 'www.news.lab'), control] },
      };
    },
  },
  {
    id: 'meta-2024',
    title: 'Meta, 5 Mar 2024: 200s with a logged-out page, and the vendor says so',
    setup: (lab) => ({
      client: lab.client(),
      config: {
        defaults,
        services: [https('Facebook feed', 'www.meta.lab', { http: { expect: { body: 'News Feed' } }, status: 'https://status.meta.lab/api/v2/summary.json' })],
      },
    }),
  },
];
