/**
 * Chains as servers really send them: the leaf twice (cert.pem and fullchain.pem concatenated),
 * out of order, with an unrelated certificate, with an expired cross-signing root (Let's Encrypt
 * after DST Root CA X3 expired in 2021). OpenSSL verifies all of these on the path it builds, and
 * curl and browsers agree; the expiry verdict must name the earliest-expiring certificate of that
 * path, whatever else the server sent and in whatever order.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identity, issue, testPki, type Issued, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttps } from '../helpers/servers.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

const HOSTS = ['localhost', '127.0.0.1'];

async function checkSent(leaf: Issued, sent: Issued[], ca = pki.rootFile) {
  const server = own(await startHttps(identity(leaf, ...sent), ok));
  return checkOne({ url: `https://localhost:${server.port}/`, tls: { ca } });
}

const subjects = (result: Awaited<ReturnType<typeof checkOne>>) => (probe(result, 'tls').details.chain as { subject: string }[]).map((c) => c.subject);

describe('a chain as the server sends it', () => {
  it('the leaf sent twice before its intermediate: the intermediate expiring in 5 days is still tls.expiring', async () => {
    const intermediate = await issue({ name: 'Soon Intermediate', ca: true, issuer: pki.root, validToDays: 5.5 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: intermediate, validToDays: 60 });
    const result = await checkSent(leaf, [leaf, intermediate]);
    expect(result).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
    expect(result.reason).toMatch(/chain certificate CN=Soon Intermediate expires in 5 days/);
    expect(subjects(result)).toEqual(['CN=localhost', 'CN=Soon Intermediate', 'CN=Outage Test Root']);
  });

  it('the leaf sent twice before an expired intermediate: tls.expired names that intermediate', async () => {
    const intermediate = await issue({ name: 'Lapsed Intermediate', ca: true, issuer: pki.root, validFromDays: -200, validToDays: -2 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: intermediate, validToDays: 60 });
    const result = await checkSent(leaf, [leaf, intermediate]);
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/intermediate CN=Lapsed Intermediate expired 2d ago/);
  });

  it('intermediates sent out of order, with an unrelated certificate among them, are judged on the path', async () => {
    const upper = await issue({ name: 'Upper Intermediate', ca: true, issuer: pki.root, validToDays: 400 });
    const lower = await issue({ name: 'Lower Intermediate', ca: true, issuer: upper, validToDays: 9.5 });
    const unrelated = await issue({ name: 'Unrelated Expiring CA', ca: true, validToDays: 1.5 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: lower, validToDays: 60 });
    const result = await checkSent(leaf, [upper, unrelated, lower]);
    expect(result).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
    expect(result.reason).toMatch(/chain certificate CN=Lower Intermediate expires in 9 days/);
    expect(subjects(result)).toEqual(['CN=localhost', 'CN=Lower Intermediate', 'CN=Upper Intermediate', 'CN=Outage Test Root']);
  });

  it("an expired cross-signing root the server still sends (Let's Encrypt after DST Root CA X3) does not count: up on the trusted root", async () => {
    const oldRoot = await issue({ name: 'DST Root CA X3', ca: true, validFromDays: -3000, validToDays: -30 });
    const newRoot = await issue({ name: 'ISRG Root X1', ca: true, validFromDays: -2000, validToDays: 3000 });
    const crossSigned = await issue({ name: 'ISRG Root X1', ca: true, issuer: oldRoot, keys: newRoot.keys, validFromDays: -1500, validToDays: 1000 });
    const r3 = await issue({ name: 'R3', ca: true, issuer: newRoot, validToDays: 700 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: r3, validToDays: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'outage-cross-'));
    const ca = join(dir, 'roots.pem');
    writeFileSync(ca, `${oldRoot.certPem}\n${newRoot.certPem}\n`);
    const result = await checkSent(leaf, [r3, crossSigned], ca);
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(subjects(result)).toEqual(['CN=localhost', 'CN=R3', 'CN=ISRG Root X1']);
    expect(probe(result, 'tls').details.daysLeft as number).toBeGreaterThan(59);
  });

  it('an untrusted private root sent before its intermediate, a stray CA after: the reason names that root, not the last certificate sent', async () => {
    const privateRoot = await issue({ name: 'Private Root', ca: true });
    const intermediate = await issue({ name: 'Private Intermediate', ca: true, issuer: privateRoot });
    const stray = await issue({ name: 'Stray Old Intermediate', ca: true, issuer: await issue({ name: 'Somebody Else Root', ca: true }) });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: intermediate });
    const result = await checkSent(leaf, [privateRoot, intermediate, stray]);
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('chain ends in an untrusted root (CN=Private Root)');
  });

  it('an intermediate whose root is nowhere, a stray CA after it: the reason names the missing root, not the stray one', async () => {
    const privateRoot = await issue({ name: 'Private Root', ca: true });
    const intermediate = await issue({ name: 'Private Intermediate', ca: true, issuer: privateRoot });
    const stray = await issue({ name: 'Stray Old Intermediate', ca: true, issuer: await issue({ name: 'Somebody Else Root', ca: true }) });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: intermediate });
    const result = await checkSent(leaf, [intermediate, stray]);
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toMatch(/^issuer CN=Private Root is not a trusted CA/);
  });

  it('an intermediate sent twice, an older issue expiring in 3 days before the renewed one: the renewed one limits nothing sooner', async () => {
    // OpenSSL takes the first valid issuer it finds, and once the older issue lapses it takes the
    // renewed one: the older copy never ends the service, so it is no reason to warn.
    const renewed = await issue({ name: 'Renewed Intermediate', ca: true, issuer: pki.root, validFromDays: -10, validToDays: 500 });
    const older = await issue({ name: 'Renewed Intermediate', ca: true, issuer: pki.root, keys: renewed.keys, validFromDays: -800, validToDays: 3 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: renewed, validToDays: 60 });
    const result = await checkSent(leaf, [older, renewed]);
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'tls').details.daysLeft as number).toBeGreaterThan(59);
  });

  it('a trusted root that has itself expired is tls.expired naming the root, as OpenSSL, curl and Go refuse it', async () => {
    const lapsedRoot = await issue({ name: 'Lapsed Root', ca: true, validFromDays: -3000, validToDays: -1.5 });
    const leaf = await issue({ name: 'localhost', hosts: HOSTS, issuer: lapsedRoot, validToDays: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'outage-lapsed-'));
    const ca = join(dir, 'root.pem');
    writeFileSync(ca, lapsedRoot.certPem);
    const result = await checkSent(leaf, [], ca);
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/^root CN=Lapsed Root expired 1d ago/);
  });
});
