/**
 * Where rendered reports go: stdout in the chosen format, extra `--report FORMAT=PATH` files, and
 * the GitHub step summary. Everything written passes through the redactor first. Report files are
 * replaced atomically (a reader never sees half of one); a missing directory is not created,
 * because it is more often a wrong path (a textfile directory node_exporter does not read).
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { currentDirectory } from '../core/current-directory.js';
import { ExitCode, OutageError, UsageError } from '../core/errors.js';
import { onStdoutLost } from '../core/stdout-lost.js';
import { linkEnd, whyNotWritten, writeFileAtomic } from '../core/write-file.js';
import { colorLevel, makeChalk } from '../report/colors.js';
import { FORMAT_NAMES, type FormatName } from '../report/format-names.js';
import { FORMATS, type RenderOptions } from '../report/formats.js';
import type { Redact } from '../core/redact.js';
import type { Report } from '../probes/result.js';
import { checkPassedDescriptor } from './passed-descriptor.js';
import { outputColumns, terminalText } from './terminal.js';

export interface OutputFlags {
  format?: FormatName;
  json?: boolean;
  report: string[];
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
  emoji: boolean;
}

export interface OutputPlan {
  format: FormatName;
  files: { format: FormatName; path: string }[];
}

/** Checked before any probe runs, so a typo in --report does not cost a whole check. */
export function planOutput(flags: OutputFlags): OutputPlan {
  if (flags.json && flags.format && flags.format !== 'json') {
    throw new UsageError(`--json and --format ${flags.format} disagree: pick one`);
  }
  // Two flags that contradict each other are refused, as --json and --format are: whichever won
  // silently (commander has no order between two flags), the user lost output they asked for.
  if (flags.quiet && flags.verbose) throw new UsageError('-q/--quiet and -v/--verbose disagree: pick one');
  const files = flags.report.map((spec) => {
    const match = /^([a-z]+)=(.+)$/.exec(spec);
    if (!match || !FORMAT_NAMES.includes(match[1] as FormatName)) {
      throw new UsageError(`--report ${JSON.stringify(spec)}: expected FORMAT=PATH with FORMAT one of ${FORMAT_NAMES.join(', ')}`);
    }
    const format = match[1] as FormatName;
    const path = match[2] as string;
    // `-` means a standard stream to every CLI that takes a path (`-c -` here): a file named "-" is never the wish.
    if (path === '-') throw new UsageError(`--report ${spec}: "-" is not a file; for ${format} on stdout use --format ${format}, or --report ${format}=/dev/stdout beside another --format`);
    return { format, path, spec };
  });
  return { format: flags.json ? 'json' : (flags.format ?? 'table'), files: distinctFiles(files) };
}

/**
 * One report per file: two formats to one path would leave whichever was written last, silently.
 * The same format twice is written once (a script that adds a flag it already had). One file is
 * one however it is named: a link and the file it leads to are one. The descriptors outage has
 * (`/dev/stdout`, `/dev/fd/3`) are written through, appended to, so each is its own.
 */
function distinctFiles(files: { format: FormatName; path: string; spec: string }[]): OutputPlan['files'] {
  const byPath = new Map<string, { format: FormatName; path: string; spec: string }>();
  for (const file of files) {
    const key = heldDescriptor(file.path) === undefined ? writtenAt(file.path) : fromWorkingDirectory(file.path);
    const earlier = byPath.get(key);
    if (earlier === undefined) byPath.set(key, file);
    else if (earlier.format !== file.format) throw new UsageError(`--report ${earlier.spec} and --report ${file.spec} both write ${key}: one would overwrite the other`);
  }
  return [...byPath.values()].map(({ format, path }) => ({ format, path }));
}

/**
 * A report never replaces the config it checked: `--report json=outage.json` beside `-c
 * outage.json` (or a config found by search) would leave the next run with a report for a config.
 * Compared after symbolic links are followed. Checked once the config is known, before any probe.
 */
