// Independent references in Python (Debian's python3-scipy and python3-mne, via /usr/bin/python3).
// In CI a missing module is a failure, never a skip.
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export function pythonHas(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error(`${module} is missing for ${PYTHON}: .ci/run must install it (Debian python3-${module.split('.')[0]})`);
    return false;
  }
}

/** Runs a script that prints one JSON document; returns it parsed. */
export function runPython<T>(script: string, args: string[] = [], input?: string): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { input, encoding: 'utf8', maxBuffer: 256 << 20 })) as T;
}
