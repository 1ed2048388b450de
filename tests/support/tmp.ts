// Temporary folders for tests, removed when they are no longer needed: one made inside a test is
// removed when that test ends; one made at module level or in a describe body is removed after
// that file's (or describe's) tests. Not for beforeAll hooks: make the folder at module level.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/** A new empty folder under the system's temporary folder, named PREFIX plus random characters. */
export function tempDir(prefix = 'bci-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // outside a test (vitest refuses onTestFinished there): while collecting, so after the suite
    afterAll(remove);
  }
  return dir;
}