export function spareConfig(plan: OutputPlan, configFile: string | undefined): void {
  if (configFile === undefined) return;
  const resolved = (path: string) => realOr(path, resolve(currentDirectory() ?? '/', path));
  const config = resolved(configFile);
  const clash = plan.files.find((file) => resolved(file.path) === config);
  if (clash) throw new UsageError(`--report ${clash.format}=${clash.path} would overwrite the config file ${configFile}: write the report elsewhere`);
}

/**
 * The file a report to `path` ends up in, links followed: where it already is, or — a link to
 * nothing yet, as on a first run — where writing through the link creates it (write-file.ts).
 */
function writtenAt(path: string): string {
  let end: string;
  try {
    end = linkEnd(path);
  } catch {
    end = path; // an unreadable link: writing it says why
  }
  const directory = dirname(end);
  return realOr(end, join(realOr(directory, fromWorkingDirectory(directory)), basename(end)));
}

/** The file `path` names once links are followed; `otherwise` when it is not there (yet). */
function realOr(path: string, otherwise: string): string {
  try {
    return realpathSync(path);
  } catch {
    return otherwise;
  }
}

/** `stop`: aborted to wait no longer for another process (a named pipe's reader), as on Ctrl-C. */
export async function writeOutputs(report: Report, plan: OutputPlan, flags: OutputFlags, redact: Redact, stop?: AbortSignal): Promise<void> {
  const terminal: RenderOptions = {
    chalk: makeChalk(colorLevel({ color: flags.color, isTTY: process.stdout.isTTY })),
    columns: outputColumns(),
    redact,
    verbose: flags.verbose,
    quiet: flags.quiet,
    emoji: flags.emoji,
  };
  // Files never get color or terminal wrapping, whatever stdout is.
  const file: RenderOptions = { ...terminal, chalk: makeChalk(0), columns: undefined, quiet: false };

  // A file that cannot be written still leaves the results on stdout (a CI log shows which
  // services failed, beside the error, exit 73), and the other files written. A Nagios plugin's
  // first line is its status, so there the error alone is printed (cli.ts), as UNKNOWN.
  let failed: OutageError | undefined;
  // Every report states the code the process exits with: once a file could not be written, 73
  // (3, UNKNOWN, for a Nagios plugin, whose codes stop at 3); once stdout is lost, 74 (cli.ts).
  let exitCode = report.exitCode;
  const fail = (error: OutageError) => {
    if (failed) return;
    failed = error;
    exitCode = plan.format === 'nagios' ? ExitCode.unknown : error.exitCode;
  };
  const stated = (): Report => (exitCode === report.exitCode ? report : { ...report, exitCode });
  const writeFileReport = (format: FormatName, path: string): Promise<void> => {
    const text = redact(FORMATS[format](stated(), { ...file, reportFile: path }));
    const fd = heldDescriptor(path);
    return fd === undefined ? writeFileAtomic(path, text, stop) : writeDescriptor(path, fd, text);
  };
  const writeReport = (format: FormatName, path: string): Promise<boolean> =>
    writeFileReport(format, path).then(
      () => true,
      (error: unknown) => {
        fail(new OutageError('report.write_failed', `cannot write the ${format} report to ${path}: ${whyNotWritten(error, path)}`, ExitCode.cantCreate));
        return false;
      },
    );
  // Only a regular file can be written again: a stream or a pipe would get the report twice.
  const rewritable = (f: { path: string }) => heldDescriptor(f.path) === undefined && isFile(f.path);
  const written: OutputPlan['files'] = [];
  const early: OutputPlan['files'] = [];
  for (const { format, path } of plan.files) {
    const before = failed;
    if (!(await writeReport(format, path))) continue;
    written.push({ format, path });
    if (before === undefined) early.push({ format, path });
  }
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && (plan.format === 'github' || plan.files.some((f) => f.format === 'github'))) {
    const fs = process.getBuiltinModule('node:fs/promises');
    // GitHub drops a step's whole summary past 1 MiB (with an error in the job): what this step
    // wrote before counts, and the table keeps within what is left (failing services first).
    const before = await fs.stat(summaryFile).then((stats) => stats.size, () => 0);
    const maxBytes = Math.max(0, STEP_SUMMARY_LIMIT - before);
    await fs.appendFile(summaryFile, redact(FORMATS.markdown(stated(), { ...file, maxBytes }))).catch((error: unknown) =>
      fail(new OutageError('report.write_failed', `cannot append to GITHUB_STEP_SUMMARY (${summaryFile}): ${whyNotWritten(error, summaryFile)}`, ExitCode.cantCreate)),
    );
  }
  // Files written before one failed stated the check's own code: written again with 73. Should that fail, the first stands.
  if (failed) for (const { format, path } of early.filter(rewritable)) await writeReport(format, path);
  if (failed && plan.format === 'nagios') throw failed;
  // A reader that stops early (`| head`) ends the process on EPIPE with the code set so far.
  if (failed) process.exitCode = failed.exitCode;
  const text = redact(FORMATS[plan.format](stated(), terminal));
  // Stdout lost (a full disk): the files are all that is left of the run, and the process exits
  // 74, so they are written again saying so. (The step summary is appended to, never rewritten.)
  const unregister = onStdoutLost(async (code) => {
    exitCode = code;
    for (const { format, path } of written.filter(rewritable)) await writeFileReport(format, path).catch(() => undefined);
  });
  try {
    // The table is for people, in the locale's character set; the other formats are UTF-8 by definition.
    await writeStdout(plan.format === 'table' ? terminalText(text) : text);
  } finally {
    unregister();
  }
  if (failed) throw failed;
}

