// Filter-bank CCA (electron/common/decoding/fbcca.ts): the preallocated zero-phase filter equals
// dsp's sosfiltfilt (SciPy's semantics), Chen et al.'s sub-bands and weights, the score formula
// against the plain CCA scorer on sosfiltfilt-filtered windows, detection in noise, round trips.
import { describe, expect, it } from 'vitest';
import { CcaScorer } from '../../../../electron/common/decoding/cca.js';
import type { EpochSet } from '../../../../electron/common/decoding/decoder.js';
import { FbccaDecoder, ZeroPhaseSos, fbcca, fbccaBandsHz } from '../../../../electron/common/decoding/fbcca.js';
import { butterSos, sosfiltfilt } from '../../../../electron/common/dsp/index.js';
import { Random } from '../../../../electron/common/random.js';

function ssvepWindow(channels: number, rows: number, rateHz: number, frequencyHz: number, snr: number, random: Random): Float64Array {
  const w = Float64Array.from({ length: channels * rows }, () => random.nextGaussian());
  for (let c = 0; c < channels; c++) {
    const phase = random.nextRange(0, 2 * Math.PI);
    for (let n = 0; n < rows; n++) {
      const t = n / rateHz;
      w[c * rows + n] += snr * (Math.sin(2 * Math.PI * frequencyHz * t + phase) + 0.6 * Math.sin(4 * Math.PI * frequencyHz * t + 2 * phase));
    }
  }
  return w;
}

describe('fbcca', () => {
  it('ZeroPhaseSos equals sosfiltfilt on every channel of a window, to 1e-12', () => {
    const random = new Random(2);
    const sos = butterSos(4, [16, 88], 'bandpass', 256);
    const rows = 200;
    const x = Float64Array.from({ length: 3 * rows }, () => 10 * random.nextGaussian() + 50);
    const out = new Float64Array(3 * rows);
    const filter = new ZeroPhaseSos(sos, rows);
    for (let c = 0; c < 3; c++) filter.apply(x, c * rows, out, c * rows);
    for (let c = 0; c < 3; c++) {
      const expected = sosfiltfilt(sos, x.slice(c * rows, (c + 1) * rows));
      let worst = 0;
      for (let n = 0; n < rows; n++) worst = Math.max(worst, Math.abs(out[c * rows + n] - expected[n]));
      expect(worst).toBeLessThan(1e-12);
    }
    expect(() => new ZeroPhaseSos(sos, filter.padLength)).toThrow(/more than 27 samples/);
  });

  it("uses Chen's M3 sub-bands [m·8, 88] Hz and weights m^-1.25 + 0.25", () => {
    expect(fbccaBandsHz({ subBands: 5, bandStepHz: 8, upperHz: null }, 256)).toEqual([
      [8, 88],
      [16, 88],
      [24, 88],
      [32, 88],
      [40, 88],
    ]);
    expect(fbccaBandsHz({ subBands: 2, bandStepHz: 8, upperHz: null }, 160)).toEqual([
      [8, 72],
      [16, 72],
    ]);
    expect(() => fbccaBandsHz({ subBands: 10, bandStepHz: 8, upperHz: null }, 160)).toThrow(/sub-band 9 would start at 72 Hz/);
    const d = new FbccaDecoder(['a', 'b'], 2, 256, 256, fbcca.parseOptions({ frequenciesHz: [10, 15] }));
    expect(Array.from(d.weights)).toEqual([1, 2 ** -1.25, 3 ** -1.25, 4 ** -1.25, 5 ** -1.25].map((w) => w + 0.25));
  });

  it('scores are Σ w·ρ² / Σ w over sosfiltfilt-filtered sub-bands', () => {
    const random = new Random(4);
    const rows = 256;
    const window = ssvepWindow(3, rows, 256, 12, 0.3, random);
    const options = fbcca.parseOptions({ frequenciesHz: [12, 15], subBands: 3 });
    const decoder = new FbccaDecoder(['12', '15'], 3, rows, 256, options);
    const scores = new Float64Array(2);
    decoder.scoresOf(window, scores);
    const scorer = new CcaScorer(3, rows, 256, [12, 15], options.harmonics);
    const expected = [0, 0];
    let weightSum = 0;
    decoder.bandsHz.forEach((band, m) => {
      const sos = butterSos(4, band, 'bandpass', 256);
      const filtered = new Float64Array(3 * rows);
      for (let c = 0; c < 3; c++) filtered.set(sosfiltfilt(sos, window.slice(c * rows, (c + 1) * rows)), c * rows);
      const rho = new Float64Array(2);
      scorer.correlations(filtered, rho);
      const w = (m + 1) ** -1.25 + 0.25;
      weightSum += w;
      expected[0] += w * rho[0] ** 2;
      expected[1] += w * rho[1] ** 2;
    });
    expect(scores[0]).toBeCloseTo(expected[0] / weightSum, 12);
    expect(scores[1]).toBeCloseTo(expected[1] / weightSum, 12);
    expect(scores[0]).toBeGreaterThan(scores[1]);
  });

  it('finds the stimulated frequency in noise and round-trips through JSON', () => {
    const random = new Random(8);
    const frequenciesHz = [8.5, 10, 12, 15];
    const labels = Array.from({ length: 24 }, (_, i) => i % 4);
    const rows = 500;
    const epochs = labels.map((l) => ssvepWindow(4, rows, 250, frequenciesHz[l], 0.4, random));
    const set: EpochSet = { channelCount: 4, rowCount: rows, sampleRateHz: 250, epochs, labels: Int32Array.from(labels), classes: ['a', 'b', 'c', 'd'] };
    expect(fbcca.trainable).toBe(false);
    const decoder = fbcca.fit(set, fbcca.parseOptions({ frequenciesHz }), 0).decoder;
    const back = fbcca.fromJSON(JSON.parse(JSON.stringify(decoder.toJSON())), set.classes, 4, rows, 250);
    const p = new Float64Array(4);
    const q = new Float64Array(4);
    let right = 0;
    epochs.forEach((e, i) => {
      decoder.predictProba(e, p);
      back.predictProba(e, q);
      expect(Array.from(q)).toEqual(Array.from(p));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (p.indexOf(Math.max(...p)) === labels[i]) right++;
    });
    expect(right).toBe(24);
  });

  it('refuses options it cannot use, with a sentence', () => {
    expect(() => fbcca.parseOptions({ frequenciesHz: [10, 12], subBands: 0 })).toThrow(/subBands must be a whole number from 1 to 10/);
    expect(() => fbcca.parseOptions({ frequenciesHz: [10, 12], upperHz: -1 })).toThrow(/upperHz/);
    expect(() => new FbccaDecoder(['a', 'b'], 2, 256, 256, fbcca.parseOptions({ frequenciesHz: [10, 12], upperHz: 130 }))).toThrow(/below the Nyquist/);
    expect(() => new FbccaDecoder(['a', 'b'], 2, 20, 256, fbcca.parseOptions({ frequenciesHz: [10, 12] }))).toThrow(/edge padding/);
  });
});
