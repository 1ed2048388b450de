// Builds dist/ (the bundled CLI and worker scripts) once before the suite, so tests that start
// workers or run `bci` as a subprocess use the code under test, not a stale bundle.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['build/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
