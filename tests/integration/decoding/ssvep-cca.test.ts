// SSVEP CCA on real recordings (../shared/data/eeg-notebooks-ssvep: Muse TP9 AF7 AF8 TP10 at
// 256 Hz; marker 1 = 30 Hz, 2 = 20 Hz, 3 s stimuli), against scikit-learn: on the same windows
// (0.5-3.0 s after each onset, the four EEG channels) scikit-learn's CCA(n_components=1) computes,
// per window and frequency, the correlation of the first pair of canonical variates with the same
// sine/cosine references (2 harmonics); the project's 'ssvep-cca' must reach scikit-learn's
// accuracy and agree on the correlations. Twice: on the samples as recorded, and after the
// pipeline's 60 Hz notch (Q 30, causal, run over the whole recording as the live filters run).
// The notch matters: these recordings carry 60 Hz mains, which is the 2nd harmonic of the 30 Hz
// target, so on unfiltered windows CCA calls nearly every trial "30 Hz". The files are read with
// the project's reader, as replay reads them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CcaScorer, ssvepCca } from '../../../electron/common/decoding/cca.js';
import type { EpochSet } from '../../../electron/common/decoding/decoder.js';
import { fbcca } from '../../../electron/common/decoding/fbcca.js';
import { SosFilter, notchSos } from '../../../electron/common/dsp/index.js';
import { rowOfRecordingTime } from '../../../electron/common/formats/recording.js';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { dataAvailable, dataFile } from '../formats/reference.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';

const FILES = ['data_2017-09-14-21.20.04.csv', 'data_2017-09-14-21.22.51.csv', 'data_2017-09-14-21.25.17.csv'];
const CLASSES = ['1', '2'];
const FREQUENCIES_HZ = [30, 20];
const HARMONICS = 2;
const START_SEC = 0.5;
const END_SEC = 3.0;

/** The labelled windows of one file, planar, EEG channels only; with `notchHz`, after a causal notch there. */
async function epochsOf(name: string, notchHz: number | null): Promise<EpochSet> {
  const r = await openRecording(dataFile('eeg-notebooks-ssvep', name));
  try {
    const info = r.info;
    const width = info.rowChannels.length;
    const eeg = info.rowChannels.map((c, i) => (info.channels[c].type === 'eeg' ? i : -1)).filter((i) => i >= 0);
    const rate = info.sampleRateHz;
    const rows = Math.round((END_SEC - START_SEC) * rate);
    const all = new Float64Array(info.sampleCount * width);
    await r.readRows(0, info.sampleCount, all);
    const channels = eeg.map((col) => Float64Array.from({ length: info.sampleCount }, (_, n) => all[n * width + col]));
    if (notchHz !== null) {
      const filter = new SosFilter(notchSos(notchHz, 30, rate), channels.length);
      channels.forEach((x, c) => {
        filter.setSteadyState(c, x[0]);
        filter.processChannel(c, x, 0, x.length);
      });
    }
    const epochs: Float64Array[] = [];
    const labels: number[] = [];
    for (const event of info.events) {
      const label = CLASSES.indexOf(event.label);
      if (label < 0) continue;
      const first = rowOfRecordingTime(info, event.onsetSec) + Math.round(START_SEC * rate);
      if (first + rows > info.sampleCount) continue;
      const epoch = new Float64Array(eeg.length * rows);
      channels.forEach((x, c) => epoch.set(x.subarray(first, first + rows), c * rows));
      epochs.push(epoch);
      labels.push(label);
    }
    return { channelCount: eeg.length, rowCount: rows, sampleRateHz: rate, epochs, labels: Int32Array.from(labels), classes: CLASSES };
  } finally {
    await r.close();
  }
}

const SKLEARN_CCA = `
import json, sys, warnings
import numpy as np
from sklearn.cross_decomposition import CCA
path, n, c, t, rate, harmonics = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
freqs = [float(f) for f in sys.argv[7].split(',')]
windows = np.fromfile(path, dtype='<f8').reshape(n, c, t)
time = np.arange(t) / rate
refs = [np.column_stack([g(2 * np.pi * h * f * time) for h in range(1, harmonics + 1) for g in (np.sin, np.cos)]) for f in freqs]
out = []
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    for w in windows:
        row = []
        for y in refs:
            cca = CCA(n_components=1, max_iter=10000, tol=1e-12)
            xs, ys = cca.fit(w.T, y).transform(w.T, y)
            row.append(abs(float(np.corrcoef(xs[:, 0], ys[:, 0])[0, 1])))
        out.append(row)
print(json.dumps(out))
`;

describe.skipIf(!dataAvailable() || !pythonHas('sklearn'))('SSVEP CCA on eeg-notebooks recordings, against scikit-learn', () => {
  const dir = tempDir('bci-ssvep-');

  it.each(FILES)('%s: the accuracy of scikit-learn CCA(n_components=1), correlations within 1e-6, as recorded and notched', async (name) => {
    for (const notchHz of [null, 60]) {
      const set = await epochsOf(name, notchHz);
      expect(set.epochs.length).toBeGreaterThanOrEqual(30);
      expect(set.channelCount).toBe(4);
      expect(set.rowCount).toBe(640);

      const path = join(dir, `${name}.${notchHz ?? 'raw'}.f64`);
      const flat = new Float64Array(set.epochs.length * set.channelCount * set.rowCount);
      set.epochs.forEach((e, i) => flat.set(e, i * e.length));
      writeFileSync(path, new Uint8Array(flat.buffer));
      const sklearn = runPython<number[][]>(SKLEARN_CCA, [
        path,
        String(set.epochs.length),
        String(set.channelCount),
        String(set.rowCount),
        String(set.sampleRateHz),
        String(HARMONICS),
        FREQUENCIES_HZ.join(','),
      ]);

      const decoder = ssvepCca.fit(set, ssvepCca.parseOptions({ frequenciesHz: FREQUENCIES_HZ, harmonics: HARMONICS }), 0).decoder;
      const scorer = new CcaScorer(set.channelCount, set.rowCount, set.sampleRateHz, FREQUENCIES_HZ, HARMONICS);
      const fb = fbcca.fit(set, fbcca.parseOptions({ frequenciesHz: FREQUENCIES_HZ }), 0).decoder;
      const rho = new Float64Array(2);
      const p = new Float64Array(2);
      let ours = 0;
      let theirs = 0;
      let filterBank = 0;
      let worst = 0;
      set.epochs.forEach((epoch, i) => {
        scorer.correlations(epoch, rho);
        decoder.predictProba(epoch, p);
        const label = set.labels[i];
        if (p[label] > p[1 - label]) ours++;
        if (sklearn[i][label] > sklearn[i][1 - label]) theirs++;
        for (let k = 0; k < 2; k++) worst = Math.max(worst, Math.abs(rho[k] - sklearn[i][k]));
        fb.predictProba(epoch, p);
        if (p[label] > p[1 - label]) filterBank++;
      });
      const n = set.epochs.length;
      const pc = (x: number): string => `${x}/${n} (${((100 * x) / n).toFixed(1)} %)`;
      console.log(
        `${name} ${notchHz === null ? 'as recorded' : `${notchHz} Hz notch`}: ssvep-cca ${pc(ours)}, scikit-learn CCA ${pc(theirs)}, ` +
          `fbcca ${pc(filterBank)}; max |ρ − ρ_sklearn| = ${worst.toExponential(2)}`,
      );
      expect(ours).toBeGreaterThanOrEqual(theirs);
      expect(worst).toBeLessThan(1e-6);
      if (notchHz !== null) expect(ours / n).toBeGreaterThan(0.75);
    }
  });
});
