/**
 * Issue 12, class 3: bodies. Content checks read the body as a browser would — by its declared
 * charset and every content encoding curl --compressed decodes — and a body that does not decode
 * is `http.protocol` when a content check depends on it, never a silent pass on a fragment.
 */
import { describe, it } from 'vitest';
import { closeAfterAll } from '../helpers/own.js';
import { BODY_CHARSETS, BODY_CODINGS, BODY_CORRUPT, bodiesOverTheCap } from './http-cases.js';
import { casesRunner } from './raw-http.js';

// The cases are data in http-cases.ts, shared with the whole-suite test (suite.ts).
const runCases = casesRunner(closeAfterAll());

describe('class 3: bodies decoded by their charset', () => {
  it('reads a latin1 page however it declares its charset', async () => {
    await runCases(BODY_CHARSETS);
  });
});

describe('class 3: bodies decoded by every encoding curl --compressed handles', () => {
  it('decodes gzip, zlib and raw deflate, br and stacked codings', async () => {
    await runCases(BODY_CODINGS);
  });

  it('a body that does not decode fails a content check with http.protocol, and only a content check', async () => {
    await runCases(BODY_CORRUPT);
  });
});

describe('class 3: the 1 MiB cap is not corruption', () => {
  it('a compressed body larger than the cap decodes as far as the cap and passes a check on its start', async () => {
    await runCases(bodiesOverTheCap());
  });
});