/**
 * `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: a descriptor outage already holds.
 * Opened by name, what is behind it is opened anew: a log the shell appends to (`outage check
 * --report junit=/dev/stdout >> outage.log`) is a regular file, and was replaced by the report
 * (renamed over) or truncated, losing the log's earlier lines and this run's other output.
 */
function heldDescriptor(path: string): number | undefined {
  const match = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(normalize(fromWorkingDirectory(path)));
  if (!match) return undefined;
  if (match[1] === 'stdout') return 1;
  if (match[1] === 'stderr') return 2;
  return Number(match[2] ?? match[3]);
}

/**
 * Stdout and stderr through their streams, so the report keeps its place among their other writes.
 * Another descriptor is opened by name, for appending: never truncated, never replaced — once it is
 * known to be one the shell passed (passed-descriptor.ts): a number it did not pass may be one of
 * Node's own, which by number or by name would take the report.
 */
async function writeDescriptor(path: string, fd: number, text: string): Promise<void> {
  if (fd === 1) return writeStdout(text);
  if (fd === 2) return new Promise((resolve, reject) => process.stderr.write(text, (error) => (error ? reject(error) : resolve())));
  checkPassedDescriptor(fd);
  await process.getBuiltinModule('node:fs/promises').writeFile(path, text, { flag: 'a' });
}

/**
 * Written in slices, each after the last has drained: a pipe to a slower reader queues what is
 * written, and Node encodes a queued string into a buffer of three bytes per character, so one
 * write of a 5000-service JSON report (~21 MB) held ~64 MB at the run's peak memory.
 */
export async function writeStdout(text: string): Promise<void> {
  const out = process.stdout;
  let start = 0;
  while (text.length - start > SLICE) {
    let end = start + SLICE;
    // A surrogate pair is one character: never split across two writes.
    if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
    if (!out.write(text.slice(start, end))) await drained(out);
    start = end;
  }
  await new Promise<void>((resolve) => out.write(start === 0 ? text : text.slice(start), () => resolve()));
}

/** Drained, or never will be (an error or a closed stream): writing on is then harmless. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const done = () => {
      stream.off('drain', done).off('error', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('error', done).on('close', done);
  });
}

const SLICE = 64 * 1024;

/** GitHub's limit for one step's summary, 1 MiB, less a little: the runner rejects 1 MiB exactly. */
const STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A report path made absolute and normalised from the working directory; as written when that directory is gone. */
function fromWorkingDirectory(path: string): string {
  const cwd = currentDirectory();
  return cwd === undefined ? path : resolve(cwd, path);
}
