// `bci convert` with filters on an OpenBCI GUI recording that holds accelerometer channels: the EEG
// channels are filtered as SciPy filters them (causal with a steady start, or zero phase), the
// accelerometer channels are written exactly as recorded (a band-pass would remove gravity), and the
// summary says which channels were left unfiltered.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { pythonHas, runPython } from '../support/python.js';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = join(root, '..', 'shared', 'data', 'openbci-gui', 'OpenBCI_GUI-v5-blinks-jawClench-alpha.txt');
const work = tempDir('bci-convert-exg-');
const haveScipy = pythonHas('scipy');
const ROWS = 20 * 250;
// two EEG channels and the three accelerometer axes (positions in the file's rows)
const PICK = [0, 1, 8, 9, 10];

async function sourceColumns(): Promise<{ labels: string[]; types: string[]; columns: number[][] }> {
  const r = await openRecording(source);
  try {
    const width = r.info.rowChannels.length;
    const rows = new Float64Array(ROWS * width);
    await r.readRows(0, ROWS, rows);
    const channels = PICK.map((k) => r.info.channels[r.info.rowChannels[k]]);
    return { labels: channels.map((c) => c.label), types: channels.map((c) => c.type), columns: PICK.map((k) => Array.from({ length: ROWS }, (_, i) => rows[i * width + k])) };
  } finally {
    await r.close();
  }
}

function csvColumns(path: string): number[][] {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  expect(lines).toHaveLength(ROWS);
  return PICK.map((_, j) => lines.map((l) => Number(l.split(',')[2 + j])));
}

describe.skipIf(!haveScipy)('bci convert filters the ExG channels only', () => {
  it('--bandpass 1-40 (causal, --zero-phase, --zero-phase --car): EEG as SciPy, accelerometer exactly as recorded', async () => {
    const src = await sourceColumns();
    expect(src.types).toEqual(['eeg', 'eeg', 'accel', 'accel', 'accel']);
    // the accelerometer moves in this span: a filter would change it
    for (const c of [2, 3, 4]) expect(new Set(src.columns[c]).size).toBeGreaterThan(1);
    const reference = runPython<{ causal: number[][]; zero: number[][]; zeroCar: number[][] }>(
      `
import json, sys, numpy as np
from scipy import signal
x = np.array(json.load(sys.stdin))
sos = signal.butter(4, [1, 40], btype='bandpass', fs=250, output='sos')
zi = signal.sosfilt_zi(sos)
causal = [signal.sosfilt(sos, ch, zi=zi * ch[0])[0].tolist() for ch in x]
car = x - x.mean(axis=0)
json.dump({"causal": causal, "zero": signal.sosfiltfilt(sos, x, axis=-1).tolist(), "zeroCar": signal.sosfiltfilt(sos, car, axis=-1).tolist()}, sys.stdout)`,
      [],
      JSON.stringify(src.columns.slice(0, 2)),
    );
    for (const [name, extra, expected] of [
      ['causal', [], reference.causal],
      ['zero-phase', ['--zero-phase'], reference.zero],
      // the common average over the EEG channels (not the accelerometer), before the zero-phase filters
      ['zero-phase with --car', ['--zero-phase', '--car'], reference.zeroCar],
    ] as const) {
      const out = join(work, `${name}.csv`);
      const run = await bci(['convert', source, out, '--channels', PICK.join(','), '--end', '20', '--bandpass', '1-40', ...extra]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/note: not filtered \(filters apply to the EEG, EMG, EOG and ECG channels\): Accel Channel 0, Accel Channel 1, Accel Channel 2/);
      const ours = csvColumns(out);
      let worst = 0;
      for (const c of [0, 1]) for (let i = 0; i < ROWS; i++) worst = Math.max(worst, Math.abs(ours[c][i] - expected[c][i]));
      expect(worst, name).toBeLessThan(1e-3); // CSV prints 4 decimals
      for (const c of [2, 3, 4]) expect(ours[c], `${name}: ${src.labels[c]}`).toEqual(src.columns[c]);
    }
  });

  it('the accelerometer converted alone is filtered when asked (no ExG channel kept: the filters apply to those kept)', async () => {
    const out = join(work, 'accel-only.csv');
    const run = await bci(['convert', source, out, '--channels', '8', '--end', '20', '--highpass', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/not filtered/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    const last = lines.slice(-250).map((l) => Number(l.split(',')[2]));
    // gravity (0.02-0.05 g on this axis) removed: what is left hovers around 0
    expect(Math.abs(last.reduce((a, b) => a + b, 0) / last.length)).toBeLessThan(0.01);
  });

  it('a missing value in an unfiltered accelerometer column does not refuse the filters (it could not spread); in an EEG column it does', async () => {
    const csv = join(work, 'acc-holes.csv');
    const lines = ['time,Fz,AccX'];
    for (let i = 0; i < 500; i++) lines.push(`${(i / 250).toFixed(3)},${i === 200 ? '' : (100 + Math.sin(i / 5)).toFixed(3)},${i >= 100 && i < 105 ? 'NaN' : '0.980'}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const ok = await bci(['convert', csv, join(work, 'acc-holes-out.csv'), '--highpass', '1']);
    expect(ok.code).toBe(2); // Fz's hole would spread
    expect(ok.stderr).toMatch(/1 empty or NaN values .*a filter would spread them/);
    const bad = join(work, 'acc-holes-eeg.csv');
    writeFileSync(bad, lines.map((l, i) => (i === 201 ? l.replace(/^([^,]*),,/, '$1,100,') : l)).join('\n') + '\n');
    const run = await bci(['convert', bad, join(work, 'acc-holes-out2.csv'), '--highpass', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/not filtered .*: AccX/);
    expect(run.stdout).toMatch(/5 empty or NaN values in the source: written as NaN/);
  });
});
