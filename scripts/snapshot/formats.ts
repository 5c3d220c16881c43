/** The runs of each scenario: one per output format (and the table's -v and -q). */

export interface Variant {
  /** The start of its files' names: `<name>.stdout.<ext>`, `<name>.stderr.txt`, `<name>.exit.txt`. */
  name: string;
  flags: string[];
  /** Extension of the stdout file. */
  ext: string;
  /** Which normalisation rules its stdout needs. */
  kind: 'table' | 'json' | 'junit' | 'tap' | 'markdown' | 'github' | 'prometheus' | 'nagios';
  /** Runs as under GitHub Actions, with a step summary file that already holds an earlier step. */
  github?: boolean;
}

/** Text that follows no format's rules: stderr, config files, command lines. */
export type Kind = Variant['kind'] | 'plain';

export const VARIANTS: Variant[] = [
  { name: 'table', flags: [], ext: 'txt', kind: 'table' },
  { name: 'table-verbose', flags: ['-v'], ext: 'txt', kind: 'table' },
  { name: 'table-quiet', flags: ['-q'], ext: 'txt', kind: 'table' },
  { name: 'json', flags: ['--format', 'json'], ext: 'json', kind: 'json' },
  { name: 'junit', flags: ['--format', 'junit'], ext: 'xml', kind: 'junit' },
  { name: 'tap', flags: ['--format', 'tap'], ext: 'tap', kind: 'tap' },
  { name: 'markdown', flags: ['--format', 'markdown'], ext: 'md', kind: 'markdown' },
  { name: 'github', flags: ['--format', 'github'], ext: 'txt', kind: 'github', github: true },
  { name: 'prometheus', flags: ['--format', 'prometheus'], ext: 'prom', kind: 'prometheus' },
  { name: 'nagios', flags: ['--format', 'nagios'], ext: 'txt', kind: 'nagios' },
];
