/**
 * What the config or the environment makes worth a word before a run starts (credentials for a
 * vantage sent over plain http beyond loopback), said once on stderr: the report on stdout stays
 * data. Redacted like everything printed, though a warning is written never to hold a secret.
 */
export function sayWarnings(warnings: readonly string[] | undefined, redact: (text: string) => string): void {
  for (const warning of warnings ?? []) process.stderr.write(`outage: warning: ${redact(warning)}\n`);
}
