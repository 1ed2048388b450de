// Lint rules, chiefly the layer rules of DESIGN.md §2: a wrong-layer import is a lint error,
// as well as a compile error through the per-environment tsconfigs.
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
  layer(['electron/engine/**/*.ts', 'electron/workers/**/*.ts'], forbidLayers(['main', 'preload', 'server', 'cli', 'renderer'], 'The engine and workers import electron/common and native only.'), [electronPkg]),
  layer(['electron/workers/**/*.ts'], forbidLayers(['engine'], 'Workers import electron/common and native only.'), [electronPkg]),
  layer(['electron/cli/**/*.ts', 'electron/server/**/*.ts'], forbidLayers(['main', 'preload', 'renderer'], 'Hosts wire the engine; they never import electron or the renderer.'), [electronPkg]),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], forbidLayers(['engine', 'workers', 'main', 'preload', 'server', 'cli', 'native'], 'The renderer imports electron/common only.'), [electronPkg]),
);
