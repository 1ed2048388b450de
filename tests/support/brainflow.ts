// BrainFlow's libraries for tests: BRAINFLOW_LIB_DIR when set (.ci/run sets it), else the copy
// built for these machines beside the repository (../shared/vendor/brainflow/linux-x64). In CI a
// missing library FAILS the BrainFlow tests (never a skip).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The folder with libBoardController.so, or undefined (after setting BRAINFLOW_LIB_DIR for this process and its children). */
export function brainflowLibDir(): string | undefined {
  const candidates = [process.env.BRAINFLOW_LIB_DIR, join(root, '..', 'shared', 'vendor', 'brainflow', 'linux-x64'), '/work/shared/vendor/brainflow/linux-x64'];
  const dir = candidates.find((d): d is string => d !== undefined && d !== '' && existsSync(join(d, 'libBoardController.so')));
  if (dir) {
    process.env.BRAINFLOW_LIB_DIR = dir;
    return dir;
  }
  if (process.env.CI) throw new Error(`BrainFlow's library is missing (BRAINFLOW_LIB_DIR=${process.env.BRAINFLOW_LIB_DIR ?? 'unset'}): .ci/run must point BRAINFLOW_LIB_DIR at a folder with libBoardController.so`);
  return undefined;
}

export function brainflowAvailable(): boolean {
  return brainflowLibDir() !== undefined;
}

/** Polls a condition every 10 ms until it holds, or throws after timeoutMs naming what it waited for. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
