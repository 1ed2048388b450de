// `npm start`: builds, makes sure Electron's runtime is present (Electron fetches it on first
// start, ~100 MB, from its release host), and opens the desktop app on the synthetic board.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'build/bundle.mjs')], { stdio: 'inherit' });

const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const runtimePresent = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
if (!runtimePresent()) {
  console.log('Electron fetches its runtime on first start (about 100 MB, once)…');
  try {
    execFileSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (error) {
    const reason = String(error.stderr ?? '').split('\n').find((line) => /Error|error/.test(line))?.trim() ?? 'unknown error';
    console.error(
      `Could not download the Electron runtime (${reason}): no internet, or a proxy in the way.\n` +
        'The same workstation runs in a browser without it:  npx bci serve',
    );
    process.exit(1);
  }
}
const electronBinary = require('electron');
const child = spawn(electronBinary, [root], { stdio: 'inherit', env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
child.on('exit', (code) => process.exit(code ?? 0));
