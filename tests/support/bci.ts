// The `bci` command line as a user runs it, for tests: a real subprocess of bin/bci.js (which runs
// dist/cli/bci.mjs, built by the global setup) in the package folder. One place for how the CLI
// is started, so every test runs it the same way.
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** The package folder: the working directory of every `bci` run. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BIN = 'bin/bci.js';

export interface BciResult {
  /** The exit code: 0 on success, 1 for runtime failures, 2 for usage errors. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bci ARGS…` to its end (with extra environment variables if given). Never rejects for a failing command: the code says it. */
export function bci(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<BciResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs `bci ARGS…` to its end, blocking, and returns its standard output; throws if it fails. */
export function bciSync(args: readonly string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/**
 * Starts `bci ARGS…` without waiting, for commands that run until signalled (`serve`, `record`).
 * Called inside a test, a child still running when the test ends is killed (SIGKILL).
 */
export function spawnBci(args: readonly string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT });
  try {
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  } catch {
    // not inside a test: the caller ends the child
  }
  return child;
}
