// Vitest configuration: the whole suite (`npm test`). Benchmarks live in tests/bench and are not tests.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time. Two workers took the suite from 14 to about 9 minutes on 2 cores, but in
    // four full runs three had a timing-sensitive test fail (a serial flood's rate guard, an SSVEP
    // flicker measured from dropped frames, a marker's dejittered time): those measure real time and
    // need the machine to themselves. Make them load-proof first, then set maxWorkers: 2 again.
    maxWorkers: 1,
    globalSetup: ['tests/global-setup.ts'],
  },
});
