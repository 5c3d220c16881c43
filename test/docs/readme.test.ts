/**
 * The README is the front door: a new user follows its links, copies its configs and matches on
 * its code tables. These keep it true to the repository — every link and #anchor resolves, every
 * path it names exists, every config it shows validates as printed, and its tables of failure
 * codes, exit codes and `check` options are exactly what the code has.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { configJsonSchema } from '../../src/commands/config-commands.js';
import { loadConfig } from '../../src/config/load.js';
import { ExitCode } from '../../src/core/errors.js';
import { FAILURE_CODES } from '../../src/core/failure.js';
import { issue } from '../helpers/certs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Block {
  lang: string;
  text: string;
  line: number;
}

/** Fenced code blocks (also indented under a list item), and the prose with them blanked out. */
function split(markdown: string): { blocks: Block[]; prose: string[] } {
  const blocks: Block[] = [];
  const prose: string[] = [];
  let open: { lang: string; indent: number; lines: string[]; line: number } | undefined;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^(\s*)```(\S*)/.exec(line);
    if (fence && !open) {
      open = { lang: fence[2] ?? '', indent: fence[1]?.length ?? 0, lines: [], line: index + 1 };
      prose.push('');
    } else if (fence && open) {
      blocks.push({ lang: open.lang, text: open.lines.join('\n'), line: open.line });
      open = undefined;
      prose.push('');
    } else if (open) {
      open.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
      prose.push('');
    } else {
      prose.push(line);
    }
  });
  return { blocks, prose };
}

const { blocks, prose } = split(README);
/** Prose without inline code: a `[x](y)` inside backticks is an example, not a link. */
const text = prose.join('\n').replace(/`[^`\n]*`/g, '``');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
function anchors(lines: string[]): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of lines) {
    const heading = /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] ?? '')
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count ? `${slug}-${count}` : slug);
  }
  return result;
}

