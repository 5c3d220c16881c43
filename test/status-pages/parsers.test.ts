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
    expect(status.indicator).toBe('minor');
    expect(status.incidents.map((i) => i.name)).toEqual(['Cloud Storage: elevated error rates in us-east1']);
    expect(status.incidents[0]?.url).toBe('https://status.cloud.google.com/incidents/a1B2');
  });

  it('AWS Health: UTF-16 big-endian with a BOM decodes to the event list', () => {
    const raw = readFileSync(new URL('../fixtures/status/aws-currentevents.utf16be.json', import.meta.url));
    expect([raw[0], raw[1]]).toEqual([0xfe, 0xff]);
    const status = parsed('aws-currentevents.utf16be.json', 'aws');
    expect(status.indicator).toBe('minor');
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

/**
 * What a person in the middle of an outage reads beside the measurement must be what the vendor
 * said: never "operational" for a body outage could not read, never a false alarm from a feed that
 * lists every product in every region.
 */
describe('hostile and odd bodies', () => {
  const read = (body: unknown, kind?: Parameters<typeof parseVendorStatus>[1]) => parseVendorStatus(body, kind);

  it.each([
    ['numbers', [1, 2, 3]],
    ['strings', ['outage', 'everything is down']],
    ['nested lists', JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown],
    ['objects of no known product', [{ hello: 'world' }]],
  ])('a JSON array of %s is not recognised as any product (it used to read as AWS "operational")', (_what, body) => {
    expect(kindFromBody(body)).toBeUndefined();
    expect(read(body)).toMatch(/not a status page format outage knows/);
  });

  it('an empty array still reads as calm: AWS Health with nothing open', () => {
    expect(read([])).toMatchObject({ kind: 'aws', indicator: 'none', incidents: [] });
  });

  it.each(['aws', 'gcp'] as const)('%s: a list with entries but no event in it is unreadable, not operational', (kind) => {
    expect(read(['outage'], kind)).toMatch(/^not an? /);
    expect(read([[{ status: '3' }]], kind)).toMatch(/^not an? /);
  });

  it('Statuspage: an indicator outage does not know is unreadable, not "operational"', () => {
    const body = { page: { id: 'x' }, status: { indicator: 'catastrophic', description: 'Major System Outage' }, components: [], incidents: [] };
    expect(read(body, 'statuspage')).toMatch(/indicator "catastrophic"/);
    expect(read({ ...body, status: { indicator: 3 } }, 'statuspage')).toMatch(/indicator "3"/);
  });

  it('Statuspage: an unknown indicator beside a readable incident is read from the incident', () => {
    const body = { status: { indicator: 'catastrophic' }, incidents: [{ name: 'API down', status: 'investigating', impact: 'major' }] };
    expect(read(body, 'statuspage')).toMatchObject({ indicator: 'major', incidents: [{ name: 'API down' }] });
  });

  it('Statuspage: a component in a status outage does not know is not operational (shown, ranked minor)', () => {
    const status = read({ status: { indicator: 'none' }, components: [{ name: 'API', status: 'offline' }], incidents: [] }, 'statuspage');
    expect(status).toMatchObject({ indicator: 'minor', components: [{ name: 'API', status: 'offline' }] });
    expect(vendorWords(status as Exclude<typeof status, string>)).toBe('minor incident — API: offline');
  });

  it('Statuspage: status.json (indicator only) shows the vendor\'s own headline', () => {
    const status = read({ page: { id: 'x' }, status: { indicator: 'major', description: 'Partial System Outage' } });
    expect(vendorWords(status as Exclude<typeof status, string>)).toBe('major outage — Partial System Outage');
  });

  it('Statuspage: the other v2 endpoints are Statuspage, not Google Cloud', () => {
    expect(kindFromUrl(new URL('https://www.githubstatus.com/api/v2/incidents.json'))).toBe('statuspage');
    expect(kindFromUrl(new URL('https://www.githubstatus.com/api/v2/incidents/unresolved.json'))).toBe('statuspage');
    expect(kindFromBody({ page: { id: 'x' }, incidents: [] })).toBe('statuspage');
    const unresolved = read({ page: { id: 'x' }, incidents: [{ name: 'Git pushes failing', status: 'identified', impact: 'critical' }] });
    expect(unresolved).toMatchObject({ kind: 'statuspage', indicator: 'critical' });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a word that names an Object property ("%s") is an unknown word, ranked minor', (word) => {
    const ranked = (body: unknown, kind: Parameters<typeof parseVendorStatus>[1]) => (read(body, kind) as Exclude<ReturnType<typeof read>, string>).indicator;
    expect(ranked({ status: { indicator: 'none' }, components: [{ name: 'API', status: word }] }, 'statuspage')).toBe('minor');
    expect(ranked({ status: 'active', active_incidents: [{ title: 'x', type: word, status: 'active' }] }, 'slack')).toBe('minor');
    expect(ranked({ ongoing_incidents: [{ name: 'x', current_worst_impact: word }] }, 'incidentio')).toBe('minor');
    expect(ranked({ page: { status: 'UP' }, activeIncidents: [{ name: 'x', impact: word }] }, 'instatus')).toBe('minor');
    expect(ranked([{ status: word, summary: 'x', service_name: 'EC2' }], 'aws')).toBe('minor');
    expect(ranked([{ begin: '2026-01-01T00:00:00Z', external_desc: 'x', status_impact: word }], 'gcp')).toBe('minor');
    expect(read({ page: { status: word } }, 'instatus')).toMatch(/not an Instatus summary/);
  });

  it('Slack: items scheduled, completed or cancelled are not active incidents', () => {
    const item = (status: string) => ({ title: `outage ${status}`, type: 'outage', status });
    const status = read({ status: 'active', active_incidents: [item('scheduled'), item('completed'), item('cancelled'), item('resolved')] }, 'slack');
    expect(status).toMatchObject({ indicator: 'minor', incidents: [] });
  });
});

describe('feeds of every product in every region (AWS Health, Google Cloud, Google Workspace)', () => {
  // AWS listed region-wide disruptions in me-central-1 and me-south-1, open for months: read as a
  // major outage they made the default `aws` entry degraded for everyone, everywhere.
  it('an open AWS disruption is shown, ranked minor: the feed cannot say it is the measured service', () => {
    const status = parsed('aws-currentevents.utf16be.json', 'aws');
    expect(status.indicator).toBe('minor');
    expect(status.incidents[0]).toMatchObject({ name: '[Disruption] Increased API error rates', impact: '3' });
    expect(vendorWords(status)).toBe('minor incident — [Disruption] Increased API error rates');
  });

  it('an open Google Cloud SERVICE_OUTAGE of one product is shown, ranked minor', () => {
    const status = parsed('gcp-incidents.json', 'gcp');
    expect(status.indicator).toBe('minor');
    expect(status.incidents[0]).toMatchObject({ name: 'Cloud Storage: elevated error rates in us-east1', impact: 'SERVICE_OUTAGE' });
  });
});

describe('a stale claim (nothing on the page updated for a week)', () => {
  const NOW = Date.parse('2026-11-24T12:00:00Z');
  const page = (updated: string, impact = 'critical') => ({
    page: { id: 'x', updated_at: updated },
    status: { indicator: impact, description: 'Major System Outage' },
    components: [],
    incidents: [{ name: 'Old forgotten incident', status: 'investigating', impact, created_at: updated, updated_at: updated }],
  });
  const read = (body: unknown, kind?: Parameters<typeof parseVendorStatus>[1], now = NOW) => parseVendorStatus(body, kind, now) as Exclude<ReturnType<typeof parseVendorStatus>, string>;

  it('an outage the vendor has not touched for over a week is shown, ranked minor, with its date', () => {
    const status = read(page('2019-01-01T00:00:00Z'));
    expect(status).toMatchObject({ indicator: 'minor', updatedAt: '2019-01-01T00:00:00.000Z', stale: true });
    expect(vendorWords(status)).toBe('minor incident — Old forgotten incident (not updated since 2019-01-01)');
  });

  it('an outage updated within the week is the vendor\'s word as it stands', () => {
    const status = read(page('2026-11-20T09:00:00Z'));
    expect(status).toMatchObject({ indicator: 'critical' });
    expect(status.stale).toBeUndefined();
    expect(vendorWords(status)).toBe('critical outage — Old forgotten incident');
  });

  it('a page that gives no date, or a calm old page, is never stale', () => {
    const { page: _p, ...undated } = page('2019-01-01T00:00:00Z');
    expect(read({ ...undated, incidents: [{ name: 'x', status: 'investigating', impact: 'major' }] }).indicator).toBe('critical');
    expect(read({ page: { updated_at: '2019-01-01T00:00:00Z' }, status: { indicator: 'none' }, incidents: [] })).toMatchObject({ indicator: 'none' });
    expect(read({ page: { updated_at: '2019-01-01T00:00:00Z' }, status: { indicator: 'none' }, incidents: [] }).stale).toBeUndefined();
  });

  it('one fresh incident keeps the page current', () => {
    const body = page('2019-01-01T00:00:00Z');
    body.incidents.push({ name: 'New', status: 'investigating', impact: 'major', created_at: '2026-11-24T11:00:00Z', updated_at: '2026-11-24T11:30:00Z' });
    expect(read(body)).toMatchObject({ indicator: 'critical' });
  });

  it('Slack, incident.io and Instatus by their own dates', () => {
    const old = '2025-01-01T00:00:00-08:00';
    expect(read({ status: 'active', date_updated: old, active_incidents: [{ title: 'x', type: 'outage', status: 'active', date_updated: old }] }, 'slack')).toMatchObject({ indicator: 'minor', stale: true });
    expect(read({ ongoing_incidents: [{ name: 'x', current_worst_impact: 'full_outage', last_update_at: old }] }, 'incidentio')).toMatchObject({ indicator: 'minor', stale: true });
    expect(read({ page: { status: 'HASISSUES' }, activeIncidents: [{ name: 'x', impact: 'MAJOROUTAGE', updatedAt: old }] }, 'instatus')).toMatchObject({ indicator: 'minor', stale: true });
  });

  it('the recorded bodies of the real shapes, read a year later', () => {
    const later = Date.parse('2027-11-20T00:00:00Z');
    expect(parseVendorStatus(fixture('statuspage-major.json'), 'statuspage', later)).toMatchObject({ indicator: 'minor', stale: true });
    expect(parseVendorStatus(fixture('slack-outage.json'), 'slack', later)).toMatchObject({ indicator: 'minor', stale: true });
  });
});

describe('a page listing thousands of incidents', () => {
  it('keeps the first 20 incidents and components, and counts the rest: the report stays the size of a report', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `incident ${i}`, status: 'investigating', impact: 'minor' }));
    const status = parseVendorStatus({ status: { indicator: 'minor' }, incidents: many(5000), components: many(300).map((c) => ({ name: c.name, status: 'partial_outage' })) }, 'statuspage');
    if (typeof status === 'string') throw new Error(status);
    expect(status.incidents).toHaveLength(20);
    expect(status.components).toHaveLength(20);
    expect(status).toMatchObject({ moreIncidents: 4980, moreComponents: 280 });
    expect(vendorWords(status)).toBe('minor incident — incident 0 (+4999 more)');
  });
});
