// Vitest configuration for mutation testing (`npm run mutate`, build/mutate.mjs): only the tests of
// the module being mutated (BCI_MUTATE_TESTS, comma-separated globs), no global setup (these unit
// tests need no bundle), so that each mutant runs in milliseconds.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const include = (process.env.BCI_MUTATE_TESTS ?? '').split(',').filter((glob) => glob.length > 0);
if (include.length === 0) throw new Error('BCI_MUTATE_TESTS is empty: run mutation testing with `npm run mutate`');

export default defineConfig({
  root,
  test: {
    include,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
