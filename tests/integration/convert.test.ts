// `bci convert` and `bci info` on real recordings: outputs that MNE and our own readers read back
// with the same samples and events; filtering matches SciPy; bad input ends in one clear line.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { pythonHas, runPython } from '../support/python.js';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, '..', 'shared', 'data');
const work = tempDir('bci-convert-');
const haveMne = pythonHas('mne');
const haveScipy = pythonHas('scipy');

async function rows(path: string): Promise<{ labels: string[]; rate: number; data: Float64Array; events: string[] }> {
  const r = await openRecording(path);
  try {
    const width = r.info.rowChannels.length;
    const out = new Float64Array(r.info.sampleCount * width);
    await r.readRows(0, r.info.sampleCount, out);
    return { labels: r.info.rowChannels.map((c) => r.info.channels[c].label), rate: r.info.sampleRateHz, data: out, events: r.info.events.map((e) => `${e.onsetSec.toFixed(3)}:${e.label}`) };
  } finally {
    await r.close();
  }
}

describe('bci convert', () => {
  const physionet = join(data, 'physionet-eegmmidb-S001', 'S001R04.edf');

  it.skipIf(!haveMne)('EDF+ → BDF+: MNE reads the same samples and the same 30 annotations', async () => {
    const out = join(work, 'r04.bdf');
    const result = await bci(['convert', physionet, out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/20000 samples × 64 channels at 160 Hz, 30 events/);
    const cmp = runPython<{ maxDiffUv: number; n: [number, number]; ann: [string[], string[]]; onsets: number }>(
      `
import json, sys, mne, numpy as np
a = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose='error')
b = mne.io.read_raw_bdf(sys.argv[2], preload=True, verbose='error')
json.dump({"maxDiffUv": float(np.abs(a.get_data() - b.get_data()).max() * 1e6), "n": [int(a.n_times), int(b.n_times)],
  "ann": [list(a.annotations.description), list(b.annotations.description)],
  "onsets": float(np.abs(a.annotations.onset - b.annotations.onset).max())}, sys.stdout)`,
      [physionet, out],
    );
    expect(cmp.n).toEqual([20000, 20000]);
    expect(cmp.maxDiffUv).toBeLessThan(0.01); // BDF's 24 bits hold the EDF's 16 exactly, up to rounding of the scale
    expect(cmp.ann[1]).toEqual(cmp.ann[0]);
    expect(cmp.onsets).toBeLessThan(1e-6);
  });

  it.skipIf(!haveScipy)('filters with zero phase exactly as SciPy sosfiltfilt, on a channel subset and a span', async () => {
    const out = join(work, 'c3c4.csv');
    const result = await bci(['convert', physionet, out, '--channels', 'C3,C4', '--start', '10', '--end', '40', '--bandpass', '8-30', '--order', '4', '--zero-phase']);
    expect(result.code).toBe(0);
    const ours = readFileSync(out, 'utf8').trim().split('\n');
    expect(ours[0]).toBe('sample_index,time_s,C3.._uV,C4.._uV');
    expect(ours.length - 1).toBe(30 * 160);
    const reference = runPython<number[][]>(
      `
import json, sys, numpy as np
from scipy import signal
import mne
raw = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose='error')
x = raw.get_data(picks=['C3..', 'C4..'])[:, 1600:6400] * 1e6
sos = signal.butter(4, [8, 30], btype='bandpass', fs=160, output='sos')
json.dump(signal.sosfiltfilt(sos, x, axis=-1).T.tolist(), sys.stdout)`,
      [physionet],
    );
    let worst = 0;
    ours.slice(1).forEach((line, i) => {
      const [, , c3, c4] = line.split(',').map(Number);
      worst = Math.max(worst, Math.abs(c3 - reference[i][0]), Math.abs(c4 - reference[i][1]));
    });
    expect(worst).toBeLessThan(1e-3); // CSV prints 4 decimals
  });

  it('OpenBCI GUI text → OpenBCI layout and CSV: our readers read back the same samples', async () => {
    const source = join(data, 'openbci-gui', 'OpenBCI_GUI-v6-blinks-jawClench-alpha.txt');
    const txt = join(work, 'copy.txt');
    const csv = join(work, 'copy.csv');
    expect((await bci(['convert', source, txt, '--channels', '0,1,2,3,4,5,6,7'])).code).toBe(0);
    expect((await bci(['convert', source, csv, '--channels', '0,1,2,3,4,5,6,7'])).code).toBe(0);
    const original = await rows(source);
    const back = await rows(txt);
    expect(back.rate).toBe(250);
    expect(back.labels.slice(0, 8)).toEqual(original.labels.slice(0, 8));
    const width = original.labels.length;
    const backWidth = back.labels.length;
    let worst = 0;
    for (let r = 0; r < 22490; r++) for (let c = 0; c < 8; c++) worst = Math.max(worst, Math.abs(original.data[r * width + c] - back.data[r * backWidth + c]));
    expect(worst).toBeLessThan(0.006); // the GUI layout prints 2 decimals
    const csvBack = await rows(csv);
    expect(csvBack.data.length / csvBack.labels.length).toBe(22490);
  });

  it('`bci info` describes a recording; bad input ends in one clear line', async () => {
    const info = await bci(['info', join(data, 'mne-python', 'edf', 'test.bdf')]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/format +bdf/);
    expect(info.stdout).toMatch(/rate +2048 Hz/);
    const broken = join(work, 'broken.edf');
    writeFileSync(broken, readFileSync(physionet).subarray(0, 700));
    for (const args of [['info', broken], ['convert', broken, join(work, 'x.bdf')], ['info', join(work, 'nope.edf')], ['convert', physionet, join(work, 'x.wav')], ['convert', physionet, join(work, 'r04.bdf')]]) {
      const r = await bci(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
