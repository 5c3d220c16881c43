/**
 * `outage watch`: an incident in a terminal. Re-checks on an interval; on a terminal it redraws
 * the table in place with how long each service has been in its state, otherwise it prints one
 * line per transition. Ctrl-C ends it with the session's incidents and their durations.
 */
import { prepareCheck, runCheck, redactorFor } from '../check.js';
import { codeDetail } from '../report/cells.js';
import { colorLevel, makeChalk } from '../report/colors.js';
import { guardLines } from '../core/safe-text.js';
import { safeReport } from '../report/safe-report.js';
import { renderTable } from '../report/table.js';
import type { ServiceResult } from '../probes/result.js';
import type { Status } from '../core/status.js';
import { formatDuration } from '../core/duration.js';
import { durationFlag, integerFlag, selection, type SelectionFlags, somethingToCheck } from './flags.js';
import { noteOpenFileLimit } from './open-files.js';
import { sayWarnings } from './warnings.js';
import { sleep, trapSignals } from './signals.js';
import { endWhenReaderGone } from './reader-gone.js';
import { ExitCode } from '../core/errors.js';
import { canDraw } from './spinner.js';
import { clock } from './wait.js';
import { outputColumns, terminalText } from './terminal.js';

export interface WatchFlags extends SelectionFlags {
  interval: string;
  probeTimeout?: string;
  retries?: string;
  from?: string[];
}

interface Incident {
  /** The service's position in the run, and its name as printed. */
  key: number;
  service: string;
  status: Status;
  detail: string;
  start: number;
  end?: number;
}

interface State {
  status: Status;
  detail: string;
  since: number;
}

export async function runWatchCommand(targets: string[], flags: WatchFlags): Promise<number> {
  const intervalMs = durationFlag('--interval', flags.interval) as number;
  const prepared = await prepareCheck({
    ...selection(targets, flags),
    timeoutMs: durationFlag('--probe-timeout', flags.probeTimeout),
    retries: integerFlag('--retries', flags.retries, 0, 10),
    from: flags.from,
  });
  somethingToCheck(prepared.services.length, 'watch');
  noteOpenFileLimit(prepared.concurrency, prepared.services.length);
  const redact = redactorFor(prepared.secrets);
  sayWarnings(prepared.warnings, redact);
  // Lines quote the safe report (safe-report.ts) and are guarded whole before they are written.
  const out = (text: string) => process.stdout.write(terminalText(guardLines(redact(text))));
  // Redrawn in place only where the spinner would draw: a terminal that reports its width, TERM
  // not dumb. Elsewhere (an editor's shell, a CI pty of 0 columns) the escapes were garbage; lines instead.
  const tty = canDraw(process.stdout, process.env);
  const chalk = makeChalk(colorLevel({ color: flags.color, isTTY: Boolean(process.stdout.isTTY) }));
  const trap = trapSignals();
  // A reader that goes away (`| head -n 3`) ends the watch at once, with the code a shell shows
  // for a process ended by SIGPIPE, like `tail -f | head`: set before anything is written, since
  // the EPIPE of a write ends the process with the code set so far (cli.ts).
  process.exitCode = ExitCode.readerGone;
  const stopWatchingReader = endWhenReaderGone();
  // Kept by position, as every round runs the services in the same order: names can be one once
  // redacted (one URL with two passwords), and two services sharing a state flip it every round.
  const states = new Map<number, State>();
  const incidents: Incident[] = [];
  let names: string[] = [];

  try {
    while (!trap.signal.aborted) {
      const report = await runCheck(prepared, { signal: trap.signal });
      // A round stopped by Ctrl-C still saw what finished before it (as `check` prints it): a
      // service seen down while another hung is an incident of this session, not lost with the
      // round. What it cut short was not seen in any state: its last one stands.
      const stopped = trap.signal.aborted;
      const now = Date.now();
      const shown = safeReport(report, redact).services;
      names = shown.map((s) => s.name);
      report.services.forEach((service, i) => {
        if (stopped && service.code === 'interrupted') return;
        const line = transition(service, i, shown[i]?.name ?? '', states, now, incidents);
        // With vantages, where it is down: here only, or everywhere (the table has a From column).
        const where = shown[i]?.vantageVerdict ? ` — ${shown[i]?.vantageVerdict}` : '';
        if (line && !tty) out(`${clock(new Date(now))} ${line}${where}\n`);
      });
      if (stopped) break;
      if (tty) {
        // The table renders the safe report (the same objects as `shown`): back to the positions states are kept by.
        const position = new Map(shown.map((s, i) => [s, i]));
        const since = (s: ServiceResult) => formatDuration(now - (states.get(position.get(s) ?? -1)?.since ?? now));
        const table = renderTable(report, { chalk, columns: outputColumns(), since, redact });
        // Home the cursor and clear: the table replaces itself instead of scrolling.
        out(`\u001b[H\u001b[2J${table}${chalk.dim(`Updated ${clock(new Date(now))} · every ${formatDuration(intervalMs)} · Ctrl-C to stop`)}\n`);
      }
      await sleep(intervalMs, trap.signal);
    }
  } finally {
    trap.dispose();
    stopWatchingReader();
  }
  out(renderIncidents(incidents, Date.now()));
  out(renderUnjudged(names.filter((_, i) => !states.has(i))));
  return trap.exitCode();
}

/**
 * Services stopped before any check of theirs finished (one that hangs holds its first check for
 * the whole probe timeout): "no incidents" says nothing about them, so they are named.
 */
export function renderUnjudged(names: string[]): string {
  if (names.length === 0) return '';
  return `Stopped before ${names.length === 1 ? 'its' : 'their'} first check finished: ${names.join(', ')}\n`;
}

/**
 * Update a service's state and incidents; returns the line to print, if anything changed. States
 * are kept by the service's position `key`; `shown` is its name as printed (made safe, distinct).
 */
function transition(service: ServiceResult, key: number, shown: string, states: Map<number, State>, now: number, incidents: Incident[]): string | undefined {
  const previous = states.get(key);
  if (previous && previous.status === service.status) return undefined;
  const detail = codeDetail(service);
  states.set(key, { status: service.status, detail, since: now });
  const open = incidents.find((i) => i.key === key && i.end === undefined);
  if (open) open.end = now;
  if (service.status !== 'up') incidents.push({ key, service: shown, status: service.status, detail, start: now });
  const what = service.status === 'up' ? '' : ` (${detail})`;
  if (!previous) return `${shown} ${service.status}${what}`;
  const after = service.status === 'up' ? ` after ${formatDuration(now - previous.since)}` : '';
  return `${shown} ${previous.status} → ${service.status}${what}${after}`;
}

export function renderIncidents(incidents: Incident[], now: number): string {
  if (incidents.length === 0) return '\nNo incidents this session.\n';
  const lines = [`\nIncidents this session (${incidents.length}):`];
  for (const i of incidents) {
    const end = i.end === undefined ? 'ongoing' : clock(new Date(i.end));
    lines.push(`  ${i.service}  ${i.status}  ${clock(new Date(i.start))} → ${end}  ${formatDuration((i.end ?? now) - i.start)}  ${i.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
