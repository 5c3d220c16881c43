/** `outage catalog`: the built-in services, what each checks, and which a bare `outage check` runs. */
import { CATALOG } from '../catalog/catalog.js';
import { writeStdout } from './output.js';

export async function runCatalogCommand(flags: { json?: boolean }): Promise<number> {
  if (flags.json) {
    await writeStdout(`${JSON.stringify({ entries: CATALOG }, null, 2)}\n`);
    return 0;
  }
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head: ['Name', 'Aliases', 'Checks', 'Other hosts', 'Vendor status'], style: { head: [], border: [] } });
  for (const entry of CATALOG) {
    const hosts = [entry.api, ...(entry.hosts ?? [])].filter((h): h is string => h !== undefined).map((h) => new URL(h).host);
    const status = entry.status ? `${new URL(entry.status.url).host}${entry.status.kind ? ` (${entry.status.kind})` : ''}` : '—';
    table.push([`${entry.id}${entry.default ? ' *' : ''}`, [entry.name, ...(entry.aliases ?? [])].join(', '), entry.url, hosts.join(', ') || '—', status]);
  }
  await writeStdout(`${table.toString()}\n* checked by \`outage check\` with no config and no target. Check any: outage check slack github\n`);
  return 0;
}
