/** `outage catalog`: the built-in services, what each checks, and which a bare `outage check` runs. */
import { CATALOG } from '../catalog/catalog.js';
import { makeChalk } from '../report/colors.js';
import { renderFitted, type Column } from '../report/fit.js';
import { fitParagraph } from '../report/wrap.js';
import { writeStdout } from './output.js';
import { outputColumns, terminalText } from './terminal.js';

/** URLs and host lists wrap at their separators; names and aliases at their commas. */
const CATALOG_COLUMNS: Column[] = [
  { title: 'Name' },
  { title: 'Aliases', min: 10 },
  { title: 'Checks', min: 16 },
  { title: 'Other hosts', min: 12 },
  { title: 'Vendor status', min: 12 },
];

export async function runCatalogCommand(flags: { json?: boolean }): Promise<number> {
  if (flags.json) {
    await writeStdout(`${JSON.stringify({ entries: CATALOG }, null, 2)}\n`);
    return 0;
  }
  const rows = CATALOG.map((entry) => {
    const hosts = [entry.api, ...(entry.hosts ?? [])].filter((h): h is string => h !== undefined).map((h) => new URL(h).host);
    const status = entry.status ? `${new URL(entry.status.url).host}${entry.status.kind ? ` (${entry.status.kind})` : ''}` : '—';
    return [`${entry.id}${entry.default ? ' *' : ''}`, [entry.name, ...(entry.aliases ?? [])].join(', '), entry.url, hosts.join(', ') || '—', status].map((text) => ({ text }));
  });
  const width = outputColumns();
  const table = renderFitted(CATALOG_COLUMNS, rows, { chalk: makeChalk(0), width });
  await writeStdout(terminalText(`${table}${fitParagraph('* checked by `outage check` with no config and no target. Check any: outage check slack github', width)}`));
  return 0;
}
