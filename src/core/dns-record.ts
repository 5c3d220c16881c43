/** DNS nouns shared by the config (record types to ask), the resolver and the DNS probe. */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'CAA'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export interface DnsRecord {
  type: DnsRecordType;
  value: string;
  ttl?: number;
}
