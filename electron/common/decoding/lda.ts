// Linear discriminant analysis as scikit-learn's `LinearDiscriminantAnalysis` (version 1.2, the
// Debian reference): solver 'svd' (the default: no covariance matrix is formed; within-class
// scaling, then the SVD of the scaled class centres) or 'lsqr' (the pooled class covariance,
// optionally shrunk: 'auto' is Ledoit-Wolf on standardised features, a number is a fixed
// shrinkage), priors from the class frequencies. The result is a LinearModel (linear.ts) whose
// probabilities are scikit-learn's predict_proba: logistic of the decision for two classes,
// softmax of the decisions for more. Owns fitting only; prediction is linear.ts.

import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { sampleCovariance, shrinkInPlace, toRowMajor, fromRowMajor } from './linalg.js';
import type { LinearModel } from './linear.js';

export type LdaSolver = 'svd' | 'lsqr';
/** scikit-learn's `shrinkage`: none, 'auto' (Ledoit-Wolf), or a fixed value in [0, 1]. Only with 'lsqr'. */
export type LdaShrinkage = 'none' | 'auto' | number;

export interface LdaOptions {
  readonly solver: LdaSolver;
  readonly shrinkage: LdaShrinkage;
  /** Singular values at or below this are dropped (scikit-learn's `tol`, 1e-4). */
  readonly tol?: number;
}

export const LDA_DEFAULTS: LdaOptions = { solver: 'svd', shrinkage: 'none', tol: 1e-4 };

/**
 * Fits LDA to `features` (row-major sampleCount × featureCount) with `labels` in 0 … classCount−1.
 * Every class must have a sample; there must be more samples than classes.
 */
export function fitLda(features: Float64Array, sampleCount: number, featureCount: number, labels: Int32Array, classCount: number, options: LdaOptions = LDA_DEFAULTS): LinearModel {
  const n = sampleCount;
  const p = featureCount;
  if (features.length !== n * p) throw new RangeError(`LDA: ${features.length} values are not ${n} samples × ${p} features`);
  if (labels.length !== n) throw new RangeError(`LDA: ${labels.length} labels for ${n} samples`);
  if (classCount < 2) throw new RangeError('LDA needs at least two classes');
  if (n <= classCount) throw new RangeError(`LDA needs more samples than classes (got ${n} samples for ${classCount} classes)`);
  if (options.solver === 'svd' && options.shrinkage !== 'none') {
    throw new RangeError("LDA: shrinkage is not supported by the 'svd' solver (as in scikit-learn): use the 'lsqr' solver");
  }
  for (let i = 0; i < n * p; i++) if (!Number.isFinite(features[i])) throw new RangeError('LDA: a feature is not a finite number (NaN or infinite): check the epochs');
  const counts = new Float64Array(classCount);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classCount) throw new RangeError(`LDA: label ${y} of sample ${i} is not a class index 0..${classCount - 1}`);
    counts[y]++;
  }
  for (let k = 0; k < classCount; k++) if (counts[k] === 0) throw new RangeError(`LDA: class ${k} has no samples: every class needs training samples`);
  const priors = counts.map((c) => c / n);
  const means = new Float64Array(classCount * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[labels[i] * p + j] += features[i * p + j];
  for (let k = 0; k < classCount; k++) for (let j = 0; j < p; j++) means[k * p + j] /= counts[k];

  const full = options.solver === 'svd' ? solveSvd(features, n, p, labels, classCount, priors, means, options.tol ?? 1e-4) : solveLsqr(features, n, p, labels, classCount, priors, means, options.shrinkage);
  if (classCount !== 2) return { classCount, featureCount: p, coef: full.coef, intercept: full.intercept };
  // two classes: the second class's row minus the first's
  const coef = new Float64Array(p);
  for (let j = 0; j < p; j++) coef[j] = full.coef[p + j] - full.coef[j];
  return { classCount, featureCount: p, coef, intercept: Float64Array.of(full.intercept[1] - full.intercept[0]) };
}

interface FullModel {
  coef: Float64Array;
  intercept: Float64Array;
}

