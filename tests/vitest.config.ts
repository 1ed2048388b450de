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
    // Two files at a time on CI's 2 cores: a third of the suite's time is real-time waiting (serial
    // ptys, browsers, paced streams) that a second worker fills. Vitest's default (cores − 1) ran
    // one file at a time: 14 min. Tests that measure time bound it for a loaded machine.
    maxWorkers: 2,
    globalSetup: ['tests/global-setup.ts'],
  },
});
