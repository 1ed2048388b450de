// Power spectral density by Welch's method, as scipy.signal.welch with window='hann' (periodic),
// detrend='constant', scaling='density', average='mean', one-sided, nfft = segment length.
// WelchEstimator is the preallocated form for live use; welch() is the one-shot form.

import { RealFft } from './fft.js';

export interface WelchOptions {
  /** Samples per segment (nperseg; also the FFT length). */
  segmentLength: number;
  /** Samples shared by consecutive segments (noverlap), 0 ≤ overlap < segmentLength. */
  overlap: number;
}

/** Reusable form for live use: preallocated, no allocation per call. */
export class WelchEstimator {
  /** Frequency of each output bin, 0 .. sampleRateHz/2 (floor(segmentLength/2) + 1 bins). */
  readonly frequencyHz: Float64Array;
  readonly segmentLength: number;
  readonly overlap: number;
  readonly sampleRateHz: number;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  /** 1 / (fs · Σw²): density scaling. */
  private readonly densityScale: number;
  private readonly segment: Float64Array;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;

  constructor(segmentLength: number, overlap: number, sampleRateHz: number) {
    if (!Number.isInteger(segmentLength) || segmentLength < 2) {
      throw new RangeError(`Welch segment length must be a whole number of samples, at least 2; got ${segmentLength}.`);
    }
    if (!Number.isInteger(overlap) || overlap < 0 || overlap >= segmentLength) {
      throw new RangeError(`Welch overlap must be a whole number of samples from 0 to ${segmentLength - 1}; got ${overlap}.`);
    }
    if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
      throw new RangeError(`Sample rate must be a positive number of Hz; got ${sampleRateHz}.`);
    }
    this.segmentLength = segmentLength;
    this.overlap = overlap;
    this.sampleRateHz = sampleRateHz;
    this.fft = new RealFft(segmentLength);
    const bins = this.fft.binCount;
    this.frequencyHz = new Float64Array(bins);
    for (let k = 0; k < bins; k++) this.frequencyHz[k] = k / (segmentLength / sampleRateHz);
    // Periodic Hann window (scipy.signal.get_window('hann', N), i.e. sym=False).
    this.window = new Float64Array(segmentLength);
    let sumSquares = 0;
    for (let n = 0; n < segmentLength; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / segmentLength);
      this.window[n] = w;
      sumSquares += w * w;
    }
    this.densityScale = 1 / (sampleRateHz * sumSquares);
    this.segment = new Float64Array(segmentLength);
    this.spectrumRe = new Float64Array(bins);
    this.spectrumIm = new Float64Array(bins);
  }

  /** Number of segments Welch averages over `length` samples (SciPy drops a partial tail). */
  segmentCount(length: number): number {
    if (length < this.segmentLength) return 0;
    return Math.floor((length - this.segmentLength) / (this.segmentLength - this.overlap)) + 1;
  }

  /**
   * PSD of x[offset .. offset+length) into out[0 .. frequencyHz.length), in (unit of x)²/Hz.
   * Segments start at `offset` and step by segmentLength − overlap; samples after the last whole
   * segment are not used. Returns the number of segments averaged; when `length` is shorter
   * than one segment it returns 0 and fills `out` with zeros.
   */
  compute(x: Float64Array, offset: number, length: number, out: Float64Array): number {
    const bins = this.frequencyHz.length;
    if (!(offset >= 0 && length >= 0 && offset + length <= x.length) || !Number.isInteger(offset) || !Number.isInteger(length)) {
      throw new RangeError(`Welch: range [${offset}, ${offset + length}) is outside a signal of ${x.length} samples.`);
    }
    if (out.length < bins) {
      throw new RangeError(`Welch: output needs ${bins} bins; got an array of ${out.length}.`);
    }
    out.fill(0, 0, bins);
    const count = this.segmentCount(length);
    if (count === 0) return 0;

    const n = this.segmentLength;
    const step = n - this.overlap;
    const seg = this.segment;
    const win = this.window;
    const re = this.spectrumRe;
    const im = this.spectrumIm;
    for (let s = 0; s < count; s++) {
      const start = offset + s * step;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[start + i];
      const mean = sum / n;
      for (let i = 0; i < n; i++) seg[i] = (x[start + i] - mean) * win[i];
      this.fft.forward(seg, 0, re, im);
      for (let k = 0; k < bins; k++) out[k] += re[k] * re[k] + im[k] * im[k];
    }
    // One-sided: every bin but DC (and Nyquist, for an even length) carries both signs' power.
    const lastDoubled = n % 2 === 0 ? bins - 2 : bins - 1;
    const factor = this.densityScale / count;
    for (let k = 0; k < bins; k++) out[k] *= k >= 1 && k <= lastDoubled ? 2 * factor : factor;
    return count;
  }
}

/**
 * Welch PSD of a whole signal (SciPy's welch with the defaults listed above). Throws RangeError
 * when x is shorter than one segment (SciPy would quietly shorten the segment instead).
 */
export function welch(x: Float64Array, sampleRateHz: number, options: WelchOptions): { frequencyHz: Float64Array; power: Float64Array } {
  const estimator = new WelchEstimator(options.segmentLength, options.overlap, sampleRateHz);
  if (x.length < options.segmentLength) {
    throw new RangeError(`Welch needs at least one segment of ${options.segmentLength} samples; got ${x.length}.`);
  }
  const power = new Float64Array(estimator.frequencyHz.length);
  estimator.compute(x, 0, x.length, power);
  return { frequencyHz: estimator.frequencyHz.slice(), power };
}