/** scikit-learn's `_solve_svd`, step by step. */
function solveSvd(x: Float64Array, n: number, p: number, labels: Int32Array, classCount: number, priors: Float64Array, means: Float64Array, tol: number): FullModel {
  // within-class centred data and its per-feature standard deviation
  const xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xc[i * p + j] = x[i * p + j] - means[labels[i] * p + j];
  const std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += xc[i * p + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (xc[i * p + j] - m) ** 2;
    std[j] = Math.sqrt(v / n) || 1;
  }
  const fac = Math.sqrt(1 / (n - classCount));
  const scaled = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scaled.set(i, j, (fac * xc[i * p + j]) / std[j]);
  const svd1 = new SingularValueDecomposition(scaled, { autoTranspose: true, computeLeftSingularVectors: false });
  const s1 = svd1.diagonal;
  const v1 = svd1.rightSingularVectors;
  let rank = 0;
  while (rank < s1.length && s1[rank] > tol) rank++;
  if (rank === 0) throw new RangeError('LDA: the features do not vary within the classes: nothing to discriminate');
  // scalings: p × rank, (Vt[:rank] / std).T / S[:rank]
  const scalings = new Matrix(p, rank);
  for (let j = 0; j < p; j++) for (let r = 0; r < rank; r++) scalings.set(j, r, v1.get(j, r) / std[j] / s1[r]);
  // between-class scaling
  const xbar = new Float64Array(p);
  for (let k = 0; k < classCount; k++) for (let j = 0; j < p; j++) xbar[j] += priors[k] * means[k * p + j];
  const fac2 = 1 / (classCount - 1);
  const centres = new Matrix(classCount, p);
  for (let k = 0; k < classCount; k++) {
    const w = Math.sqrt(n * priors[k] * fac2);
    for (let j = 0; j < p; j++) centres.set(k, j, w * (means[k * p + j] - xbar[j]));
  }
  const svd2 = new SingularValueDecomposition(centres.mmul(scalings), { autoTranspose: true, computeLeftSingularVectors: false });
  const s2 = svd2.diagonal;
  const v2 = svd2.rightSingularVectors;
  let rank2 = 0;
  while (rank2 < s2.length && s2[rank2] > tol * s2[0]) rank2++;
  const finalScalings = scalings.mmul(v2.subMatrix(0, v2.rows - 1, 0, rank2 - 1)); // p × rank2
  const centred = new Matrix(classCount, p);
  for (let k = 0; k < classCount; k++) for (let j = 0; j < p; j++) centred.set(k, j, means[k * p + j] - xbar[j]);
  const projected = centred.mmul(finalScalings); // classCount × rank2
  const intercept = new Float64Array(classCount);
  for (let k = 0; k < classCount; k++) {
    let s = 0;
    for (let r = 0; r < rank2; r++) s += projected.get(k, r) ** 2;
    intercept[k] = -0.5 * s + Math.log(priors[k]);
  }
  const coef = projected.mmul(finalScalings.transpose()); // classCount × p
  for (let k = 0; k < classCount; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += xbar[j] * coef.get(k, j);
    intercept[k] -= s;
  }
  return { coef: toRowMajor(coef), intercept };
}

/** scikit-learn's `_solve_lstsq`: the prior-weighted class covariances, then Σ⁻¹ μ_k. */
function solveLsqr(x: Float64Array, n: number, p: number, labels: Int32Array, classCount: number, priors: Float64Array, means: Float64Array, shrinkage: LdaShrinkage): FullModel {
  const pooled = new Float64Array(p * p);
  for (let k = 0; k < classCount; k++) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === k) rows.push(i);
    const xk = new Float64Array(rows.length * p);
    rows.forEach((i, r) => xk.set(x.subarray(i * p, (i + 1) * p), r * p));
    const cov = classCovariance(xk, rows.length, p, shrinkage);
    for (let q = 0; q < p * p; q++) pooled[q] += priors[k] * cov[q];
  }
  const meansT = fromRowMajor(means, classCount, p).transpose();
  // scipy.linalg.lstsq is a minimum-norm least-squares solve; ml-matrix's SVD solve is the same for a full-rank Σ
  const coef = solve(fromRowMajor(pooled, p, p), meansT, true).transpose(); // classCount × p
  const intercept = new Float64Array(classCount);
  for (let k = 0; k < classCount; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += means[k * p + j] * coef.get(k, j);
    intercept[k] = -0.5 * s + Math.log(priors[k]);
  }
  return { coef: toRowMajor(coef), intercept };
}

/** scikit-learn's `_cov`: empirical, Ledoit-Wolf on standardised features ('auto'), or fixed shrinkage. */
function classCovariance(xk: Float64Array, n: number, p: number, shrinkage: LdaShrinkage): Float64Array {
  if (shrinkage !== 'auto') {
    const s = toRowMajor(sampleCovariance(xk, n, p, { centre: true, shrinkage: 'none' }));
    if (typeof shrinkage === 'number') shrinkInPlace(s, p, shrinkage);
    return s;
  }
  // StandardScaler: centre and divide by the (biased) standard deviation, 1 where it is 0
  const scale = new Float64Array(p);
  const standardised = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += xk[i * p + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (xk[i * p + j] - m) ** 2;
    scale[j] = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) standardised[i * p + j] = (xk[i * p + j] - m) / scale[j];
  }
  const s = toRowMajor(sampleCovariance(standardised, n, p, { centre: true, shrinkage: 'ledoit-wolf' }));
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s[i * p + j] *= scale[i] * scale[j];
  return s;
}
