/* global module */
/**
 * dependency-cruiser config: enforces the layering of src/ (run by `npm run lint`).
 *
 * LAYERS is ordered bottom to top. A module in a layer may import modules of its own layer and
 * of the layers listed before it, and no other module under src/. One rule is generated per
 * layer, named `layer-<name>-imports-only-below`, so a violation names the layer it breaks.
 * To add or move a layer, edit LAYERS only.
 */

/** Bottom to top. `paths` are regular expressions on paths relative to the repository root. */
const LAYERS = [
  { name: 'core', paths: ['^src/core/'], label: 'src/core' },
  { name: 'status-pages', paths: ['^src/status-pages/'], label: 'src/status-pages' },
  { name: 'catalog', paths: ['^src/catalog/'], label: 'src/catalog' },
  { name: 'config', paths: ['^src/config/'], label: 'src/config' },
  { name: 'net', paths: ['^src/net/'], label: 'src/net' },
  // src/probes/*.ts (contract, registry) and one folder per probe kind; kind folders may import
  // each other (no-circular still forbids cycles between them).
  { name: 'probes', paths: ['^src/probes/'], label: 'src/probes' },
  { name: 'judge', paths: ['^src/judge/'], label: 'src/judge' },
  { name: 'diagnose', paths: ['^src/diagnose/'], label: 'src/diagnose' },
  { name: 'run', paths: ['^src/run/'], label: 'src/run' },
  { name: 'report', paths: ['^src/report/'], label: 'src/report' },
  // The check orchestration shared by the commands and the programmatic API.
  { name: 'api', paths: ['^src/check\\.ts$'], label: 'src/check.ts' },
  // `outage serve`: the exporter's server, above the check it runs, below the command that starts it.
  { name: 'serve', paths: ['^src/serve/'], label: 'src/serve' },
  { name: 'commands', paths: ['^src/commands/'], label: 'src/commands' },
  { name: 'entry', paths: ['^src/cli\\.ts$', '^src/index\\.ts$'], label: 'src/cli.ts, src/index.ts' },
];

function layerRule(layer, index) {
  const allowed = LAYERS.slice(0, index + 1);
  const below = LAYERS.slice(0, index).map((l) => l.label);
  const comment =
    index === 0
      ? `${layer.label} (layer "${layer.name}") may import nothing else from src/`
      : `${layer.label} (layer "${layer.name}") may import only ${below.join(', ')} ` +
        `(and itself) from src/`;
  return {
    name: `layer-${layer.name}-imports-only-below`,
    comment,
    severity: 'error',
    from: { path: layer.paths },
    // Allow-list: anything under src/ outside its own layer and the layers below is a violation,
    // which also catches imports of modules that belong to no layer.
    to: { path: '^src/', pathNot: allowed.flatMap((l) => l.paths) },
  };
}

module.exports = {
  forbidden: [
    ...LAYERS.map(layerRule),
    {
      name: 'every-file-in-a-layer',
      comment: 'Every file under src/ belongs to a layer (add new folders to LAYERS)',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.flatMap((l) => l.paths) },
      to: {},
    },
    {
      name: 'no-import-of-cli',
      comment: 'src/cli.ts is the executable entry point: nothing may import it',
      severity: 'error',
      from: {},
      to: { path: '^src/cli\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles between files (type-only imports count too)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'A relative import must resolve to a file that exists',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^\\.{1,2}/' },
    },
    {
      name: 'no-src-to-test-or-bench',
      comment: 'Code under src/ may not import from test/ or bench/',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` and type-only imports: a cycle or an upward import through types is
    // still a layering violation.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
