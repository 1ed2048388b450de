// Filter design against SciPy: butter(..., output='sos') and iirnotch, coefficient by coefficient,
// plus the validation errors a caller gets for impossible designs.
import { describe, expect, it } from 'vitest';
import { butterSos, notchSos, type FilterBand } from '../../../../electron/common/dsp/index.js';
import { loadGolden, type GoldenFilter } from '../../../support/golden.js';

function design(f: GoldenFilter): Float64Array {
  const p = f.params;
  if (f.kind === 'iirnotch') return notchSos(p.f0Hz!, p.q!, f.fs);
  const band = p.btype as FilterBand;
  const cutoff: number | [number, number] = band === 'lowpass' || band === 'highpass' ? p.cutoffHz! : [p.lowHz!, p.highHz!];
  return butterSos(p.order!, cutoff, band, f.fs);
}

/**
 * Worst coefficient error, relative to the size of the polynomial it belongs to (the b half or
 * the a half of its row): the gain sits in section 0's b, so b can be 1e-5 while a is ~1.
 */
function worstRelative(actual: Float64Array, expected: number[][]): number {
  let worst = 0;
  expected.forEach((row, s) => {
    for (const half of [0, 3]) {
      const size = Math.max(...row.slice(half, half + 3).map(Math.abs));
      for (let k = half; k < half + 3; k++) worst = Math.max(worst, Math.abs(actual[s * 6 + k] - row[k]) / size);
    }
  });
  return worst;
}

describe('filter design matches SciPy 1.10', () => {
  for (const f of loadGolden().filters) {
    it(`${f.name}: ${f.sos.length} section(s) to 1e-12`, () => {
      const sos = design(f);
      expect(sos).toBeInstanceOf(Float64Array);
      expect(sos.length).toBe(f.sos.length * 6);
      expect(worstRelative(sos, f.sos)).toBeLessThan(1e-12);
    });
  }
});

/** |H(e^{iω})| of a cascade at frequencyHz. */
function magnitude(sos: Float64Array, frequencyHz: number, sampleRateHz: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRateHz;
  let gain = 1;
  for (let r = 0; r < sos.length; r += 6) {
    const at = (c0: number, c1: number, c2: number): number => {
      const re = c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w);
      const im = -c1 * Math.sin(w) - c2 * Math.sin(2 * w);
      return Math.hypot(re, im);
    };
    gain *= at(sos[r], sos[r + 1], sos[r + 2]) / at(sos[r + 3], sos[r + 4], sos[r + 5]);
  }
  return gain;
}

describe('Butterworth responses for every order 1..8 (odd orders take the first-order-section paths)', () => {
  const fs = 250;
  const half = Math.SQRT1_2;
  for (let order = 1; order <= 8; order++) {
    it(`order ${order}: −3 dB at the edges, flat in the pass band, stable`, () => {
      const low = butterSos(order, 30, 'lowpass', fs);
      expect(low.length).toBe(6 * Math.ceil(order / 2));
      expect(magnitude(low, 0, fs)).toBeCloseTo(1, 12);
      expect(magnitude(low, 30, fs)).toBeCloseTo(half, 12);
      const high = butterSos(order, 2, 'highpass', fs);
      expect(magnitude(high, fs / 2, fs)).toBeCloseTo(1, 12);
      expect(magnitude(high, 2, fs)).toBeCloseTo(half, 12);
      const pass = butterSos(order, [8, 30], 'bandpass', fs);
      expect(pass.length).toBe(6 * order);
      expect(magnitude(pass, 8, fs)).toBeCloseTo(half, 12);
      expect(magnitude(pass, 30, fs)).toBeCloseTo(half, 12);
      const stop = butterSos(order, [45, 55], 'bandstop', fs);
      expect(magnitude(stop, 0, fs)).toBeCloseTo(1, 12);
      expect(magnitude(stop, 45, fs)).toBeCloseTo(half, 12);
      expect(magnitude(stop, 55, fs)).toBeCloseTo(half, 12);
      for (const sos of [low, high, pass, stop]) {
        for (let r = 0; r < sos.length; r += 6) {
          expect(sos[r + 3]).toBe(1);
          // Both poles of a section inside the unit circle: |a2| < 1 and |a1| < 1 + a2.
          expect(Math.abs(sos[r + 5])).toBeLessThan(1);
          expect(Math.abs(sos[r + 4])).toBeLessThan(1 + sos[r + 5]);
        }
      }
    });
  }
});

