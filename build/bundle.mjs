// Bundles the TypeScript entry points that Node runs directly (the `bci` CLI, worker threads,
// the benchmark harness) into dist/. Type checking is `tsc -b`; this only transpiles and bundles.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const entryPoints = {
  'cli/bci': 'electron/cli/bci.ts',
  'workers/pipeline': 'electron/workers/pipeline.ts',
  'bench/run': 'tests/bench/run.ts',
};

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
});
