/**
 * JUnit XML (the Jenkins schema GitLab, Jenkins and CircleCI read): one <testsuite> per run, one
 * <testcase> per service. A service fails the case exactly when it would fail the exit code
 * (`--fail-on`); a non-critical failure is <skipped> so it shows without failing the build.
 */
import { exitCodeFor } from '../core/status.js';
import { escapeXml, escapeXmlText } from './escape.js';
import { vantageLines } from './vantages.js';
import type { Report, ServiceResult } from '../probes/result.js';
import { safeReport } from './safe-report.js';

export function renderJunit(unsafe: Report): string {
  // Every field one safe line: the only line breaks in element text are the ones written here.
  const report = safeReport(unsafe);
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const cases = report.services.map((service) => {
    const kind = outcome(service, report);
    if (kind === 'failure') failures++;
    if (kind === 'error') errors++;
    if (kind === 'skipped') skipped++;
    return testcase(service, kind);
  });
  const suite = attrs({
    name: 'outage',
    tests: report.services.length,
    failures,
    errors,
    skipped,
    time: seconds(report.durationMs),
    timestamp: report.startedAt.replace(/\.\d+Z$/, ''),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite ${suite}>`,
    `  <properties>`,
    `    <property ${attrs({ name: 'status', value: report.status })}/>`,
    `    <property ${attrs({ name: 'exitCode', value: report.exitCode })}/>`,
    `    <property ${attrs({ name: 'failOn', value: report.failOn })}/>`,
    // Cut short by a signal: said as JSON (`interrupted`), TAP (`Bail out!`) and the others say it.
    ...(report.interrupted ? [`    <property ${attrs({ name: 'interrupted', value: 'true' })}/>`] : []),
    `  </properties>`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

type Outcome = 'pass' | 'failure' | 'error' | 'skipped' | 'note';

function outcome(service: ServiceResult, report: Report): Outcome {
  if (service.status === 'up') return 'pass';
  // Below --fail-on it fails nothing, critical or not (TAP says ok); a non-critical failure is skipped.
  if (exitCodeFor(service.status, report.failOn) === 0) return 'note';
  if (!service.critical) return 'skipped';
  return service.status === 'unknown' ? 'error' : 'failure';
}

function testcase(service: ServiceResult, kind: Outcome): string {
  const head = `  <testcase ${attrs({ name: service.name, classname: service.tags[0] ?? 'outage', time: seconds(service.durationMs), status: service.status })}`;
  const detail = escapeXmlText(details(service));
  const message = attrs({ type: service.code ?? service.status, message: service.reason });
  switch (kind) {
    case 'pass':
      // Up here but seen from elsewhere too: what the other places saw goes along.
      return (service.vantages?.length ?? 0) > 1 ? `${head}>\n    <system-out>${escapeXmlText(vantageLines(service).join('\n'))}</system-out>\n  </testcase>` : `${head}/>`;
    case 'failure':
      return `${head}>\n    <failure ${message}>${detail}</failure>\n  </testcase>`;
    case 'error':
      return `${head}>\n    <error ${message}>${detail}</error>\n  </testcase>`;
    case 'skipped':
      return `${head}>\n    <skipped>${escapeXmlText(`non-critical, ${service.status}: ${service.reason}`)}</skipped>\n    <system-out>${detail}</system-out>\n  </testcase>`;
    case 'note':
      return `${head}>\n    <system-out>${detail}</system-out>\n  </testcase>`;
  }
}

function details(service: ServiceResult): string {
  const lines = [`${service.status}${service.code ? ` (${service.code})` : ''}: ${service.reason}`, `target: ${service.target}`];
  for (const p of service.probes) lines.push(`${p.kind}: ${p.status}${p.code ? ` ${p.code}` : ''} — ${p.reason}`);
  lines.push(...vantageLines(service));
  return lines.join('\n');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${escapeXml(String(value))}"`)
    .join(' ');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
