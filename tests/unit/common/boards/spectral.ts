// Throwaway spectral helpers for the synthetic-board tests only: a radix-2 FFT, a Welch PSD and
// band powers. Deliberately independent of electron/common/dsp (tested against SciPy elsewhere).

/** In-place iterative radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0) throw new Error(`fft: length ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** One channel out of interleaved rows. */
export function column(data: Float64Array, channelCount: number, channel: number, start = 0, end?: number): Float64Array {
  const rows = data.length / channelCount;
  const last = end ?? rows;
  const outColumn = new Float64Array(last - start);
  for (let r = start; r < last; r++) outColumn[r - start] = data[r * channelCount + channel];
  return outColumn;
}

export interface Psd {
  readonly freqHz: Float64Array;
  /** One-sided power spectral density, µV²/Hz. */
  readonly power: Float64Array;
}

/** Welch PSD: Hann segments of `segment` samples (power of two), 50% overlap, mean removed per segment. */
export function welch(x: Float64Array, sampleRateHz: number, segment: number): Psd {
  const window = new Float64Array(segment);
  let windowPower = 0;
  for (let i = 0; i < segment; i++) {
    window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / segment);
    windowPower += window[i] * window[i];
  }
  const bins = segment / 2 + 1;
  const power = new Float64Array(bins);
  const re = new Float64Array(segment);
  const im = new Float64Array(segment);
  let count = 0;
  for (let start = 0; start + segment <= x.length; start += segment / 2) {
    let mean = 0;
    for (let i = 0; i < segment; i++) mean += x[start + i];
    mean /= segment;
    for (let i = 0; i < segment; i++) {
      re[i] = (x[start + i] - mean) * window[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) {
      const scale = k === 0 || k === segment / 2 ? 1 : 2;
      power[k] += (scale * (re[k] * re[k] + im[k] * im[k])) / (sampleRateHz * windowPower);
    }
    count++;
  }
  if (count === 0) throw new Error('welch: signal shorter than one segment');
  for (let k = 0; k < bins; k++) power[k] /= count;
  const freqHz = new Float64Array(bins);
  for (let k = 0; k < bins; k++) freqHz[k] = (k * sampleRateHz) / segment;
  return { freqHz, power };
}

/** Mean PSD over [lowHz, highHz]. */
export function meanPsd(psd: Psd, lowHz: number, highHz: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < psd.freqHz.length; k++) {
    if (psd.freqHz[k] >= lowHz && psd.freqHz[k] <= highHz) {
      sum += psd.power[k];
      n++;
    }
  }
  return sum / n;
}

/** PSD value at the bin nearest to freqHz. */
export function psdAt(psd: Psd, freqHz: number): number {
  const df = psd.freqHz[1];
  return psd.power[Math.round(freqHz / df)];
}

/**
 * Zero-phase brick-wall band-pass through one FFT of the whole signal (zero-padded to a power of
 * two, mean removed): keeps bins in [lowHz, highHz].
 */
export function bandPass(x: Float64Array, sampleRateHz: number, lowHz: number, highHz: number): Float64Array {
  let n = 1;
  while (n < x.length) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  for (let i = 0; i < x.length; i++) re[i] = x[i] - mean;
  fft(re, im);
  for (let k = 0; k < n; k++) {
    const f = (Math.min(k, n - k) * sampleRateHz) / n;
    if (f < lowHz || f > highHz) {
      re[k] = 0;
      im[k] = 0;
    }
  }
  // Inverse FFT through the forward one: conj, fft, conj, scale.
  for (let k = 0; k < n; k++) im[k] = -im[k];
  fft(re, im);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = re[i] / n;
  return y;
}

/** Power (mean square) of x[start, end) after removing its mean. */
export function variance(x: Float64Array, start = 0, end = x.length): number {
  let mean = 0;
  for (let i = start; i < end; i++) mean += x[i];
  mean /= end - start;
  let sum = 0;
  for (let i = start; i < end; i++) sum += (x[i] - mean) * (x[i] - mean);
  return sum / (end - start);
}

/** A robust standard deviation: 1.4826 × the median absolute deviation from the median. */
export function robustSigma(x: Float64Array): number {
  const sorted = Float64Array.from(x).sort();
  const median = sorted[sorted.length >> 1];
  const deviations = Float64Array.from(x, (v) => Math.abs(v - median)).sort();
  return 1.4826 * deviations[deviations.length >> 1];
}
