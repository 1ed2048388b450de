// Zero-phase filtering against scipy.signal.sosfiltfilt (default odd padding) for every golden filter.
import { describe, expect, it } from 'vitest';
import { cascadeSos, notchSos, sosfiltfilt, sosfiltfiltPadLength } from '../../../../electron/common/dsp/index.js';
import { loadGolden, maxRelativeError, peak } from '../../../support/golden.js';

describe('sosfiltfilt reproduces SciPy', () => {
  for (const f of loadGolden().filters) {
    it(f.name, () => {
      const x = Float64Array.from(f.input);
      const y = sosfiltfilt(Float64Array.from(f.sos.flat()), x);
      expect(y).toBeInstanceOf(Float64Array);
      expect(y.length).toBe(x.length);
      expect(maxRelativeError(y, f.sosfiltfilt, peak(f.input))).toBeLessThan(1e-9);
      expect(Array.from(x)).toEqual(f.input); // the input is left alone
    });
  }
});

describe('padding', () => {
  it('pad length is SciPy’s 3·(2n + 1 − min(#b2=0, #a2=0))', () => {
    const notch = notchSos(50, 30, 250);
    expect(sosfiltfiltPadLength(notch)).toBe(9);
    expect(sosfiltfiltPadLength(cascadeSos(notch, notch))).toBe(15);
    // A first-order section (b2 = a2 = 0) needs fewer taps.
    const firstOrder = Float64Array.of(0.5, 0.5, 0, 1, -0.2, 0);
    expect(sosfiltfiltPadLength(cascadeSos(firstOrder, notch))).toBe(12);
  });

  // (found by mutation testing: npm run mutate -- dsp) b2 and a2 zeros are counted separately, in
  // every section, and the smaller count is taken; the figures are SciPy 1.10's (the longest x
  // sosfiltfilt refuses with "must be greater than padlen")
  it('counts b2 = 0 and a2 = 0 separately, in every section, and takes the smaller count, as SciPy does', () => {
    const notch = notchSos(50, 30, 250);
    const firstOrder = Float64Array.of(0.5, 0.5, 0, 1, -0.2, 0);
    const a2Only = Float64Array.of(1, 0.5, 0.25, 1, -0.3, 0); // a2 = 0, b2 ≠ 0
    const b2Only = Float64Array.of(0.5, 0.5, 0, 1, -0.2, 0.1); // b2 = 0, a2 ≠ 0
    expect(sosfiltfiltPadLength(a2Only)).toBe(9);
    expect(sosfiltfiltPadLength(b2Only)).toBe(9);
    expect(sosfiltfiltPadLength(cascadeSos(notch, firstOrder))).toBe(12);
    expect(sosfiltfiltPadLength(cascadeSos(b2Only, firstOrder))).toBe(12);
    expect(sosfiltfiltPadLength(cascadeSos(firstOrder, b2Only, firstOrder))).toBe(15);
  });

  it('a signal no longer than the padding is a RangeError', () => {
    const notch = notchSos(50, 30, 250);
    expect(() => sosfiltfilt(notch, new Float64Array(9))).toThrow(/needs more than 9 samples/);
    expect(sosfiltfilt(notch, new Float64Array(10)).length).toBe(10);
  });
});
