/**
 * A DNS server on 127.0.0.1 (UDP, port 0) that answers whatever a test says: any rcode, any
 * records, a CNAME chain, or silence. Point a service's `resolvers` at `server.address`.
 */
import { createSocket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import * as packet from 'dns-packet';
import { serveDnsStream } from './dns-stream.mjs';

export type Answer =
  | {
      rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR';
      answers?: packet.Answer[];
      /** Over UDP, answer with the TC bit and no records, so the client retries over TCP. */
      truncateUdp?: boolean;
      /** Answer this much later (a slow family, a far resolver). */
      delayMs?: number;
    }
  | 'drop';

/** `query` is the whole message, for a zone that answers by what was sent (EDNS, flags). */
export type Zone = (name: string, type: string, query?: packet.Packet) => Answer;

export interface TestDnsServer {
  address: string;
  port: number;
  queries: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

/** UDP and TCP on the same 127.0.0.1 port, as a real resolver listens; `tcp: false`, UDP only (TCP refused). */
export async function startDns(zone: Zone, options: { tcp?: boolean } = {}): Promise<TestDnsServer> {
  const queries: TestDnsServer['queries'] = [];
  const respond = (message: Buffer, transport: 'udp' | 'tcp'): { response: Buffer; delayMs: number } | undefined => {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return undefined;
    }
    const question = query.questions?.[0];
    if (!question) return undefined;
    queries.push({ name: question.name, type: question.type, transport });
    const answer = zone(question.name.toLowerCase(), question.type, query);
    if (answer === 'drop') return undefined;
    const truncated = transport === 'udp' && answer.truncateUdp === true;
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcodeFlag(answer.rcode) | (truncated ? packet.TRUNCATED_RESPONSE : 0),
      questions: query.questions,
      answers: truncated ? [] : (answer.answers ?? []),
    });
    return { response, delayMs: answer.delayMs ?? 0 };
  };
  const later = (delayMs: number, send: () => void) => (delayMs > 0 ? setTimeout(send, delayMs) : send());

  for (let tries = 0; ; tries++) {
    const udp = createSocket('udp4');
    udp.on('message', (message, remote) => {
      const answer = respond(message, 'udp');
      if (answer) later(answer.delayMs, () => udp.send(answer.response, remote.port, remote.address));
    });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const { port } = udp.address();
    const tcp = createTcpServer((socket) =>
      serveDnsStream(socket, (message, reply) => {
        const answer = respond(message, 'tcp');
        if (answer) later(answer.delayMs, () => reply(answer.response));
      }),
    );
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      // The UDP port's TCP twin was taken: try another port.
      udp.close();
      if (tries < 5) continue;
      throw new Error('could not bind a DNS server on UDP and TCP');
    }
    // Bound first so the port was free on both; closed again, a connection to it is refused.
    if (options.tcp === false) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    return {
      address: `127.0.0.1:${port}`,
      port,
      queries,
      close: async () => {
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        if (tcp.listening) await new Promise<void>((resolve) => tcp.close(() => resolve()));
      },
    };
  }
}

function rcodeFlag(rcode: string): number {
  return { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode] ?? 0;
}

/** A zone from a table: name → records; other names NXDOMAIN; types a name lacks are NODATA. */
export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  MX?: [number, string][];
  TXT?: string[];
  NS?: string[];
  SOA?: { mname: string; rname: string; serial: number };
  CAA?: { tag: 'issue' | 'iodef'; value: string }[];
  /** Answer over UDP with TC set and no records; the full answer only over TCP. */
  truncateUdp?: boolean;
}

export function tableZone(table: Record<string, ZoneEntry | Answer>): Zone {
  return (name, type) => {
    const entry = table[name];
    if (entry === undefined) return { rcode: 'NXDOMAIN' };
    if (entry === 'drop' || 'rcode' in entry) return entry as Answer;
    const answers: packet.Answer[] = [];
    if (entry.CNAME) {
      answers.push({ type: 'CNAME', name, ttl: 60, data: entry.CNAME });
      if (type !== 'CNAME') {
        const target = tableZone(table)(entry.CNAME, type);
        if (target !== 'drop' && target.answers) answers.push(...target.answers);
      }
      return { rcode: 'NOERROR', answers };
    }
    if (type === 'A') for (const a of entry.A ?? []) answers.push({ type: 'A', name, ttl: 300, data: a });
    if (type === 'AAAA') for (const a of entry.AAAA ?? []) answers.push({ type: 'AAAA', name, ttl: 300, data: a });
    if (type === 'MX') for (const [preference, exchange] of entry.MX ?? []) answers.push({ type: 'MX', name, ttl: 300, data: { preference, exchange } });
    if (type === 'TXT') for (const t of entry.TXT ?? []) answers.push({ type: 'TXT', name, ttl: 300, data: [t] });
    if (type === 'NS') for (const ns of entry.NS ?? []) answers.push({ type: 'NS', name, ttl: 300, data: ns });
    if (type === 'SOA' && entry.SOA) {
      answers.push({ type: 'SOA', name, ttl: 300, data: { ...entry.SOA, refresh: 3600, retry: 600, expire: 86400, minimum: 60 } });
    }
    if (type === 'CAA') for (const c of entry.CAA ?? []) answers.push({ type: 'CAA', name, ttl: 300, data: { flags: 0, tag: c.tag, value: c.value } });
    return { rcode: 'NOERROR', answers, truncateUdp: entry.truncateUdp };
  };
}
