// Lint rules, chiefly the layer rules of DESIGN.md §2: a wrong-layer import is a lint error,
// as well as a compile error through the per-environment tsconfigs. In the renderer, features
// never import each other and are imported through their index.ts (client ← stream ← ui ←
// features ← shell).
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const ourLayers = ['common', 'engine', 'workers', 'main', 'preload', 'server', 'cli'];

/** Forbid relative imports that climb into a layer this folder may not use. */
function forbidLayers(layers, message) {
  const electronSide = layers.filter((l) => ourLayers.includes(l));
  const top = layers.filter((l) => !ourLayers.includes(l));
  const patterns = [];
  if (electronSide.length) {
    patterns.push({ regex: `^(\\.\\./)+(electron/)?(${electronSide.join('|')})(/|$)`, message });
  }
  if (top.length) patterns.push({ regex: `^(\\.\\./)+(${top.join('|')})(/|$)`, message });
  return patterns;
}

const nodeBuiltins = { regex: '^node:', message: 'electron/common is pure: no Node built-ins here.' };
const electronPkg = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

const rendererLayer = forbidLayers(['engine', 'workers', 'main', 'preload', 'server', 'cli', 'native'], 'The renderer imports electron/common only.');

/** Forbid relative imports of these renderer folders (optionally under a prefix such as `features/`). */
function forbidFolders(folders, message, prefix = '') {
  return folders.length ? [{ regex: `^(\\.\\./)+${prefix ? `(${prefix})?` : ''}(${folders.join('|')})(/|$)`, message }] : [];
}

// Renderer features (renderer/features/<feature>/): each folder found there is one. Outside a
// feature, it is imported through its index.ts only; a feature never imports another.
const features = readdirSync(new URL('../renderer/features/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const featureIndexOnly = {
  regex: '^(\\.{1,2}/)+features/[^/]+/(?!index\\.js$)',
  message: "Import a feature through its index.ts ('…/features/<feature>/index.js'), not one of its modules.",
};
const reactPkgs = ['react', 'react-dom', 'react/jsx-runtime'].map((name) => ({ name, message: 'renderer/stream works outside React.' }));

function layer(files, patterns, paths = []) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'tests/artifacts/**', 'bench-results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['electron/common/**/*.ts'],
    [...forbidLayers(['engine', 'workers', 'main', 'preload', 'server', 'cli', 'renderer', 'native'], 'electron/common imports nothing of ours outside itself.'), nodeBuiltins, { regex: '^(fs|path|os|worker_threads|child_process|net|http)$', message: 'electron/common is pure: no Node built-ins here.' }],
    [electronPkg],
  ),
  layer(['native/**/*.ts'], forbidLayers(['engine', 'workers', 'main', 'preload', 'server', 'cli', 'renderer'], 'native imports only electron/common.'), [electronPkg]),
  // one block per folder: in a flat config a later block's rule options replace an earlier one's
  layer(['electron/engine/**/*.ts'], forbidLayers(['workers', 'main', 'preload', 'server', 'cli', 'renderer'], 'The engine imports electron/common and native only (workers are started by path, not imported).'), [electronPkg]),
  layer(['electron/workers/**/*.ts'], forbidLayers(['engine', 'main', 'preload', 'server', 'cli', 'renderer'], 'Workers import electron/common and native only.'), [electronPkg]),
  layer(['electron/cli/**/*.ts', 'electron/server/**/*.ts'], forbidLayers(['main', 'preload', 'renderer'], 'Hosts wire the engine; they never import electron or the renderer.'), [electronPkg]),
  // the renderer (each block repeats the layer patterns: a later block's options replace an earlier one's)
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], [...rendererLayer, featureIndexOnly], [electronPkg]),
  layer(['renderer/stream/**/*.ts'], [...rendererLayer, featureIndexOnly, ...forbidFolders(['ui', 'features', 'shell'], 'renderer/stream works outside React: it imports electron/common, renderer/client and itself only.')], [electronPkg, ...reactPkgs]),
  layer(['renderer/ui/**/*.ts', 'renderer/ui/**/*.tsx'], [...rendererLayer, featureIndexOnly, ...forbidFolders(['features', 'shell'], 'renderer/ui holds what several features share: it imports no feature and not the shell.')], [electronPkg]),
  ...features.map((feature) =>
    layer(
      [`renderer/features/${feature}/**/*.ts`, `renderer/features/${feature}/**/*.tsx`],
      [
        ...rendererLayer,
        ...forbidFolders(
          features.filter((f) => f !== feature),
          `Features never import each other (renderer/features/${feature} imports another feature): move what both need to renderer/ui or renderer/stream, or wire them in renderer/shell.`,
          'features/',
        ),
        ...forbidFolders(['shell'], 'A feature does not import the shell: the shell wires features together.'),
      ],
      [electronPkg],
    ),
  ),
);