describe('odd orders and order 1 (zpk2sos special cases) against SciPy 1.17 (same algorithm as 1.10)', () => {
  // Produced by scipy.signal.butter(..., fs=250, output='sos'); the golden file has only even orders.
  const cases: Array<[number, number | [number, number], FilterBand, number[][]]> = [
    [3, 30, 'lowpass', [
      [0.02863530017091789, 0.05727060034183578, 0.02863530017091789, 1.0, -0.4327386422474259, 0.0],
      [1.0, 1.0, 0.0, 1.0, -1.0861699924155113, 0.4900092425892617],
    ]],
    [3, 2, 'highpass', [
      [0.9509718879234093, -0.9509718879234093, 0.0, 1.0, -0.9509567815010681, 0.0],
      [1.0, -2.0, 1.0, 1.0, -1.9485228131107957, 0.9509869943457498],
    ]],
    [1, [8, 30], 'bandpass', [[0.22101736251137108, 0.0, -0.22101736251137108, 1.0, -1.4383013998046956, 0.5579652749772579]]],
    [5, [48, 52], 'bandstop', [
      [0.8498059442850546, -0.5258731580281836, 0.8498059442850548, 1.0, -0.5891754253440833, 0.9042035937390204],
      [1.0, -0.6188155796799032, 1.0000000000000002, 1.0, -0.5398424760390541, 0.9211267822578167],
      [1.0, -0.6188155796799032, 1.0000000000000002, 1.0, -0.6484277997965376, 0.9225724780722961],
      [1.0, -0.6188155796799032, 1.0000000000000002, 1.0, -0.518322682936436, 0.968985220097424],
      [1.0, -0.6188155796799032, 1.0000000000000002, 1.0, -0.6976637436555784, 0.9699207333066492],
    ]],
  ];
  for (const [order, cutoff, band, expected] of cases) {
    it(`butter(${order}, ${JSON.stringify(cutoff)}, ${band}) to 1e-12`, () => {
      const sos = butterSos(order, cutoff, band, 250);
      expect(sos.length).toBe(expected.length * 6);
      expect(worstRelative(sos, expected)).toBeLessThan(1e-12);
    });
  }
});

describe('notch', () => {
  /** The frequency between lo and hi where the gain crosses 1/√2 (bisection; gain monotonic there). */
  function halfPower(sos: Float64Array, rate: number, lo: number, hi: number): number {
    const rising = magnitude(sos, hi, rate) > magnitude(sos, lo, rate);
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (magnitude(sos, mid, rate) > Math.SQRT1_2 === rising) hi = mid;
      else lo = mid;
    }
    return (lo + hi) / 2;
  }

  it.each([
    [50, 30, 250],
    [60, 30, 250],
    [50, 10, 1000],
    [100, 35, 500],
  ])('%s Hz, q %s at %s Hz: zero gain at f0, unity at DC and Nyquist, −3 dB points f0/q apart (≈ f0 ± f0/(2q))', (f0, q, rate) => {
    const sos = notchSos(f0, q, rate);
    expect(magnitude(sos, f0, rate)).toBeLessThan(1e-12);
    expect(magnitude(sos, 0, rate)).toBeCloseTo(1, 12);
    expect(magnitude(sos, rate / 2, rate)).toBeCloseTo(1, 12);
    const bandwidth = f0 / q;
    const lower = halfPower(sos, rate, f0 - 2 * bandwidth, f0);
    const upper = halfPower(sos, rate, f0, f0 + 2 * bandwidth);
    // iirnotch's exact property: the −3 dB points are f0/q apart, and tan(π f/fs) has f0 as their geometric mean
    expect(upper - lower).toBeCloseTo(bandwidth, 9);
    const t = (f: number) => Math.tan((Math.PI * f) / rate);
    expect(t(lower) * t(upper)).toBeCloseTo(t(f0) ** 2, 12);
    // and so, nearly, at f0 ± f0/(2q)
    expect(Math.abs(lower - (f0 - bandwidth / 2))).toBeLessThan(0.02 * bandwidth);
    expect(Math.abs(upper - (f0 + bandwidth / 2))).toBeLessThan(0.02 * bandwidth);
    expect(Math.abs(magnitude(sos, f0 - bandwidth / 2, rate) - Math.SQRT1_2)).toBeLessThan(0.01);
    expect(Math.abs(magnitude(sos, f0 + bandwidth / 2, rate) - Math.SQRT1_2)).toBeLessThan(0.01);
  });
});

