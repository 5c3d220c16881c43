/** What a scenario reports: measurements for the table, and targets judged met or not. */
export interface Target {
  /** The target as stated, e.g. "--version ≤ 1.3× node -e 0". */
  text: string;
  measured: string;
  /** undefined: could not be measured here (a peer missing), with the reason in `measured`. */
  met: boolean | undefined;
}

export interface ScenarioResult {
  title: string;
  /** Rows of the results table: label, then values. */
  columns: string[];
  rows: string[][];
  targets: Target[];
  notes: string[];
}

export const ms = (value: number) => `${Math.round(value)} ms`;
export const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} MB`);
export const ratio = (value: number) => `${value.toFixed(2)}×`;
