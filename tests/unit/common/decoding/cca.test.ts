// SSVEP CCA (electron/common/decoding/cca.ts): the largest canonical correlation against an
// independent computation with ml-matrix (orthonormal bases from thin SVDs, then the SVD of
// UxᵀUy), the small Jacobi eigen-solver against ml-matrix's, rank-deficient windows, detection of
// a noisy sine, the softmax temperature, options and model round trips.
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { CcaScorer, largestSymmetricEigenvalue, ssvepCca, ssvepReferences } from '../../../../electron/common/decoding/cca.js';
import type { EpochSet } from '../../../../electron/common/decoding/decoder.js';
import { Random } from '../../../../electron/common/random.js';

/** Planar (columns × rows) → ml-matrix rows × columns, centred. */
function centredMatrix(planar: Float64Array, columns: number, rows: number): Matrix {
  const m = new Matrix(rows, columns);
  for (let c = 0; c < columns; c++) {
    let mean = 0;
    for (let n = 0; n < rows; n++) mean += planar[c * rows + n];
    mean /= rows;
    for (let n = 0; n < rows; n++) m.set(n, c, planar[c * rows + n] - mean);
  }
  return m;
}

/** All canonical correlations, by ml-matrix: σ(Uxᵀ·Uy) with Ux, Uy the left singular vectors of full rank. */
function referenceCorrelations(x: Float64Array, xColumns: number, y: Float64Array, yColumns: number, rows: number): number[] {
  const basis = (m: Matrix): Matrix => {
    const svd = new SingularValueDecomposition(m, { autoTranspose: true });
    const s = svd.diagonal;
    const keep = s.map((v, i) => (v > 1e-10 * s[0] ? i : -1)).filter((i) => i >= 0);
    return svd.leftSingularVectors.subMatrixColumn(keep);
  };
  const ux = basis(centredMatrix(x, xColumns, rows));
  const uy = basis(centredMatrix(y, yColumns, rows));
  return new SingularValueDecomposition(ux.transpose().mmul(uy), { autoTranspose: true }).diagonal;
}

function noise(count: number, random: Random): Float64Array {
  return Float64Array.from({ length: count }, () => random.nextGaussian());
}

/** A planar window: each channel a mix of a sine at frequencyHz (random phase) and noise. */
function ssvepWindow(channels: number, rows: number, rateHz: number, frequencyHz: number, snr: number, random: Random): Float64Array {
  const w = noise(channels * rows, random);
  for (let c = 0; c < channels; c++) {
    const phase = random.nextRange(0, 2 * Math.PI);
    const gain = snr * random.nextRange(0.3, 1);
    for (let n = 0; n < rows; n++) w[c * rows + n] += gain * Math.sin((2 * Math.PI * frequencyHz * n) / rateHz + phase) + 0.5 * gain * Math.sin((4 * Math.PI * frequencyHz * n) / rateHz);
  }
  return w;
}

