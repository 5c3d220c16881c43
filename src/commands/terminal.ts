/** What outage knows about where its output goes. */

/**
 * The width tables fit: the terminal's when stdout is one (and reports a width), else `COLUMNS`
 * (so `COLUMNS=80 outage check | tee log` fits too), else undefined: natural width, as a file or
 * a pipe to another program wants.
 */
export function outputColumns(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY && (stream.columns ?? 0) > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
