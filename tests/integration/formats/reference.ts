// Shared by the format integration tests: where the real recordings are (../shared/data beside the
// checkout, see its README), and whether MNE-Python (Debian python3-mne) can run. In CI a missing
// data folder or MNE is a failure, never a skip; locally the tests skip with a message.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export function dataAvailable(): boolean {
  if (existsSync(join(DATA, 'README.md'))) return true;
  if (process.env.CI) throw new Error(`the real recordings are missing: expected them in ${DATA}`);
  console.warn(`skipping: no recordings in ${DATA}`);
  return false;
}

export function mneAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('MNE-Python is missing: .ci/run must install python3-mne');
    console.warn('skipping: MNE-Python is not installed (apt install python3-mne)');
    return false;
  }
}

export function dataFile(...parts: string[]): string {
  return join(DATA, ...parts);
}
