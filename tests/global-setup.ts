// Before the suite: the one check of what the tests need outside npm (in CI a missing tool fails
// the run by name: tests/support/dependencies.ts), then dist/ (the bundled CLI and worker scripts)
// built once, so tests that start workers or run `bci` as a subprocess use the code under test,
// not a stale bundle.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkDependencies } from './support/dependencies.js';

/**
 * Vitest calls this for the root and once per project, each in its own module graph: the work is
 * done once per run, and not at all in the runs `npm test` (build/test.mjs) starts after doing it.
 */
const DONE = 'BCI_TEST_GLOBAL_SETUP_DONE';

export default function setup(): void {
  const done = process.env[DONE];
  if (done === String(process.pid) || done === `parent:${process.ppid}`) return;
  process.env[DONE] = String(process.pid);
  checkDependencies();
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['build/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
