// `bci boards` and `bci stream` with and without BrainFlow's library: BrainFlow's boards listed from
// its descriptions, or one line saying how to get the library (and a BrainFlow board refused with it).
import { describe, expect, it } from 'vitest';
import { bci } from '../../support/bci.js';
import { brainflowLibDir } from '../../support/brainflow.js';
import { tempDir } from '../../support/tmp.js';

const libDir = brainflowLibDir();

describe('bci and BrainFlow', () => {
  it('without a library: one line on how to get one, and a BrainFlow board refused with it', async () => {
    const home = tempDir('bci-bf-nolib-');
    const env = { BRAINFLOW_LIB_DIR: home, BCI_SETTINGS_DIR: home, HOME: home, VIRTUAL_ENV: '', CONDA_PREFIX: '' };
    const boards = await bci(['boards'], env);
    expect(boards.code).toBe(0);
    const lines = boards.stdout.split('\n').filter((l) => /BrainFlow/.test(l) && !/BrainFlow CSV/.test(l) && !/^lsl /.test(l));
    expect(lines).toEqual([expect.stringMatching(/^BrainFlow boards: no BrainFlow library found: `npm install brainflow` .* `pip install brainflow`, or set BRAINFLOW_LIB_DIR/)]);
    expect(boards.stdout).not.toMatch(/brainflow:/);
    const stream = await bci(['stream', '--board', 'brainflow:cyton', '--duration', '1'], env);
    expect(stream.code).toBe(1);
    expect(stream.stderr.trim()).toBe(`bci: ${lines[0]}`);
  });

  it.skipIf(!libDir)("with a library: BrainFlow's boards from its descriptions, with the parameters each takes", async () => {
    const boards = await bci(['boards'], { BRAINFLOW_LIB_DIR: libDir! });
    expect(boards.stdout).toMatch(/^brainflow:cyton +Cyton \(BrainFlow\): BrainFlow's Cyton board \(BrainFlow id 0\): 8 EEG channels \(Fp1,Fp2,C3,C4,P7,P8,O1,O2\) at 250 Hz/m);
    expect(boards.stdout).toMatch(/^ +serial port · flags --port PATH\|auto /m);
    expect(boards.stdout).toMatch(/^brainflow:playback .*\n +recording file · flags --file PATH --master-board /m);
    expect(boards.stdout).not.toMatch(/no BrainFlow library found/);
  });
});
