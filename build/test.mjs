// `npm test`: the type check and the lint (build/checks.mjs), then the suite's groups
// (tests/test-groups.ts): the compute group (two files at a time), then the browser group and the
// real-time group side by side, each one file at a time, as two vitest runs; then the exclusive
// group (a clock held to milliseconds) alone.
// The browser lane's report streams as it runs; the real-time lane's is held and printed whole when
// it ends, so neither is interleaved with the other. The last lines say which group failed.
// With arguments (`npm test -- tests/unit/x.test.ts`), the checks, then one vitest run of those.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const config = ['--config', 'tests/vitest.config.ts'];

/** The runs going on, and what each held back: a signal to this process stops them, then prints it. */
const running = new Set();
let stopping = false;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopping = true; // the runs' ends no longer drive the script: this handler ends it
    const runs = [...running];
    const closed = runs.map((r) => new Promise((resolve) => r.child.once('close', resolve)));
    for (const r of runs) r.child.kill(signal);
    void Promise.all(closed).then(() => {
      for (const r of runs) if (r.chunks.length > 0) process.stdout.write(Buffer.concat(r.chunks));
      process.stdout.write(`\nnpm test: stopped by ${signal}\n`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  });
}

/** Runs node with these arguments; resolves with the exit code and, when held, the output. */
function run(args, { hold = false, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const chunks = [];
    const entry = { child, chunks };
    running.add(entry);
    child.once('close', () => running.delete(entry));
    if (hold) {
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
    }
    child.on('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      resolve({ code: 1, output: Buffer.concat(chunks) });
    });
    child.on('close', (code, signal) => {
      if (!stopping) resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks) });
    });
  });
}

const seconds = (t0) => `${Math.round((performance.now() - t0) / 1000)} s`;
const t0 = performance.now();
const checks = await run([fileURLToPath(new URL('checks.mjs', import.meta.url))]);
if (checks.code !== 0) process.exit(checks.code);

const extra = process.argv.slice(2);
if (extra.length > 0) {
  const { code } = await run([vitest, 'run', ...config, ...extra]);
  process.exit(code);
}

// the global setup (dependency check, bundle) once, in the first run; the lanes are told it is done
const compute = await run([vitest, 'run', ...config, '--project', 'compute']);
const tCompute = seconds(t0);
const laneEnv = { ...process.env, BCI_TEST_GLOBAL_SETUP_DONE: `parent:${process.pid}` };
const tLanes = performance.now();
const [browser, realTime] = await Promise.all([
  run([vitest, 'run', ...config, '--project', 'browser'], { env: laneEnv }),
  run([vitest, 'run', ...config, '--project', 'real-time'], { env: laneEnv, hold: true }),
]);
process.stdout.write('\n──── real-time group (it ran beside the browser group) ────\n');
process.stdout.write(realTime.output);
const tExclusive = performance.now();
const exclusive = await run([vitest, 'run', ...config, '--project', 'exclusive'], { env: laneEnv });

const groups = [
  ['compute', compute.code],
  ['browser', browser.code],
  ['real-time', realTime.code],
  ['exclusive', exclusive.code],
];
const failed = groups.filter(([, code]) => code !== 0).map(([name]) => name);
process.stdout.write(
  `\nnpm test: checks and compute ${tCompute}, browser and real-time side by side ${seconds(tLanes)}, exclusive ${seconds(tExclusive)}; ` +
    (failed.length === 0 ? 'all groups passed\n' : `FAILED: ${failed.join(', ')} (their reports are above)\n`),
);
process.exit(failed.length === 0 ? 0 : 1);
