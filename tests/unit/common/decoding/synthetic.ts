// Seeded synthetic epochs for the decoder unit tests: independent Gaussian sources mixed into the
// channels by a fixed random matrix; in class k, source k has `gain` times the standard deviation
// of the others (the structure CSP and tangent-space decoders look for).

import { Random } from '../../../../electron/common/random.js';
import type { EpochSet } from '../../../../electron/common/decoding/decoder.js';

export interface SyntheticOptions {
  channelCount: number;
  rowCount: number;
  epochsPerClass: number;
  classCount: number;
  gain?: number;
  seed?: number;
}

export function syntheticEpochs(o: SyntheticOptions): EpochSet & { mixing: Float64Array } {
  const { channelCount: n, rowCount, epochsPerClass, classCount } = o;
  const gain = o.gain ?? 3;
  const random = new Random(o.seed ?? 1);
  const mixing = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) mixing[i] = random.nextGaussian();
  const epochs: Float64Array[] = [];
  const labels: number[] = [];
  const source = new Float64Array(n * rowCount);
  for (let e = 0; e < epochsPerClass; e++) {
    for (let k = 0; k < classCount; k++) {
      for (let s = 0; s < n; s++) {
        const sd = s === k ? gain : 1;
        for (let t = 0; t < rowCount; t++) source[s * rowCount + t] = sd * random.nextGaussian();
      }
      const epoch = new Float64Array(n * rowCount);
      for (let c = 0; c < n; c++) {
        for (let s = 0; s < n; s++) {
          const a = mixing[c * n + s];
          for (let t = 0; t < rowCount; t++) epoch[c * rowCount + t] += a * source[s * rowCount + t];
        }
      }
      epochs.push(epoch);
      labels.push(k);
    }
  }
  const classes = Array.from({ length: classCount }, (_, k) => ['left', 'right', 'feet', 'tongue'][k] ?? `class${k}`);
  return { channelCount: n, rowCount, sampleRateHz: 250, epochs, labels: Int32Array.from(labels), classes, mixing };
}

/** A seeded random symmetric positive definite n×n matrix (row-major): G Gᵀ / m + εI. */
export function randomSpd(n: number, random: Random, m = 2 * n, epsilon = 0.1): Float64Array {
  const g = new Float64Array(n * m);
  for (let i = 0; i < g.length; i++) g[i] = random.nextGaussian();
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += g[i * m + k] * g[j * m + k];
      out[i * n + j] = out[j * n + i] = s / m + (i === j ? epsilon : 0);
    }
  }
  return out;
}
