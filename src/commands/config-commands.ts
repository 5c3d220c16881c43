/**
 * The commands around `check` that never touch the network: `list`, `validate`, `init`, `schema`.
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { prepareCheck, redactorFor } from '../check.js';
import { findConfig, SEARCH_PLACES } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { loadServices } from '../config/pipeline.js';
import { ConfigError, ExitCode, OutageError } from '../core/errors.js';
import { currentDirectory, GONE_DIRECTORY } from '../core/current-directory.js';
import { redactDeep } from '../core/redact.js';
import { makeDirectories, whyNotWritten } from '../core/write-file.js';
import { probesFor } from '../probes/registry.js';
import { guardLines, safeJson, safeLine } from '../core/safe-text.js';
import { makeChalk } from '../report/colors.js';
import { renderFitted, type Column } from '../report/fit.js';
import { fitParagraph } from '../report/wrap.js';
import { formatDuration } from '../core/duration.js';
import { somethingToCheck } from './flags.js';
import { STARTER_CONFIG } from './starter-config.js';
import { writeStdout } from './output.js';
import { outputColumns, terminalText } from './terminal.js';

/** Names and targets wrap (never cut into look-alike stubs); the short columns keep their width. */
const LIST_COLUMNS: Column[] = [
  { title: 'Service', min: 12 },
  { title: 'Target', min: 16 },
  { title: 'Probes' },
  { title: 'Tags', min: 8 },
  { title: 'Critical', fixed: true },
  { title: 'Timeout' },
];

export async function runListCommand(targets: string[], flags: { config?: string; tag: string[]; json?: boolean }): Promise<number> {
  const prepared = await prepareCheck({ configPath: flags.config, targets, tags: flags.tag });
  // What check would refuse, list refuses too: it shows what a check would run.
  somethingToCheck(prepared.services.length, 'list');
  const redact = redactorFor(prepared.secrets);
  // Redacted before JSON or the table escapes a quote or a control character out of its sight.
  const services = redactDeep(
    prepared.services.map((s) => ({
    name: s.name,
    target: s.target,
    probes: probesFor(s),
    tags: s.tags,
    critical: s.critical,
    timeoutMs: s.timeoutMs,
    retries: s.retries,
      resolvers: s.resolvers.length > 0 ? s.resolvers : 'system',
    })),
    redact,
  );
  if (flags.json) {
    await writeStdout(redact(`${safeJson(JSON.stringify({ concurrency: prepared.concurrency, services }, null, 2))}\n`));
    return 0;
  }
  const rows = services.map((s) =>
    [safeLine(s.name), safeLine(s.target), s.probes.join(' → '), s.tags.join(', '), s.critical ? 'yes' : 'no', `${formatDuration(s.timeoutMs)} × ${s.retries + 1}`].map((text) => ({ text })),
  );
  const width = outputColumns();
  const table = renderFitted(LIST_COLUMNS, rows, { chalk: makeChalk(0), width, redact });
  await writeStdout(terminalText(redact(guardLines(`${table}${fitParagraph(`${services.length} service${services.length === 1 ? '' : 's'}, ${prepared.concurrency} at once`, width)}`))));
  return 0;
}

export async function runValidateCommand(flags: { config?: string }): Promise<number> {
  const found = await findConfig({ configPath: flags.config });
  if (!found) {
    const here = currentDirectory();
    // A first run in a fresh repository ends here: the way to get a config is named.
    const why = here === undefined ? GONE_DIRECTORY : `no config file found (looked for ${SEARCH_PLACES.join(', ')} up to the project root); outage init writes a starter .outagerc.yaml`;
    throw new ConfigError([{ path: '', message: why }], here ?? '.', 'config.not_found');
  }
  // Only the config is judged here: no targets, and no canaries to choose for a run.
  const count = loadServices(found.raw, { file: found.file, canaries: false }).config.services.length;
  // A config `check` would refuse with no target (`services: []`, only `defaults`) is refused
  // here in its words and code: validate passing it while check exits 64 let a broken gate through.
  somethingToCheck(count, 'check');
  await writeStdout(terminalText(`✔ ${found.file}: valid, ${count} service${count === 1 ? '' : 's'}\n`));
  return 0;
}

/**
 * Missing parent directories are created, as `mkdir -p` would (and `git init DIR` does): asking
 * for `outage init .config/outagerc.yaml` in a fresh repository means the directory too.
 */
export async function runInitCommand(path: string | undefined): Promise<number> {
  // resolve() drops a trailing slash: `init conf/` wrote a file named conf, where a directory was meant.
  if (path !== undefined && path.length > 1 && path.endsWith('/')) {
    throw new OutageError('init.write_failed', `cannot write ${path}: it names a directory (it ends in /); name the file, e.g. ${path}.outagerc.yaml`, ExitCode.cantCreate);
  }
  const file = resolve(path ?? '.outagerc.yaml');
  const cannot = (why: string) => new OutageError('init.write_failed', `cannot write ${file}: ${why}`, ExitCode.cantCreate);
  const created = await makeDirectories(dirname(file)).catch((error: unknown) => {
    throw cannot(whyNotWritten(error, file));
  });
  // 'wx' fails if the file exists: init never overwrites, even in a race.
  await writeFile(file, STARTER_CONFIG, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw cannot(whyNotWritten(error, file));
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw cannot('it is a directory');
    throw new OutageError('init.exists', `cannot write ${file}: it already exists; outage init never overwrites a file`, ExitCode.cantCreate);
  });
  await writeStdout(`${created ? `Created the directory ${dirname(file)}\n` : ''}Wrote ${file}\nEdit its services, then run: outage check\n`);
  return 0;
}

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://www.npmjs.com/package/outage/outage.schema.json',
  };
}

export async function runSchemaCommand(): Promise<number> {
  await writeStdout(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return 0;
}
