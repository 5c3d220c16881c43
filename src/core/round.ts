/** Milliseconds in reports: one decimal, enough for a human, stable for a diff. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Every number of an object rounded with roundMs (phase timings). */
export function roundAllMs<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? roundMs(v) : v])) as T;
}
