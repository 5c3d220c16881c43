/**
 * A DNS server on 127.0.0.1 (UDP, port 0) that answers whatever a test says: any rcode, any
 * records, a CNAME chain, or silence. Point a service's `resolvers` at `server.address`.
 */
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

export type Answer =
  | { rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED'; answers?: packet.Answer[] }
  | 'drop';

export type Zone = (name: string, type: string) => Answer;

export interface TestDnsServer {
  address: string;
  port: number;
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

export async function startDns(zone: Zone): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const queries: TestDnsServer['queries'] = [];
  socket.on('message', (message, remote) => {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    queries.push({ name: question.name, type: question.type });
    const answer = zone(question.name.toLowerCase(), question.type);
    if (answer === 'drop') return;
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcodeFlag(answer.rcode),
      questions: query.questions,
      answers: answer.answers ?? [],
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function rcodeFlag(rcode: string): number {
  return { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[rcode] ?? 0;
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
    return { rcode: 'NOERROR', answers };
  };
}
