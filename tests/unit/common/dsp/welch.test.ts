// Welch PSD against scipy.signal.welch (hann, constant detrend, density, mean), the reusable
// estimator's bookkeeping, and the FFTs underneath it against a direct DFT.
import { describe, expect, it } from 'vitest';
import { ComplexFft, RealFft, WelchEstimator, welch } from '../../../../electron/common/dsp/index.js';
import { loadGolden, maxRelativeError, peak } from '../../../support/golden.js';

describe('welch reproduces SciPy', () => {
  for (const s of loadGolden().spectra) {
    it(s.name, () => {
      const { frequencyHz, power } = welch(Float64Array.from(s.input), s.fs, {
        segmentLength: s.params.nperseg,
        overlap: s.params.noverlap,
      });
      expect(frequencyHz.length).toBe(s.f.length);
      expect(maxRelativeError(frequencyHz, s.f, peak(s.f))).toBeLessThan(1e-12);
      // Relative to the largest bin, and bin by bin where the bin is not vanishingly small.
      expect(maxRelativeError(power, s.pxx, peak(s.pxx))).toBeLessThan(1e-9);
      for (let k = 0; k < power.length; k++) {
        if (s.pxx[k] > 1e-6 * peak(s.pxx)) expect(Math.abs(power[k] - s.pxx[k]) / s.pxx[k]).toBeLessThan(1e-9);
      }
    });

    it(`${s.name}: WelchEstimator on a window inside a longer buffer, reused`, () => {
      const estimator = new WelchEstimator(s.params.nperseg, s.params.noverlap, s.fs);
      const padded = new Float64Array(s.input.length + 100).fill(1e6);
      padded.set(s.input, 37);
      const out = new Float64Array(estimator.frequencyHz.length);
      for (let round = 0; round < 2; round++) {
        expect(estimator.compute(padded, 37, s.input.length, out)).toBe(22); // (3000 − 128) // 128
        expect(maxRelativeError(out, s.pxx, peak(s.pxx))).toBeLessThan(1e-9);
      }
    });
  }
});

describe('WelchEstimator', () => {
  it('counts segments as SciPy does and ignores a partial tail', () => {
    const e = new WelchEstimator(100, 50, 100);
    expect(e.segmentCount(99)).toBe(0);
    expect(e.segmentCount(100)).toBe(1);
    expect(e.segmentCount(149)).toBe(1);
    expect(e.segmentCount(150)).toBe(2);
    expect(e.frequencyHz.length).toBe(51);
    expect(e.frequencyHz[50]).toBe(50);
  });

  it('returns 0 segments and zeros for a too-short window', () => {
    const e = new WelchEstimator(64, 0, 250);
    const out = new Float64Array(33).fill(7);
    expect(e.compute(new Float64Array(63), 0, 63, out)).toBe(0);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('density scaling: a sine’s PSD integrates to its power (even, non-power-of-two segments)', () => {
    // A 10 Hz sine of amplitude 2 has power 2 (µV²); the density integrates to about that.
    const fs = 250;
    const x = Float64Array.from({ length: 5000 }, (_, n) => 2 * Math.sin((2 * Math.PI * 10 * n) / fs));
    const { frequencyHz, power } = welch(x, fs, { segmentLength: 250, overlap: 125 });
    const df = frequencyHz[1] - frequencyHz[0];
    let total = 0;
    for (const p of power) total += p * df;
    expect(total).toBeCloseTo(2, 2);
    let peakBin = 0;
    for (let k = 1; k < power.length; k++) if (power[k] > power[peakBin]) peakBin = k;
    expect(frequencyHz[peakBin]).toBe(10);
  });

  it('odd segment lengths double every bin but DC (no Nyquist bin)', () => {
    const fs = 100;
    const x = Float64Array.from({ length: 1000 }, (_, n) => Math.cos((2 * Math.PI * 7 * n) / fs) + 0.1 * Math.sin(n * n));
    const odd = welch(x, fs, { segmentLength: 101, overlap: 50 });
    expect(odd.frequencyHz.length).toBe(51);
    const df = odd.frequencyHz[1];
    let total = 0;
    for (const p of odd.power) total += p * df;
    expect(total).toBeGreaterThan(0.4);
    expect(total).toBeLessThan(0.6);
  });

  it('rejects impossible settings', () => {
    expect(() => new WelchEstimator(1, 0, 250)).toThrow(/at least 2/);
    expect(() => new WelchEstimator(256, 256, 250)).toThrow(/overlap must be a whole number of samples from 0 to 255/);
    expect(() => new WelchEstimator(256, -1, 250)).toThrow(RangeError);
    expect(() => new WelchEstimator(256, 128, 0)).toThrow(/Sample rate/);
    expect(() => welch(new Float64Array(100), 250, { segmentLength: 256, overlap: 128 })).toThrow(/at least one segment of 256 samples; got 100/);
    const e = new WelchEstimator(16, 8, 250);
    expect(() => e.compute(new Float64Array(20), 10, 16, new Float64Array(9))).toThrow(/outside a signal of 20 samples/);
    expect(() => e.compute(new Float64Array(20), 0, 16, new Float64Array(8))).toThrow(/needs 9 bins/);
  });
});

/** Direct O(N²) DFT as the reference. */
function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      sr += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
      si += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

function pseudoRandom(n: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  });
}

describe('FFT', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 12, 100, 125, 128, 250, 256, 257, 500]) {
    it(`complex and real FFT of length ${n} match a direct DFT`, () => {
      const re = pseudoRandom(n, n);
      const im = pseudoRandom(n, n + 1);
      const [expectRe, expectIm] = dft(re, im);
      const fft = new ComplexFft(n);
      const r = re.slice();
      const i = im.slice();
      fft.forward(r, i);
      const scale = Math.max(peak(expectRe), peak(expectIm));
      expect(maxRelativeError(r, expectRe, scale)).toBeLessThan(1e-12);
      expect(maxRelativeError(i, expectIm, scale)).toBeLessThan(1e-12);

      const real = new RealFft(n);
      expect(real.binCount).toBe(Math.floor(n / 2) + 1);
      const [realRe, realIm] = dft(re, new Float64Array(n));
      const outRe = new Float64Array(real.binCount);
      const outIm = new Float64Array(real.binCount);
      const shifted = new Float64Array(n + 3);
      shifted.set(re, 3);
      real.forward(shifted, 3, outRe, outIm);
      const realScale = Math.max(peak(realRe), peak(realIm));
      expect(maxRelativeError(outRe, realRe.subarray(0, real.binCount), realScale)).toBeLessThan(1e-12);
      expect(maxRelativeError(outIm, realIm.subarray(0, real.binCount), realScale)).toBeLessThan(1e-12);
    });
  }

  it('rejects a length of 0', () => {
    expect(() => new ComplexFft(0)).toThrow(RangeError);
    expect(() => new RealFft(2.5)).toThrow(RangeError);
  });
});
