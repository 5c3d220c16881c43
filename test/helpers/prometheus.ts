/** Reading Prometheus text exposition in tests. */

/** `name{labels}` of every sample: what identifies a series once node_exporter merges files. */
export function seriesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.slice(0, line.lastIndexOf(' ')));
}
