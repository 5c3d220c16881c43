/**
 * The recorded status-page bodies (test/fixtures/status), served as if recorded just now: a claimed
 * outage not updated for a week is stale (src/status-pages/freshness.ts), and a test that serves a
 * body recorded on a fixed day must not change its verdict as the calendar moves on. Every
 * timestamp is shifted by the same amount, so the newest becomes now and the spacing stays.
 */
import { readFileSync } from 'node:fs';

const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

export function recordedStatusBody(name: string, now = Date.now()): Buffer {
  const raw = readFileSync(new URL(`../fixtures/status/${name}`, import.meta.url));
  // UTF-16 bodies (AWS Health) carry epoch seconds, and are served byte for byte.
  if (raw[0] === 0xfe || raw[0] === 0xff) return raw;
  const text = raw.toString('utf8');
  const times = [...text.matchAll(TIMESTAMP)].map((m) => Date.parse(m[0]));
  if (times.length === 0) return raw;
  const shift = now - Math.max(...times);
  return Buffer.from(text.replace(TIMESTAMP, (t) => new Date(Date.parse(t) + shift).toISOString()));
}
