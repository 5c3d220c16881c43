/** Every status-page parser on recorded bodies of the real shapes, quirks included. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/probes/http/body.js';
import { kindFromBody, kindFromUrl, parseVendorStatus } from '../../src/status-pages/registry.js';
import { vendorWords } from '../../src/core/vendor-status.js';

const fixture = (name: string): unknown => JSON.parse(decodeText(readFileSync(new URL(`../fixtures/status/${name}`, import.meta.url))));

function parsed(name: string, kind?: Parameters<typeof parseVendorStatus>[1]) {
  const result = parseVendorStatus(fixture(name), kind);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('Statuspage v2 summary', () => {
  it('an open major incident wins over an indicator still saying none (the quirk)', () => {
    const status = parsed('statuspage-major.json', 'statuspage');
    expect(status.indicator).toBe('major');
    expect(status.incidents[0]).toMatchObject({ name: 'Users may have trouble loading messages', impact: 'major', url: 'https://stspg.io/p1x0l7mm4hqz' });
    expect(vendorWords(status)).toBe('major outage — Users may have trouble loading messages');
  });

  it('all operational with a maintenance only scheduled is none', () => {
    const status = parsed('statuspage-ok.json');
    expect(status).toMatchObject({ kind: 'statuspage', indicator: 'none', incidents: [], components: [] });
    expect(vendorWords(status)).toBe('operational');
  });
});

describe('Slack current status', () => {
  it('"ok" with active_incidents missing altogether (the quirk) is none', () => {
    expect(parsed('slack-ok.json', 'slack')).toMatchObject({ indicator: 'none', incidents: [] });
  });

  it('an active outage is major, with its title, services and latest note', () => {
    const status = parsed('slack-outage.json', 'slack');
    expect(status.indicator).toBe('major');
    expect(status.incidents[0]).toMatchObject({ name: 'Users may have trouble loading messages', impact: 'outage', update: "We've identified the cause and are working on a fix." });
    expect(status.components.map((c) => c.name)).toEqual(['Messaging', 'Connectivity', 'Workspace/Org Administration']);
    expect(vendorWords(status)).toBe('major outage — Users may have trouble loading messages (+1 more)');
  });
});

describe('the other products', () => {
  it('incident.io: an ongoing partial outage is minor, with its last update', () => {
    const status = parsed('incidentio.json', 'incidentio');
    expect(status).toMatchObject({ indicator: 'minor', components: [{ name: 'ChatGPT', status: 'partial_outage' }] });
    expect(status.incidents[0]?.update).toMatch(/applying a mitigation/);
  });

  it('Instatus: HASISSUES with a MAJOROUTAGE incident is major', () => {
    expect(parsed('instatus.json', 'instatus')).toMatchObject({ indicator: 'major', incidents: [{ name: 'Login failures in EU', impact: 'MAJOROUTAGE' }] });
  });

  it('Google Cloud: only incidents without an end are open', () => {
    const status = parsed('gcp-incidents.json', 'gcp');
    expect(status.indicator).toBe('major');
    expect(status.incidents.map((i) => i.name)).toEqual(['Cloud Storage: elevated error rates in us-east1']);
    expect(status.incidents[0]?.url).toBe('https://status.cloud.google.com/incidents/a1B2');
  });

  it('AWS Health: UTF-16 big-endian with a BOM decodes to the event list', () => {
    const raw = readFileSync(new URL('../fixtures/status/aws-currentevents.utf16be.json', import.meta.url));
    expect([raw[0], raw[1]]).toEqual([0xfe, 0xff]);
    const status = parsed('aws-currentevents.utf16be.json', 'aws');
    expect(status.indicator).toBe('major');
    expect(status.incidents[0]).toMatchObject({ name: '[Disruption] Increased API error rates', status: 'N. Virginia' });
    expect(parsed('aws-empty.utf16be.json', 'aws')).toMatchObject({ indicator: 'none', incidents: [] });
  });
});

describe('recognising the product', () => {
  it.each([
    ['https://www.githubstatus.com/api/v2/summary.json', 'statuspage'],
    ['https://slack-status.com/api/v2.0.0/current', 'slack'],
    ['https://status.openai.com/api/v1/summary', 'incidentio'],
    ['https://status.acme.example/summary.json', 'instatus'],
    ['https://status.cloud.google.com/incidents.json', 'gcp'],
    ['https://health.aws.amazon.com/public/currentevents', 'aws'],
    ['https://status.example.com/', undefined],
  ])('from the URL %s', (url, kind) => {
    expect(kindFromUrl(new URL(url))).toBe(kind);
  });

  it.each([
    ['statuspage-major.json', 'statuspage'],
    ['slack-outage.json', 'slack'],
    ['incidentio.json', 'incidentio'],
    ['instatus.json', 'instatus'],
    ['gcp-incidents.json', 'gcp'],
    ['aws-currentevents.utf16be.json', 'aws'],
  ])('from the body of %s', (name, kind) => {
    expect(kindFromBody(fixture(name))).toBe(kind);
  });

  it('a body of no known shape is a reason, not a guess', () => {
    expect(parseVendorStatus({ hello: 'world' }, undefined)).toMatch(/not a status page format outage knows/);
    expect(parseVendorStatus('<html>', 'statuspage')).toMatch(/not a Statuspage summary/);
    expect(parseVendorStatus({ status: 'fine' }, 'slack')).toMatch(/not a Slack status body/);
  });
});
