// The suite's groups (tests/vitest.config.ts):
// - compute: tests that only compute (DSP and decoders against SciPy, scikit-learn and PyTorch, the
//   readers against MNE, pure units), two files at a time, one per core; then, side by side:
// - browser: the end-to-end tests in Chromium, one file at a time;
// - real-time: the other tests that measure or wait on real time (paced boards, the Cyton emulator
//   on a pty, sockets, LSL, subprocesses against the wall clock, deadlines), one file at a time.
//   A browser test and a real-time test share the machine; two of either kind do not (with two
//   real-time files at a time, three full runs in four had one of them fail on a 2-core machine);
// - exclusive: the few that hold a clock mapping to milliseconds, last, alone.
// Every test file is in exactly one group (tests/unit/support/test-groups.test.ts checks it): a new
// folder goes into one of the lists below.

export const COMPUTE = {
  include: [
    'tests/unit/common/**/*.test.ts',
    'tests/unit/renderer/**/*.test.ts',
    'tests/unit/cli/**/*.test.ts',
    'tests/unit/layers/**/*.test.ts',
    'tests/unit/native/**/*.test.ts',
    'tests/unit/main/**/*.test.ts',
    'tests/unit/preload/**/*.test.ts',
    'tests/unit/support/**/*.test.ts',
    'tests/unit/server/**/*.test.ts',
    'tests/unit/engine/files/**/*.test.ts',
    'tests/unit/engine/safety/**/*.test.ts',
    'tests/unit/engine/montage/**/*.test.ts',
    'tests/unit/engine/serial/**/*.test.ts',
    'tests/unit/engine/decoding/**/*.test.ts',
    'tests/unit/engine/board-registry.test.ts',
    'tests/integration/formats/**/*.test.ts',
    'tests/integration/decoding/**/*.test.ts',
    'tests/integration/convert*.test.ts',
    'tests/integration/export.test.ts',
    // subprocesses and recordings, but no bound on the wall clock: their output is the same at any speed
    'tests/integration/cli-consistency.test.ts',
    'tests/integration/montage.test.ts',
    'tests/integration/recording-events.test.ts',
    'tests/integration/failures.test.ts',
    'tests/integration/library.test.ts',
    'tests/integration/serve.test.ts',
    'tests/integration/brainflow/cli.test.ts',
  ],
  // among those, the ones that wait on real time after all (Atomics waits with timeouts)
  exclude: ['tests/unit/common/ring-buffer.test.ts'],
};

export const BROWSER = {
  include: ['tests/e2e/**/*.test.ts'],
  exclude: [] as string[],
};

/**
 * Tests that hold a clock mapping to a few milliseconds (a marker stamped on arrival and mapped to
 * its sample within one sample), or the clock model's rate over the first seconds (the LSL stamps
 * to 1 %): run last, alone. Beside Chromium a chunk's arrival can lag by a few ms, or a child
 * process's first seconds by tens, which the clock model then follows (the LSL stamps' rate was
 * 1.7 % off in one full run).
 */
export const EXCLUSIVE = {
  include: ['tests/integration/safety/udp-markers.test.ts', 'tests/unit/engine/command-host.test.ts', 'tests/unit/engine/engine.test.ts', 'tests/integration/lsl.test.ts'],
  exclude: [] as string[],
};

export const REAL_TIME = {
  include: [
    'tests/fuzz/**/*.test.ts',
    'tests/unit/engine/*.test.ts',
    'tests/unit/engine/boards/**/*.test.ts',
    'tests/unit/engine/assistive/**/*.test.ts',
    'tests/integration/*.test.ts',
    'tests/integration/assistive/**/*.test.ts',
    'tests/integration/brainflow/**/*.test.ts',
    'tests/integration/cyton/**/*.test.ts',
    'tests/integration/safety/**/*.test.ts',
    ...COMPUTE.exclude,
  ],
  exclude: [...COMPUTE.include.filter((glob) => !glob.includes('**')), ...EXCLUSIVE.include],
};

/** A glob of these lists as a regular expression ('**' any folders, '*' within a name). */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*' && glob[i + 2] === '/') {
      source += '(?:.*/)?';
      i += 2;
    } else if (ch === '*') source += '[^/]*';
    else source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}


export const GROUPS = { compute: COMPUTE, browser: BROWSER, 'real-time': REAL_TIME, exclusive: EXCLUSIVE } as const;

/** Whether a path (relative to the package, with '/') is in a group. */
export function inGroup(group: { include: readonly string[]; exclude: readonly string[] }, path: string): boolean {
  return group.include.some((g) => globToRegExp(g).test(path)) && !group.exclude.some((g) => globToRegExp(g).test(path));
}
