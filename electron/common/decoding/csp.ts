// Common spatial patterns as MNE's `mne.decoding.CSP` (version 1.3, the Debian reference) with
// `transform_into='average_power'`, `log=True`, `norm_trace=False`, `component_order='mutual_info'`:
//  - class covariances with the mean taken as zero (MNE's `_regularized_covariance`,
//    assume_centered) and, as MNE, divided by N − 1: 'concat' (MNE's default: the class's epochs concatenated in time) or
//    'epoch' (the mean of per-epoch covariances); optional regularisation as MNE's `reg`
//    (Ledoit-Wolf, or a fixed shrinkage);
//  - two classes: the generalised eigenproblem C₀ v = λ (C₀ + C₁) v (scipy.linalg.eigh(C₀, C₀+C₁)),
//    components ordered by |λ − ½| descending, so the first n_components are the most
//    discriminative from either end of the spectrum (not necessarily as many from each end);
//  - three or more classes: MNE's port of Pham's approximate joint diagonalisation of the class
//    covariances (at most 15 sweeps, ε = 1e-6), each filter scaled to unit variance under the
//    weighted mean covariance, components ordered by MNE's mutual-information approximation.
//    Class weights are MNE 1.3's: the number of epochs with 'epoch', and — as MNE computes it —
//    the channel count (so equal weights) with 'concat'.
// Features of an epoch: log of the mean over time of each filtered signal squared (MNE's
// `transform`), computed without allocating. Filters are determined up to sign (as MNE's are).

import { accumulateScatter, generalizedSymmetricEigen, inverse, ledoitWolfShrinkage, Matrix, shrinkInPlace, shrinkageProblem, toRowMajor, type Shrinkage } from './linalg.js';

export type CspCovarianceEstimate = 'concat' | 'epoch';

export interface CspOptions {
  /** How many filters to keep (MNE's n_components; its default is 4). */
  readonly componentCount: number;
  readonly covarianceEstimate: CspCovarianceEstimate;
  /** MNE's `reg`: none (its default), Ledoit-Wolf, or a fixed shrinkage in [0, 1]. */
  readonly regularization: Shrinkage;
}

export const CSP_DEFAULTS: CspOptions = { componentCount: 4, covarianceEstimate: 'concat', regularization: 'none' };

export interface CspEpochs {
  readonly channelCount: number;
  readonly rowCount: number;
  readonly epochs: readonly Float64Array[];
  /** Class index of each epoch, 0 … classCount−1. */
  readonly labels: Int32Array;
  readonly classCount: number;
}

export interface CspFit {
  /** All channelCount filters in MNE's order, row-major (row k = filter k; MNE's `filters_`). */
  readonly allFilters: Float64Array;
  /** The first componentCount rows of allFilters, row-major componentCount × channelCount. */
  readonly filters: Float64Array;
  /** Spatial patterns (MNE's `patterns_` = the inverse of the filter matrix), row-major, row k = pattern k. */
  readonly patterns: Float64Array;
  /** Two classes: the generalised eigenvalues in the components' order; more classes: the mutual information of each. */
  readonly scores: Float64Array;
  readonly classCovariances: readonly Matrix[];
}

/** Sentences for options that MNE would refuse or that cannot work here; [] when they are fine. */
export function cspOptionProblems(options: CspOptions, channelCount: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(options.componentCount) || options.componentCount < 1) problems.push(`the CSP component count must be a positive whole number (got ${String(options.componentCount)})`);
  else if (options.componentCount > channelCount) problems.push(`the CSP component count (${options.componentCount}) cannot exceed the channel count (${channelCount})`);
  if (options.covarianceEstimate !== 'concat' && options.covarianceEstimate !== 'epoch') problems.push(`the CSP covariance estimate must be 'concat' or 'epoch' (got ${JSON.stringify(options.covarianceEstimate)})`);
  const reg = shrinkageProblem(options.regularization);
  if (reg) problems.push(`CSP regularisation: ${reg}`);
  return problems;
}