/** The first column of the markdown table under a heading, as written between backticks. */
function tableColumn(heading: string): string[] {
  const start = prose.findIndex((line) => line.trim() === heading);
  expect(start, `README heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of prose.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    const cell = /^\|\s*([^|]+?)\s*\|/.exec(line);
    if (cell && !/^-+$/.test(cell[1] ?? '')) rows.push(cell[1] ?? '');
    else if (rows.length && !line.startsWith('|')) break;
  }
  return rows.slice(1); // the header row
}

describe('README links', () => {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  const local = links.filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link));

  it('finds the links it checks', () => {
    expect(local.length).toBeGreaterThan(40);
  });

  it('every relative link names a file or folder of the repository', () => {
    const missing = local.map((link) => link.split('#')[0] ?? '').filter((path) => path && !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });

  it('every #anchor is a heading of the README', () => {
    const known = anchors(prose);
    const broken = local.filter((link) => link.startsWith('#') && !known.has(link.slice(1)));
    expect(broken).toEqual([]);
  });

  it('every path it names in code (src/…, test/…, scripts/…, bench/…, bin/…) exists', () => {
    const named = [...prose.join('\n').matchAll(/`((?:src|test|scripts|bench|bin)\/[^`\s]*)`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(20);
    const missing = named.filter((path) => {
      if (path.includes('<')) return false; // a placeholder: src/probes/<kind>/
      if (!path.includes('*')) return !existsSync(join(ROOT, path));
      const at = path.lastIndexOf('/');
      const pattern = new RegExp(`^${path.slice(at + 1).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
      return !readdirSync(join(ROOT, path.slice(0, at))).some((name) => pattern.test(name));
    });
    expect(missing).toEqual([]);
  });
});

describe('README tables match the code', () => {
  it('the failure codes table lists exactly FAILURE_CODES', () => {
    const listed = tableColumn('### Failure codes').map((cell) => cell.replace(/`/g, ''));
    expect([...listed].sort()).toEqual([...FAILURE_CODES].sort());
  });

  it('the exit codes table lists exactly the codes the CLI exits with', () => {
    const listed = tableColumn('### Exit codes').flatMap((cell) => cell.split('/').map((code) => Number(code.trim())));
    expect([...new Set(listed)].sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
  });

  it("the `outage check` options table lists exactly check's options", () => {
    const listed = tableColumn('### outage check').map((cell) => cell.replace(/`/g, ''));
    const check = buildProgram().commands.find((command) => command.name() === 'check');
    const flags = (check?.options ?? []).map((option) => option.flags);
    expect([...listed].sort()).toEqual([...flags].sort());
  });

  it('--help says what -q prints, as the README row does: the summary, and the diagnosis and warnings under it', () => {
    const row = prose.find((line) => line.startsWith('| `-q, --quiet` |')) ?? '';
    expect(row).toMatch(/diagnosis .* warnings/);
    const check = buildProgram().commands.find((command) => command.name() === 'check');
    const quiet = check?.options.find((option) => option.long === '--quiet');
    expect(quiet?.description).toMatch(/summary line.*diagnosis.*warnings/);
  });

  it("every flag in a command's synopsis is one of that command's options", () => {
    const program = buildProgram();
    const synopses = blocks.filter((block) => block.lang === '' && /^outage [a-z]+ \[/.test(block.text));
    expect(synopses.map((block) => block.text.split(' ')[1])).toEqual(expect.arrayContaining(['check', 'wait', 'watch', 'serve']));
    for (const block of synopses) {
      const name = block.text.split(' ')[1];
      const command = program.commands.find((c) => c.name() === name);
      const known = new Set((command?.options ?? []).flatMap((option) => [option.long, option.short]));
      const used = [...block.text.matchAll(/(?<![\w-])(--?[a-z][\w.-]*)/g)].map((m) => m[1]);
      expect(used.filter((flag) => !known.has(flag)), `flags of outage ${name} (README line ${block.line})`).toEqual([]);
    }
  });
});

describe('README programmatic API', () => {
  it('every name it imports or says is exported is exported by the package', () => {
    const start = prose.findIndex((line) => line.trim() === '## Programmatic API');
    const section = prose.slice(start, prose.findIndex((line, i) => i > start && /^## /.test(line))).join('\n');
    const example = blocks.find((block) => block.lang === 'js' && block.text.includes("from 'outage'"));
    const imported = /import \{([^}]+)\} from 'outage'/.exec(example?.text ?? '')?.[1]?.split(',') ?? [];
    const also = /Also exported:([\s\S]*?)\n\n/.exec(section)?.[1] ?? '';
    const named = [...imported.map((name) => name.trim()), ...[...also.matchAll(/`(\w+)(?:\([^)]*\))?`/g)].map((m) => m[1] ?? '')];
    expect(named).toEqual(expect.arrayContaining(['check', 'loadConfig', 'validateConfig', 'Report']));
    const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
    const exported = new Set([...index.matchAll(/export (?:type )?\{([^}]+)\}/g)].flatMap((m) => (m[1] ?? '').split(',').map((name) => name.replace(/^\s*type\s+/, '').trim())));
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });
});

describe('README configs validate as printed', () => {
  const CONFIG_KEYS = new Set(['defaults', 'services', 'canaries', 'vantages', 'modules', '$schema']);
  const SERVICE_KEYS = new Set(['url', 'tcp', 'dns', 'http', 'tls', 'status', 'hosts', 'proxy', 'timeout', 'retries', 'tags', 'critical']);
  const dir = mkdtempSync(join(tmpdir(), 'outage-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every YAML block that is an outage config, or a fragment of one service (shown in a service). */
  const configs = blocks.flatMap((block) => {
    if (block.lang !== 'yaml') return [];
    // The top-level keys: what starts a line at column 0 (a list or other YAML has none or others).
    const keys = [...block.text.matchAll(/^([\w$]+):/gm)].map((m) => m[1] ?? '');
    if (!keys.length || /^-/m.test(block.text)) return [];
    if (keys.every((key) => CONFIG_KEYS.has(key))) return [{ block, text: block.text }];
    if (keys.every((key) => SERVICE_KEYS.has(key))) {
      const fragment = block.text.replace(/^/gm, '    ');
      return [{ block, text: `services:\n  - name: fragment\n${keys.includes('url') || keys.includes('tcp') ? '' : '    url: https://example.com/\n'}${fragment}\n` }];
    }
    return [];
  });

  it('finds the annotated example, the serve modules, the vantages and the service fragments', () => {
    expect(configs.length).toBeGreaterThanOrEqual(5);
  });

  it.each(configs.map((c) => [c.block.line, c] as const))('the YAML block at README line %i', async (_line, { text: yaml }) => {
    // The files and variables a user would have: a CA file next to the config, every ${VAR} set.
    writeFileSync(join(dir, 'internal-ca.pem'), (await issue({ name: 'README internal CA', ca: true })).certPem);
    const file = join(dir, `.outagerc-${_line}.yaml`);
    writeFileSync(file, yaml);
    const env = Object.fromEntries([...yaml.matchAll(/\$\{(\w+)/g)].map((m) => [m[1] ?? '', 'a-secret-value']));
    await expect(loadConfig({ configPath: file, env })).resolves.toBeDefined();
  });
});

describe('.outagerc.example', () => {
  it('shows every key a service can have in the service that says so (commented out or not)', () => {
    const file = readFileSync(join(ROOT, '.outagerc.example'), 'utf8');
    // The service after "Every key a service can have:", up to the blank line that ends it.
    const example = /# Every key a service can have:\n([\s\S]*?)\n\n/.exec(file)?.[1] ?? '';
    expect(example).toContain('- name:');
    // The service keys: the properties of the schema's service object (the one with `url` and `tcp`).
    const services = (configJsonSchema().properties as Record<string, { items?: unknown }>).services?.items;
    const keys = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      const props = record.properties as Record<string, unknown> | undefined;
      if (props && 'url' in props && 'tcp' in props) for (const key of Object.keys(props)) keys.add(key);
      for (const value of Object.values(record)) walk(value);
    };
    walk(services);
    expect([...keys]).toEqual(expect.arrayContaining(['name', 'url', 'tcp', 'dns', 'http', 'tls', 'proxy']));
    const shown = (key: string) => new RegExp(`(^|[\\s{,#-])${key.replace('$', '\\$')}:`, 'm').test(example);
    // name is that service's own; catalog, tcp and a DNS-only dns are shown on the services after it.
    const alternatives = new Set(['catalog', 'tcp']);
    expect([...keys].filter((key) => !alternatives.has(key) && !shown(key))).toEqual([]);
  });
});
