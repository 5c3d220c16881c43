/** Output format names, kept apart from the renderers so `--help` loads none of them. */
export const FORMAT_NAMES = ['table', 'json', 'junit', 'tap', 'markdown', 'github', 'prometheus', 'nagios'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
