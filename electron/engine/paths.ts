// Where the engine finds its bundled worker scripts: dist/ under the package root, whether the
// engine runs from the bundled CLI (dist/cli) or from source (tests).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const name = (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name;
      if (name === 'bci-workstation') return (cachedRoot = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the bci-workstation package folder');
    dir = parent;
  }
}

/** The bundled entry of a worker (`pipeline`, …); tells how to build it when it is missing. */
export function workerScript(name: string): string {
  // in a packaged desktop app, workers are unpacked beside the archive (a worker cannot load from asar)
  const path = join(packageRoot(), 'dist', 'workers', `${name}.mjs`).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  if (!existsSync(path)) throw new Error(`the ${name} worker is not built (${path} is missing): run \`npm run build\``);
  return path;
}