describe('CCA scorer', () => {
  it('gives the largest canonical correlation ml-matrix finds, to 1e-12', () => {
    const random = new Random(7);
    for (const [channels, rows, harmonics] of [
      [4, 640, 2],
      [8, 250, 3],
      [2, 100, 2],
      [16, 500, 1],
    ]) {
      const scorer = new CcaScorer(channels, rows, 250, [9.5, 13, 17.25], harmonics);
      const window = ssvepWindow(channels, rows, 250, 13, 0.3, random);
      const ours = new Float64Array(3);
      scorer.correlations(window, ours);
      [9.5, 13, 17.25].forEach((f, k) => {
        const expected = referenceCorrelations(window, channels, ssvepReferences(f, harmonics, rows, 250), 2 * harmonics, rows);
        expect(Math.abs(ours[k] - Math.max(...expected))).toBeLessThan(1e-12);
      });
      expect(ours[1]).toBeGreaterThan(ours[0]);
      expect(ours[1]).toBeGreaterThan(ours[2]);
    }
  });

  it('ignores a flat or duplicated channel (the rank it drops), as ml-matrix on the independent channels', () => {
    const random = new Random(3);
    const rows = 300;
    const base = ssvepWindow(3, rows, 200, 11, 0.4, random);
    const padded = new Float64Array(5 * rows);
    padded.set(base);
    padded.fill(42, 3 * rows, 4 * rows); // a flat channel (railed or disconnected)
    for (let n = 0; n < rows; n++) padded[4 * rows + n] = 2 * base[n] - base[rows + n]; // a combination of two others
    const withExtra = new Float64Array(1);
    const without = new Float64Array(1);
    new CcaScorer(5, rows, 200, [11], 2).correlations(padded, withExtra);
    new CcaScorer(3, rows, 200, [11], 2).correlations(base, without);
    expect(Math.abs(withExtra[0] - without[0])).toBeLessThan(1e-10);
    const allFlat = new Float64Array(2 * rows).fill(1);
    const zero = new Float64Array(1);
    new CcaScorer(2, rows, 200, [11], 2).correlations(allFlat, zero);
    expect(zero[0]).toBe(0);
  });

  it('Jacobi: the largest eigenvalue of random symmetric matrices as ml-matrix finds it', () => {
    const random = new Random(11);
    for (const size of [1, 2, 3, 4, 6, 10]) {
      const b = Matrix.from1DArray(size, size, noise(size * size, random));
      const a = b.transpose().mmul(b).sub(Matrix.eye(size).mul(0.5)); // symmetric, not definite
      const ours = largestSymmetricEigenvalue(Float64Array.from(a.to1DArray()), size);
      const expected = Math.max(...new EigenvalueDecomposition(a, { assumeSymmetric: true }).realEigenvalues);
      expect(Math.abs(ours - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    }
  });
});

describe("decoder 'ssvep-cca'", () => {
  const rateHz = 256;
  const rows = 512;
  const classes = ['30 Hz', '20 Hz', '12 Hz'];
  const frequenciesHz = [30, 20, 12];
  const set = (epochs: Float64Array[], labels: number[]): EpochSet => ({
    channelCount: 4,
    rowCount: rows,
    sampleRateHz: rateHz,
    epochs,
    labels: Int32Array.from(labels),
    classes,
  });

  it('fits without training, finds the stimulated frequency in noise and gives probabilities that sum to 1', () => {
    const random = new Random(5);
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    const epochs = labels.map((l) => ssvepWindow(4, rows, rateHz, frequenciesHz[l], 0.4, random));
    expect(ssvepCca.trainable).toBe(false);
    const { decoder, curve } = ssvepCca.fit(set(epochs, labels), ssvepCca.parseOptions({ frequenciesHz }), 1);
    expect(curve).toBeUndefined();
    const p = new Float64Array(3);
    let right = 0;
    epochs.forEach((e, i) => {
      decoder.predictProba(e, p);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (p.indexOf(Math.max(...p)) === labels[i]) right++;
    });
    expect(right).toBe(30);
  });

  it('probabilities are softmax(ρ / temperature); the model round-trips through JSON', () => {
    const random = new Random(9);
    const window = ssvepWindow(4, rows, rateHz, 20, 0.2, random);
    const options = ssvepCca.parseOptions({ frequenciesHz, harmonics: 3, temperature: 0.1 });
    const decoder = ssvepCca.fit(set([window], [1]), options, 0).decoder;
    const rho = new Float64Array(3);
    new CcaScorer(4, rows, rateHz, frequenciesHz, 3).correlations(window, rho);
    const e = Array.from(rho, (r) => Math.exp(r / 0.1));
    const p = new Float64Array(3);
    decoder.predictProba(window, p);
    e.forEach((v, k) => expect(p[k]).toBeCloseTo(v / e.reduce((a, b) => a + b, 0), 14));
    const back = ssvepCca.fromJSON(JSON.parse(JSON.stringify(decoder.toJSON())), classes, 4, rows, rateHz);
    const q = new Float64Array(3);
    back.predictProba(window, q);
    expect(Array.from(q)).toEqual(Array.from(p));
  });

  it('refuses options it cannot use, with a sentence', () => {
    expect(() => ssvepCca.parseOptions({})).toThrow(/frequenciesHz/);
    expect(() => ssvepCca.parseOptions({ frequenciesHz: [30, 20], harmonic: 2 })).toThrow(/Unknown ssvep-cca option "harmonic"/);
    expect(() => ssvepCca.parseOptions({ frequenciesHz: [30, 30] })).toThrow(/differ/);
    expect(() => ssvepCca.parseOptions({ frequenciesHz: [30, 20], temperature: 0 })).toThrow(/temperature/);
    const e = ssvepWindow(4, rows, rateHz, 20, 0.2, new Random(1));
    expect(() => ssvepCca.fit(set([e], [0]), ssvepCca.parseOptions({ frequenciesHz: [30, 20] }), 0)).toThrow(/one frequency per class: 3 classes but 2/);
    expect(() => ssvepCca.fit(set([e], [0]), ssvepCca.parseOptions({ frequenciesHz: [60, 20, 12], harmonics: 3 }), 0)).toThrow(/Nyquist/);
  });
});
