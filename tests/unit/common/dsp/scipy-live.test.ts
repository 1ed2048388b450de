// Beyond the golden file: every Butterworth design the pipeline can ask for (orders 1-8, the four
// band types, several rates) and the notch, against SciPy itself (Debian's python3-scipy, run
// here), plus sosfiltfilt on a fresh signal. In CI a missing SciPy is a failure, never a skip.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { butterSos, type FilterBand } from '../../../../electron/common/dsp/butter.js';
import { notchSos } from '../../../../electron/common/dsp/notch.js';
import { sosfiltfilt } from '../../../../electron/common/dsp/filtfilt.js';

const PYTHON = '/usr/bin/python3';

function scipyAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import scipy.signal'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('SciPy is missing: .ci/run must install python3-scipy');
    return false;
  }
}

interface Case {
  order: number;
  band: FilterBand;
  cutoff: number | [number, number];
  rate: number;
}

const cases: Case[] = [];
for (const rate of [125, 250, 500, 1000]) {
  for (let order = 1; order <= 8; order++) {
    cases.push({ order, band: 'lowpass', cutoff: 0.18 * rate, rate });
    cases.push({ order, band: 'highpass', cutoff: 0.002 * rate, rate });
    cases.push({ order, band: 'bandpass', cutoff: [0.004 * rate, 0.16 * rate], rate });
    cases.push({ order, band: 'bandstop', cutoff: [0.19 * rate, 0.21 * rate], rate });
  }
}

const script = `
import json, sys
import numpy as np
from scipy import signal
cases = json.load(sys.stdin)
out = {"butter": [], "notch": [], "filtfilt": None}
for c in cases:
    out["butter"].append(signal.butter(c["order"], c["cutoff"], btype=c["band"], fs=c["rate"], output="sos").ravel().tolist())
for f0, q, fs in [(50, 30, 250), (60, 30, 250), (50, 10, 1000), (100, 35, 500)]:
    b, a = signal.iirnotch(f0, q, fs=fs)
    out["notch"].append(np.concatenate([b, a]).tolist())
rng = np.random.default_rng(5)
x = np.cumsum(rng.standard_normal(2000)) + 50 * np.sin(np.arange(2000) * 0.3)
sos = signal.butter(3, [2, 30], btype="bandpass", fs=250, output="sos")
out["filtfilt"] = {"x": x.tolist(), "sos": sos.ravel().tolist(), "y": signal.sosfiltfilt(sos, x).tolist()}
json.dump(out, sys.stdout)
`;

describe.skipIf(!scipyAvailable())('DSP against SciPy, live', () => {
  const answer = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 })) as {
    butter: number[][];
    notch: number[][];
    filtfilt: { x: number[]; sos: number[]; y: number[] };
  };

  it(`designs all ${cases.length} Butterworth filters (orders 1-8, four bands, four rates) as SciPy does`, () => {
    expect(answer.butter.length).toBe(cases.length);
    let worst = 0;
    cases.forEach((c, i) => {
      const ours = butterSos(c.order, c.cutoff, c.band, c.rate);
      const theirs = answer.butter[i];
      expect(ours.length, JSON.stringify(c)).toBe(theirs.length);
      const scale = Math.max(...theirs.map(Math.abs));
      for (let k = 0; k < ours.length; k++) worst = Math.max(worst, Math.abs(ours[k] - theirs[k]) / scale);
    });
    expect(worst).toBeLessThan(1e-10);
  });

  it('designs notches as SciPy does', () => {
    const ours = [notchSos(50, 30, 250), notchSos(60, 30, 250), notchSos(50, 10, 1000), notchSos(100, 35, 500)];
    ours.forEach((sos, i) => {
      expect(sos.length).toBe(6);
      expect(answer.notch[i].length).toBe(6);
      for (let k = 0; k < 6; k++) expect(sos[k]).toBeCloseTo(answer.notch[i][k], 12);
    });
  });

  it('filters offline with zero phase as sosfiltfilt does', () => {
    const y = sosfiltfilt(Float64Array.from(answer.filtfilt.sos), Float64Array.from(answer.filtfilt.x));
    expect(answer.filtfilt.x.length).toBe(2000);
    expect(y.length).toBe(answer.filtfilt.y.length);
    expect(y.length).toBe(2000);
    const scale = Math.max(...answer.filtfilt.y.map(Math.abs));
    let worst = 0;
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - answer.filtfilt.y[i]) / scale);
    expect(worst).toBeLessThan(1e-9);
  });
});