/** Fits CSP filters to labelled epochs. Every class needs at least one epoch. */
export function fitCsp(data: CspEpochs, options: CspOptions = CSP_DEFAULTS): CspFit {
  const { channelCount: n, rowCount, epochs, labels, classCount } = data;
  const problems = cspOptionProblems(options, n);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  if (classCount < 2) throw new RangeError('CSP needs at least two classes');
  if (labels.length !== epochs.length) throw new RangeError(`CSP: ${labels.length} labels for ${epochs.length} epochs`);
  const counts = new Int32Array(classCount);
  epochs.forEach((e, i) => {
    if (e.length !== n * rowCount) throw new RangeError(`CSP: epoch ${i} holds ${e.length} values, ${n} channels × ${rowCount} rows = ${n * rowCount} expected`);
    for (let k = 0; k < e.length; k++) if (!Number.isFinite(e[k])) throw new RangeError(`CSP: epoch ${i} has a sample that is not a finite number (NaN or infinite)`);
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classCount) throw new RangeError(`CSP: label ${y} of epoch ${i} is not a class index 0..${classCount - 1}`);
    counts[y]++;
  });
  for (let k = 0; k < classCount; k++) if (counts[k] === 0) throw new RangeError(`CSP: class ${k} has no epochs: every class needs training epochs`);

  const covs: Matrix[] = [];
  for (let k = 0; k < classCount; k++) covs.push(classCovariance(data, k, options));
  const weights = Array.from(counts, (c) => (options.covarianceEstimate === 'concat' ? n : c));

  let vectors: Matrix; // columns are the unordered filters
  let order: number[];
  let scores: number[];
  if (classCount === 2) {
    const sum = covs[0].clone().add(covs[1]);
    let decomposition: ReturnType<typeof generalizedSymmetricEigen>;
    try {
      decomposition = generalizedSymmetricEigen(covs[0], sum);
    } catch (error) {
      if (!(error instanceof RangeError) || !/not positive definite/.test(error.message)) throw error;
      throw singular(options);
    }
    const { values, vectors: v } = decomposition;
    vectors = v;
    scores = Array.from(values);
    order = descendingOrder(scores.map((l) => Math.abs(l - 0.5)));
  } else {
    for (const c of covs) for (let i = 0; i < n; i++) if (!(c.get(i, i) > 0)) throw singular(options);
    vectors = ajdPham(covs).transpose();
    normaliseColumns(vectors, covs, weights);
    scores = mutualInformation(vectors, covs, weights);
    order = descendingOrder(scores);
  }
  const allFilters = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) allFilters[r * n + c] = vectors.get(c, order[r]);
  const ordered = new Matrix(n, n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) ordered.set(c, r, allFilters[r * n + c]);
  return {
    allFilters,
    filters: allFilters.slice(0, options.componentCount * n),
    patterns: toRowMajor(inverse(ordered, true)),
    scores: Float64Array.from(order, (k) => scores[k]),
    classCovariances: covs,
  };
}

function singular(options: CspOptions): RangeError {
  return new RangeError(
    options.regularization === 'none'
      ? 'CSP: the class covariances are singular (the channels are linearly dependent, e.g. after a common average reference, or a channel is flat): use CSP regularisation (Ledoit-Wolf or a fixed shrinkage) or drop a channel'
      : 'CSP: the class covariances are singular even with regularisation: check for flat channels',
  );
}

/** Indices sorting `keys` from largest to smallest (ties keep index order). */
function descendingOrder(keys: readonly number[]): number[] {
  return keys.map((_, k) => k).sort((a, b) => keys[b] - keys[a] || a - b);
}