describe('design-time validation', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['order 0', () => butterSos(0, 10, 'lowpass', 250), /order must be an integer from 1 to 8; got 0/],
    ['order 9', () => butterSos(9, 10, 'lowpass', 250), /order must be an integer from 1 to 8; got 9/],
    ['order 2.5', () => butterSos(2.5, 10, 'lowpass', 250), /order must be an integer/],
    ['cut-off 0', () => butterSos(2, 0, 'highpass', 250), /Cut-off 0 Hz is out of range.*Nyquist frequency \(125 Hz/],
    ['negative cut-off', () => butterSos(2, -1, 'highpass', 250), /Cut-off -1 Hz is out of range/],
    ['cut-off at Nyquist', () => butterSos(2, 125, 'lowpass', 250), /Cut-off 125 Hz is out of range/],
    ['cut-off above Nyquist', () => butterSos(2, 300, 'lowpass', 250), /Cut-off 300 Hz/],
    ['NaN cut-off', () => butterSos(2, Number.NaN, 'lowpass', 250), /Cut-off NaN Hz/],
    ['band edge at Nyquist', () => butterSos(2, [1, 125], 'bandpass', 250), /Cut-off 125 Hz/],
    ['low = high', () => butterSos(2, [30, 30], 'bandpass', 250), /low 30 Hz must be below high 30 Hz/],
    ['low > high', () => butterSos(2, [40, 30], 'bandstop', 250), /low 40 Hz must be below high 30 Hz/],
    ['one edge for a band', () => butterSos(2, 30, 'bandpass', 250), /bandpass filter takes \[lowHz, highHz\]/],
    ['two edges for a low-pass', () => butterSos(2, [1, 30], 'lowpass', 250), /lowpass filter takes one cut-off/],
    ['unknown band', () => butterSos(2, 30, 'allpass' as FilterBand, 250), /Unknown filter band 'allpass'/],
    ['sample rate 0', () => butterSos(2, 30, 'lowpass', 0), /Sample rate must be a positive number/],
    ['notch at 0 Hz', () => notchSos(0, 30, 250), /Notch frequency 0 Hz is out of range/],
    ['notch at Nyquist', () => notchSos(125, 30, 250), /Notch frequency 125 Hz is out of range: it must be above 0 Hz and below the Nyquist frequency \(125 Hz at 250 Hz sampling\)\./],
    ['notch at sample rate 0', () => notchSos(50, 30, 0), /^Sample rate must be a positive number of Hz; got 0\.$/],
    ['notch at a negative sample rate', () => notchSos(50, 30, -250), /^Sample rate must be a positive number of Hz; got -250\.$/],
    ['notch at a NaN sample rate', () => notchSos(50, 30, Number.NaN), /^Sample rate must be a positive number of Hz; got NaN\.$/],
    ['notch at an infinite sample rate', () => notchSos(50, 30, Number.POSITIVE_INFINITY), /^Sample rate must be a positive number of Hz; got Infinity\.$/],
    ['notch q 0', () => notchSos(50, 0, 250), /quality factor q must be a positive number; got 0/],
  ];
  for (const [what, call, message] of cases) {
    it(`${what} is a RangeError that says why`, () => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(message);
    });
  }
});
