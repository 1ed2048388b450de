// Loads SciPy's golden answers (/work/shared/golden/dsp.json, outside the repo) for the DSP tests,
// and the comparison helpers they share.
import { readFileSync } from 'node:fs';

export interface GoldenFilter {
  name: string;
  kind: 'butter' | 'iirnotch';
  fs: number;
  params: { btype?: 'lowpass' | 'highpass' | 'bandpass' | 'bandstop'; order?: number; cutoffHz?: number; lowHz?: number; highHz?: number; f0Hz?: number; q?: number };
  sos: number[][];
  input: number[];
  sosfilt: number[];
  sosfilt_steady: number[];
  sosfiltfilt: number[];
}

export interface GoldenSpectrum {
  name: string;
  fs: number;
  params: { window: string; nperseg: number; noverlap: number; detrend: string; scaling: string; average: string };
  input: number[];
  f: number[];
  pxx: number[];
}

export interface Golden {
  generator: string;
  note: string;
  filters: GoldenFilter[];
  spectra: GoldenSpectrum[];
}

let cached: Golden | undefined;

export function loadGolden(): Golden {
  cached ??= JSON.parse(readFileSync(new URL('../../../shared/golden/dsp.json', import.meta.url), 'utf8')) as Golden;
  return cached;
}

/** Largest |a − b| over the arrays, divided by `scale`. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, scale: number): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / scale;
}

/** Largest |x| in an array (the signal's scale). */
export function peak(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