/** One class's covariance as MNE's `_concat_cov` / `_epoch_cov` (mean taken as zero). */
function classCovariance(data: CspEpochs, k: number, options: CspOptions): Matrix {
  const { channelCount: n, rowCount } = data;
  const cov = new Float64Array(n * n);
  const one = new Float64Array(n * n);
  let fourth = 0;
  let epochCount = 0;
  data.epochs.forEach((epoch, i) => {
    if (data.labels[i] !== k) return;
    epochCount++;
    if (options.covarianceEstimate === 'concat') {
      fourth += accumulateScatter(epoch, 0, n, rowCount, null, cov);
      return;
    }
    one.fill(0);
    const f = accumulateScatter(epoch, 0, n, rowCount, null, one);
    finish(one, n, rowCount, f, options.regularization);
    for (let q = 0; q < n * n; q++) cov[q] += one[q];
  });
  if (options.covarianceEstimate === 'concat') {
    finish(cov, n, epochCount * rowCount, fourth, options.regularization);
  } else {
    for (let q = 0; q < n * n; q++) cov[q] /= epochCount;
  }
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, cov[i * n + j]);
  return m;
}

/**
 * Scatter → covariance as MNE's `_compute_covariance_auto`: divided by the sample count N, shrunk
 * (Ledoit-Wolf's estimate needs that biased covariance), then multiplied by N / (N − 1) — MNE
 * "undoes the bias" even though the mean is taken as zero. With unequal class sizes this factor
 * changes the CSP filters slightly, so it is kept.
 */
function finish(cov: Float64Array, n: number, samples: number, fourth: number, reg: Shrinkage): void {
  for (let q = 0; q < n * n; q++) cov[q] /= samples;
  if (reg !== 'none') shrinkInPlace(cov, n, reg === 'ledoit-wolf' ? ledoitWolfShrinkage(cov, n, samples, fourth) : reg);
  const unbias = samples / (samples - 1);
  for (let q = 0; q < n * n; q++) cov[q] *= unbias;
}

/**
 * Pham's approximate joint diagonalisation, as MNE's `_ajd_pham` (real matrices): returns V such
 * that V Cₖ Vᵀ are as diagonal as possible. At most 15 sweeps; stops when the decrease is below
 * n(n−1)·1e-6.
 */
export function ajdPham(matrices: readonly Matrix[], eps = 1e-6, maxIterations = 15): Matrix {
  const K = matrices.length;
  const n = matrices[0].rows;
  // a[k] is matrix k, row-major, transformed in place
  const a = matrices.map((m) => toRowMajor(m));
  const v = Matrix.eye(n, n);
  const epsilon = n * (n - 1) * eps;
  for (let it = 0; it < maxIterations; it++) {
    let decrease = 0;
    for (let ii = 1; ii < n; ii++) {
      for (let jj = 0; jj < ii; jj++) {
        let g12 = 0, g21 = 0, omega21 = 0, omega12 = 0;
        for (let k = 0; k < K; k++) {
          const c1 = a[k][ii * n + ii];
          const c2 = a[k][jj * n + jj];
          const off = a[k][ii * n + jj];
          g12 += off / c1;
          g21 += off / c2;
          omega21 += c1 / c2;
          omega12 += c2 / c1;
        }
        g12 /= K;
        g21 /= K;
        omega21 /= K;
        omega12 /= K;
        const omega = Math.sqrt(omega12 * omega21);
        let tmp = Math.sqrt(omega21 / omega12);
        const tmp1 = (tmp * g12 + g21) / (omega + 1);
        const tmp2 = (tmp * g12 - g21) / Math.max(omega - 1, 1e-9);
        const h12 = tmp1 + tmp2;
        const h21 = (tmp1 - tmp2) / tmp;
        decrease += (K * (g12 * h12 + g21 * h21)) / 2;
        // real part of 1 + sqrt(1 − h12·h21) (MNE computes it in complex arithmetic)
        tmp = 1 + Math.sqrt(Math.max(0, 1 - h12 * h21));
        const t12 = -h12 / tmp;
        const t21 = -h21 / tmp;
        // A_k ← T A_k Tᵀ on rows and columns ii, jj, with T = [[1, t12], [t21, 1]]
        for (let k = 0; k < K; k++) {
          const m = a[k];
          for (let c = 0; c < n; c++) {
            const ri = m[ii * n + c];
            const rj = m[jj * n + c];
            m[ii * n + c] = ri + t12 * rj;
            m[jj * n + c] = t21 * ri + rj;
          }
          for (let r = 0; r < n; r++) {
            const ci = m[r * n + ii];
            const cj = m[r * n + jj];
            m[r * n + ii] = ci + t12 * cj;
            m[r * n + jj] = t21 * ci + cj;
          }
        }
        for (let c = 0; c < n; c++) {
          const ri = v.get(ii, c);
          const rj = v.get(jj, c);
          v.set(ii, c, ri + t12 * rj);
          v.set(jj, c, t21 * ri + rj);
        }
      }
    }
    if (decrease < epsilon) break;
  }
  return v;
}

