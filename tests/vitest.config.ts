// Vitest configuration: the whole suite (`npm test`). Benchmarks live in tests/bench and are not tests.
// The groups (tests/test-groups.ts): the tests that only compute, two files at a time (one per
// core); then the browser tests and the other real-time tests side by side, each one file at a time;
// then the few that hold a clock to milliseconds, alone.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { BROWSER, COMPUTE, EXCLUSIVE, REAL_TIME } from './test-groups.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a page to show what the engine said, or for a server's reply: on a loaded
    // 2-core machine (Chromium beside a real-time test) one round trip can take over vitest's default
    // second. A poll ends as soon as it passes, so a longer limit only slows a failure.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'compute', include: COMPUTE.include, exclude: COMPUTE.exclude, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'browser', include: BROWSER.include, exclude: BROWSER.exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'exclusive', include: EXCLUSIVE.include, exclude: EXCLUSIVE.exclude, maxWorkers: 1, sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'real-time', include: REAL_TIME.include, exclude: REAL_TIME.exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
