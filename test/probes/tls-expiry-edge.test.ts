/**
 * The last hour of a certificate: still valid, so never down under the default `down: 0d` (curl
 * and blackbox_exporter succeed until it expires), but degraded `tls.expiring` — it needs renewing now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { identity, issue, testPki, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { ok, startHttps } from '../helpers/servers.js';
import { closeAfterAll } from '../helpers/own.js';

let pki: TestPki;
const own = closeAfterAll();

beforeAll(async () => {
  pki = await testPki();
});

describe('a certificate in its last hour', () => {
  it('is degraded tls.expiring with 0 days left, not down', async () => {
    const leaf = await issue({ name: 'last-hour.test', hosts: ['localhost', '127.0.0.1'], issuer: pki.root, validFromDays: -30, validToDays: 30 / (24 * 60) });
    const server = own(await startHttps(identity(leaf), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
    expect(result.reason).toContain('expires in 0 days');
    const days = probe(result, 'tls').details.daysLeft as number;
    expect(days).toBeGreaterThan(0);
    expect(days).toBeLessThanOrEqual(0.1);
  });

  it('is judged on the time left itself, not on the rounded days shown: 5 hours left under down: 6h is down', async () => {
    const leaf = await issue({ name: 'five-hours.test', hosts: ['localhost', '127.0.0.1'], issuer: pki.root, validFromDays: -30, validToDays: 5 / 24 });
    const server = own(await startHttps(identity(leaf), ok));
    const url = `https://localhost:${server.port}/`;
    const within = await checkOne({ url, tls: { ca: pki.rootFile, certificate: { down: '6h' } } });
    expect(within).toMatchObject({ status: 'down', code: 'tls.expiring' });
    // shown rounded up to tenths: 0.3 days, more than the 0.25 of 6h
    expect(probe(within, 'tls').details.daysLeft).toBe(0.3);
    const outside = await checkOne({ url, tls: { ca: pki.rootFile, certificate: { down: '4h' } } });
    expect(outside).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
  });
});

/**
 * The first hours after a certificate lapses are when monitoring reports it, and a certificate
 * valid from a few minutes ahead is most often this machine's clock running behind (ACME CAs
 * backdate theirs by an hour for that reason). Either way the reason names the certificate and the
 * time to the minute, not just the day.
 */
describe('a certificate just past its end or just before its start', () => {
  const HOSTS = ['localhost', '127.0.0.1'];

  it('a server certificate expired an hour ago is tls.expired naming it and the time', async () => {
    const leaf = await issue({ name: 'just-expired.test', hosts: HOSTS, issuer: pki.root, validFromDays: -30, validToDays: -1 / 24 });
    const server = own(await startHttps(identity(leaf), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/^server certificate CN=just-expired\.test expired (59m|1h 0m) ago \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
  });

  it('an intermediate expired an hour ago, behind a valid server certificate, is the one named', async () => {
    const intermediate = await issue({ name: 'Just Lapsed CA', ca: true, issuer: pki.root, validFromDays: -300, validToDays: -1 / 24 });
    const leaf = await issue({ name: 'behind.test', hosts: HOSTS, issuer: intermediate, validFromDays: -30, validToDays: 30 });
    const server = own(await startHttps(identity(leaf, intermediate), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/^intermediate CN=Just Lapsed CA expired (59m|1h 0m) ago/);
  });

  it('a server certificate valid from two minutes ahead is tls.not_yet_valid, with the time and a word on the clock', async () => {
    const leaf = await issue({ name: 'ahead.test', hosts: HOSTS, issuer: pki.root, validFromDays: 2 / (24 * 60), validToDays: 30 });
    const server = own(await startHttps(identity(leaf), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.not_yet_valid' });
    expect(result.reason).toMatch(/^server certificate CN=ahead\.test is not valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, in (1m|2m 0s)[^)]*\(is this machine's clock behind\?\)$/);
  });
});
