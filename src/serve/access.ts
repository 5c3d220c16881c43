/**
 * Who may ask: authentication from the web config (basic auth users, bearer tokens, client
 * certificates) and a per-client rate limit. Passwords and tokens are compared through their
 * bcrypt hashes; a success is remembered (by a SHA-256 of the credentials, never the credentials)
 * so a scrape every 15 s does not pay bcrypt's cost each time, as exporter-toolkit caches too.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import type { WebConfig } from './web-config.js';

const VERIFIED_CACHE_SIZE = 1024;

export interface Authenticator {
  /** True when the request may proceed; false means 401. */
  check(request: IncomingMessage): Promise<boolean>;
  /** Whether any authentication is configured (for the start-up line). */
  enabled: boolean;
}

export function createAuthenticator(config: WebConfig | undefined): Authenticator {
  const users = config?.basicUsers ?? new Map<string, string>();
  const bearers = config?.bearerHashes ?? [];
  const clientAuth = config?.tls?.clientAuth ?? 'NoClientCert';
  const verified = new Map<string, true>();
  const remember = (key: string) => {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(key, true);
  };
  const enabled = users.size > 0 || bearers.length > 0;

  return {
    enabled: enabled || clientAuth !== 'NoClientCert',
    async check(request) {
      if (!clientCertificateOk(request, clientAuth)) return false;
      if (!enabled) return true;
      const header = request.headers.authorization ?? '';
      const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (basic && users.size > 0) {
        const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) return false;
        const user = decoded.slice(0, colon);
        const password = decoded.slice(colon + 1);
        const hash = users.get(user);
        // An unknown user costs a comparison too, so timing does not tell which users exist.
        const key = digest(`basic\0${user}\0${password}\0${hash ?? ''}`);
        if (hash && verified.has(key)) return true;
        const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
        if (ok && hash) remember(key);
        return ok && hash !== undefined;
      }
      if (bearer && bearers.length > 0) {
        const token = bearer[1] as string;
        const key = digest(`bearer\0${token}`);
        if (verified.has(key)) return true;
        for (const hash of bearers) {
          if (await bcrypt.compare(token, hash)) {
            remember(key);
            return true;
          }
        }
        return false;
      }
      return false;
    },
  };
}

/** A valid bcrypt hash of a random value: compared against when the user is unknown. */
const DUMMY_HASH = '$2b$10$nFS19izjgvEE3db.GxOMIeq0hk6d2xWrtdBljiw2e23XIfrPkedgO';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function clientCertificateOk(request: IncomingMessage, auth: string): boolean {
  if (auth === 'NoClientCert' || auth === 'RequestClientCert') return true;
  const socket = request.socket as TLSSocket;
  const presented = typeof socket.getPeerCertificate === 'function' && Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  if (auth === 'RequireAnyClientCert') return presented;
  if (auth === 'VerifyClientCertIfGiven') return !presented || socket.authorized === true;
  return socket.authorized === true;
}

export interface RateLimiter {
  /** True when the client may make one more request now. */
  take(client: string): boolean;
}

/**
 * A token bucket per client address: `perSecond` sustained, `burst` at once. Buckets that are full
 * again are forgotten, and at most `maxClients` are kept, so a flood of addresses cannot grow memory.
 */
export function createRateLimiter(perSecond: number, burst: number, maxClients = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client) {
      if (perSecond <= 0) return true;
      const now = performance.now();
      let bucket = buckets.get(client);
      if (bucket) {
        bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
        bucket.at = now;
        buckets.delete(client);
      } else {
        bucket = { tokens: burst, at: now };
        if (buckets.size >= maxClients) sweep(buckets, now, perSecond, burst, maxClients);
      }
      buckets.set(client, bucket); // most recent last: the first are the least recently seen
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}

function sweep(buckets: Map<string, { tokens: number; at: number }>, now: number, perSecond: number, burst: number, maxClients: number): void {
  for (const [client, b] of buckets) {
    if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) buckets.delete(client);
  }
  while (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value as string);
}
