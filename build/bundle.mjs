// Bundles the TypeScript entry points into dist/: what Node runs directly (the `bci` CLI, worker
// threads, the benchmark harness), the Electron main process and preload, and the renderer (one
// page, its script and its styles). Type checking is `tsc -b`; this only transpiles and bundles.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const entryPoints = {
  'cli/bci': 'electron/cli/bci.ts',
  'workers/pipeline': 'electron/workers/pipeline.ts',
  'workers/recorder': 'electron/workers/recorder.ts',
  'bench/run': 'tests/bench/run.ts',
  // the Electron main process: ESM like the rest; electron and npm packages stay external
  'main/main': 'electron/main/main.ts',
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

// the sandboxed preload: one CommonJS file with everything but electron inlined (a sandboxed
// preload cannot load modules)
await build({
  absWorkingDir: root,
  entryPoints: { preload: 'electron/preload/preload.ts' },
  outdir: 'dist/preload',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome120',
  external: ['electron'],
  logLevel: 'warning',
});

// the renderer: browser platform, one script and one stylesheet beside index.html
mkdirSync(`${root}/dist/renderer`, { recursive: true });
copyFileSync(`${root}/renderer/index.html`, `${root}/dist/renderer/index.html`);
await build({
  absWorkingDir: root,
  entryPoints: { app: 'renderer/main.tsx' },
  outdir: 'dist/renderer',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome120',
  jsx: 'automatic',
  sourcemap: true,
  minify: process.env.BCI_DEV !== '1',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
