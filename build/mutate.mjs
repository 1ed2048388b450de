// Mutation testing of the core (`npm run mutate [MODULE...]`): StrykerJS with its vitest runner
// and TypeScript checker, one module at a time, each with only the tests that concern it, one
// test process (the machine is shared), incremental (bench-results/stryker-incremental-MODULE.json
// remembers earlier results, so a re-run only tests changed code and tests). Each module's report
// goes to bench-results/mutation-MODULE.{json,html}; the summary table to stdout and
// bench-results/mutation-summary.json. Not part of `npm test`.
//
// StrykerJS 9.x is the last line that runs on Node 20 (10.x needs Node 22).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'bench-results');

/** The core modules: what is mutated, and the tests that concern it. */
export const MODULES = {
  'ring-buffer': {
    mutate: ['electron/common/ring-buffer.ts'],
    tests: ['tests/unit/common/ring-buffer.test.ts'],
    tsconfig: 'electron/common/tsconfig.json',
  },
  // (scoped to what every live sample goes through: the SOS filter, the notch, zero-phase filtering;
  // the design code (butter, zpk2sos) is checked coefficient by coefficient against SciPy)
  dsp: {
    mutate: ['electron/common/dsp/sos.ts', 'electron/common/dsp/notch.ts', 'electron/common/dsp/filtfilt.ts'],
    tests: ['tests/unit/common/dsp/**/*.test.ts'],
    tsconfig: 'electron/common/tsconfig.json',
  },
  // (scoped to the Cyton packet parser, which every sample from a board goes through: the µV
  // scale, framing, resynchronisation, lost rows, Daisy pairing, accelerometer and board time;
  // cyton-protocol.ts lines 110-553, keep them in step. The whole file is 666 mutants, the whole
  // folder over 2 000 lines: more than an hour on 2 cores)
  boards: {
    mutate: ['electron/common/boards/cyton-protocol.ts:110-553'],
    tests: ['tests/unit/common/boards/cyton-protocol*.test.ts'],
    tsconfig: 'electron/common/tsconfig.json',
  },
  // (scoped to the BDF+/EDF+ writer's record and annotation encoding: what the recorder writes)
  formats: {
    mutate: ['electron/common/formats/edf-writer.ts:158-250'],
    tests: ['tests/unit/common/formats/**/*.test.ts'],
    tsconfig: 'electron/common/tsconfig.json',
  },
  // The recorder's event semantics (where a marker, gap or end lands in the file and the sidecars).
  // The recorder worker itself runs in a worker thread from the bundle, out of the mutants' reach;
  // integration tests (tests/integration/recording*.test.ts) cover it.
  recorder: {
    mutate: ['electron/common/formats/recording-events.ts'],
    tests: ['tests/unit/common/formats/recording-events.test.ts'],
    tsconfig: 'electron/common/tsconfig.json',
  },
  // `bci serve`'s gate: the Host (DNS rebinding), the token and the WebSocket path/origin checks.
  // (line ranges of serve.ts: isLoopback, hostNameOf, allowedHost; sameToken; the HTTP handler's
  // host and token lines; the upgrade handler's gate. Keep them in step with the code: ranges that
  // drift onto module constants or startServer's set-up give mutants no test can switch on)
  server: {
    mutate: ['electron/server/serve.ts:63-85', 'electron/server/serve.ts:105-110', 'electron/server/serve.ts:141-143', 'electron/server/serve.ts:161-170'],
    tests: ['tests/unit/server/serve-gate.test.ts'],
    tsconfig: 'electron/server/tsconfig.json',
  },
};

function strykerConfig(name, module) {
  return {
    $schema: '../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'vitest',
    vitest: { configFile: 'tests/vitest.mutate.config.ts', related: false },
    checkers: ['typescript'],
    tsconfigFile: module.tsconfig,
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
    mutate: module.mutate,
    coverageAnalysis: 'perTest',
    concurrency: 1,
    incremental: true,
    incrementalFile: `bench-results/stryker-incremental-${name}.json`,
    reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
    jsonReporter: { fileName: `bench-results/mutation-${name}.json` },
    htmlReporter: { fileName: `bench-results/mutation-${name}.html` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
    ignorePatterns: ['dist', 'out', 'bench-results', 'tests/artifacts', '.stryker-tmp', 'native/**/*.so'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    timeoutMS: 20_000,
    thresholds: { high: 85, low: 70, break: null },
  };
}

/** Killed, survived… from a mutation-testing-report-schema JSON report. */
function scoreOf(reportPath) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  const perFile = {};
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const f = (perFile[file] = { killed: 0, survived: 0, noCoverage: 0 });
    for (const m of mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Killed' || m.status === 'Timeout') f.killed++;
      else if (m.status === 'Survived') f.survived++;
      else if (m.status === 'NoCoverage') f.noCoverage++;
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { score: valid ? (100 * detected) / valid : Number.NaN, detected, survived: counts.Survived, noCoverage: counts.NoCoverage, compileErrors: counts.CompileError, perFile };
}

const asked = process.argv.slice(2);
for (const name of asked) if (!(name in MODULES)) {
  console.error(`mutate: unknown module "${name}"; one of ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : Object.keys(MODULES);
mkdirSync(results, { recursive: true });
const summaryPath = join(results, 'mutation-summary.json');
const readSummary = () => (existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) : {});
let summary = readSummary();
// Tests find the shared reference data (golden answers, recordings) at ../shared beside the
// checkout; Stryker runs them from .stryker-tmp/sandbox-*/, two levels deeper, so the shared folder
// is linked where those relative paths land (.stryker-tmp/shared).
function linkShared() {
  const link = join(root, '.stryker-tmp', 'shared');
  if (existsSync(link)) return;
  mkdirSync(join(root, '.stryker-tmp'), { recursive: true });
  symlinkSync(join(root, '..', 'shared'), link, 'dir');
}

let failed = false;
for (const name of names) {
  linkShared();
  const module = MODULES[name];
  const configPath = join(results, `stryker-${name}.config.json`);
  writeFileSync(configPath, JSON.stringify(strykerConfig(name, module), null, 2));
  const started = Date.now();
  console.log(`\n== mutating ${name}: ${module.mutate.join(' ')} with ${module.tests.join(' ')}`);
  const run = spawnSync(process.execPath, [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', configPath], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BCI_MUTATE_TESTS: module.tests.join(',') },
  });
  const seconds = (Date.now() - started) / 1000;
  const reportPath = join(results, `mutation-${name}.json`);
  if (run.status !== 0 || !existsSync(reportPath)) {
    console.error(`mutate: Stryker failed on ${name} (exit ${run.status})`);
    failed = true;
    continue;
  }
  // (read again: another module's run may have finished meanwhile)
  summary = { ...readSummary(), [name]: { ...scoreOf(reportPath), seconds, date: new Date().toISOString() } };
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
}
console.log('\nmodule        score   killed  survived  no-coverage  seconds');
for (const [name, s] of Object.entries(summary)) {
  console.log(`${name.padEnd(12)} ${s.score.toFixed(1).padStart(6)}% ${String(s.detected).padStart(8)} ${String(s.survived).padStart(9)} ${String(s.noCoverage).padStart(12)} ${s.seconds.toFixed(0).padStart(8)}`);
}
process.exit(failed ? 1 : 0);