function quadratic(v: Matrix, column: number, c: Matrix): number {
  const n = c.rows;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += c.get(i, j) * v.get(j, column);
    s += v.get(i, column) * row;
  }
  return s;
}

/** MNE's `_normalize_eigenvectors`: each column scaled to unit variance under the weighted mean covariance. */
function normaliseColumns(vectors: Matrix, covs: readonly Matrix[], weights: readonly number[]): void {
  const total = weights.reduce((s, w) => s + w, 0);
  const mean = new Matrix(vectors.rows, vectors.rows);
  covs.forEach((c, k) => mean.add(c.clone().mul(weights[k] / total)));
  for (let col = 0; col < vectors.columns; col++) {
    const scale = Math.sqrt(quadratic(vectors, col, mean));
    for (let r = 0; r < vectors.rows; r++) vectors.set(r, col, vectors.get(r, col) / scale);
  }
}

/** MNE's `_compute_mutual_info`: −(Σ pₖ log √(vᵀCₖv) + 3/16 (Σ pₖ ((vᵀCₖv)² − 1))²) per column. */
function mutualInformation(vectors: Matrix, covs: readonly Matrix[], weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const out: number[] = [];
  for (let col = 0; col < vectors.columns; col++) {
    let aa = 0;
    let bb = 0;
    covs.forEach((c, k) => {
      const p = weights[k] / total;
      const t = quadratic(vectors, col, c);
      aa += p * Math.log(Math.sqrt(t));
      bb += p * (t * t - 1);
    });
    out.push(-(aa + (3 / 16) * bb * bb));
  }
  return out;
}

/** The smallest power a log-power feature takes (CSP here, band power in features.ts): a flat window stays finite. */
export const POWER_FLOOR = 1e-30;

/**
 * Log-power features of one planar epoch: out[offset + k] = log(mean_t (filter_k · x_t)²) for the
 * `componentCount` filters (row-major componentCount × channelCount). `scratch` holds rowCount
 * values (the filtered signal, built channel by channel over contiguous rows). Allocates nothing.
 */
export function cspFeaturesInto(filters: Float64Array, componentCount: number, channelCount: number, epoch: Float64Array, rowCount: number, out: Float64Array, offset: number, scratch: Float64Array): void {
  for (let k = 0; k < componentCount; k++) {
    const f = k * channelCount;
    scratch.fill(0, 0, rowCount);
    for (let c = 0; c < channelCount; c++) {
      const w = filters[f + c];
      const b = c * rowCount;
      for (let t = 0; t < rowCount; t++) scratch[t] += w * epoch[b + t];
    }
    let power = 0;
    for (let t = 0; t < rowCount; t++) power += scratch[t] * scratch[t];
    // floored as band power is: a flat window gives a finite feature, never −∞ (and a certain class)
    out[offset + k] = Math.log(Math.max(power / rowCount, POWER_FLOOR));
  }
}
