// Dense linear algebra for the decoders: a thin, documented layer over ml-matrix (the kept
// library: symmetric eigendecomposition, SVD, QR, LU inverses). This module owns
//  - covariance of planar epochs (channel-major, as EpochSet holds them), empirical or shrunk:
//    Ledoit-Wolf exactly as scikit-learn's `ledoit_wolf`, or a fixed shrinkage as its
//    `shrunk_covariance`;
//  - the symmetric eigendecomposition (eigenvalues ascending, as scipy.linalg.eigh), the
//    generalised symmetric-definite problem A v = λ B v (by whitening with B^-1/2, eigenvectors
//    B-normalised: vᵀ B v = 1, as scipy.linalg.eigh(A, B)), inverses, and functions of symmetric
//    matrices through their eigendecomposition (logm, expm, sqrtm, invsqrtm);
//  - cosines of the principal angles between two subspaces;
//  - allocation-free square products for per-window and per-iteration work: congruences P·C·P
//    and F·X·Fᵀ with a lower-triangular F, and the Cholesky factor with its inverse;
//  - SymmetricEigenWorkspace: the same eigendecomposition without allocating, for the online path.
//
// Fitting code uses ml-matrix `Matrix` values; the online path (Decoder.predictProba) uses flat
// row-major Float64Arrays and preallocated workspaces, because every ml-matrix call allocates.

import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition, inverse as mlInverse } from 'ml-matrix';
import { mirrorUpper, rowProductsInto, Triangular } from './row-products.js';

export { Matrix };

// ---------------------------------------------------------------------------------------------
// Conversions

/** A Matrix from row-major values. */
export function fromRowMajor(values: ArrayLike<number>, rows: number, columns: number): Matrix {
  if (values.length !== rows * columns) throw new RangeError(`fromRowMajor: ${values.length} values cannot fill ${rows}×${columns}`);
  const m = new Matrix(rows, columns);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) m.set(i, j, values[i * columns + j]);
  return m;
}

/** The matrix's values, row-major. */
export function toRowMajor(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return out;
}

/** (A + Aᵀ) / 2: removes the rounding asymmetry of products like Bᵀ A B before a symmetric solver. */
export function symmetrize(a: Matrix): Matrix {
  assertSquare(a, 'symmetrize');
  const n = a.rows;
  const s = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    s.set(i, i, a.get(i, i));
    for (let j = 0; j < i; j++) {
      const v = (a.get(i, j) + a.get(j, i)) / 2;
      s.set(i, j, v);
      s.set(j, i, v);
    }
  }
  return s;
}

function assertSquare(a: Matrix, what: string): void {
  if (a.rows !== a.columns || a.rows === 0) throw new RangeError(`${what}: needs a non-empty square matrix (got ${a.rows}×${a.columns})`);
}

// ---------------------------------------------------------------------------------------------
// Covariance

/** How a covariance is regularised: not at all, Ledoit-Wolf's automatic shrinkage, or a fixed amount in [0, 1]. */
export type Shrinkage = 'none' | 'ledoit-wolf' | number;

export interface CovarianceOptions {
  /**
   * Subtract each channel's mean first (scikit-learn's `empirical_covariance` / `ledoit_wolf`,
   * pyRiemann's 'scm' / 'lwf'), or take the mean as zero (MNE's CSP, `assume_centered=True`).
   */
  readonly centre: boolean;
  readonly shrinkage: Shrinkage;
}

/** Checks a shrinkage value; returns a sentence for a bad one, or null. */
export function shrinkageProblem(shrinkage: unknown): string | null {
  if (shrinkage === 'none' || shrinkage === 'ledoit-wolf') return null;
  if (typeof shrinkage === 'number' && Number.isFinite(shrinkage) && shrinkage >= 0 && shrinkage <= 1) return null;
  return `shrinkage must be 'none', 'ledoit-wolf' or a number from 0 to 1 (got ${JSON.stringify(shrinkage)})`;
}

/**
 * Accumulates the scatter Σ_t x_t x_tᵀ of planar data (channel c at `data[offset + c·rowCount + t]`)
 * into `scatter` (row-major channelCount²; both triangles), with each channel's value in `means`
 * subtracted when `means` is given. Returns Σ_t (Σ_c x_ct²)², which Ledoit-Wolf needs. Allocates nothing.
 */
export function accumulateScatter(data: Float64Array, offset: number, channelCount: number, rowCount: number, means: Float64Array | null, scatter: Float64Array): number {
  const n = channelCount;
  if (!means) {
    // the upper triangle by blocked dot products, then mirrored (the scatter stays exactly symmetric)
    rowProductsInto(data, offset, data, offset, n, rowCount, scatter, true, true);
    mirrorUpper(scatter, n);
  }
  for (let i = 0; means && i < n; i++) {
    const bi = offset + i * rowCount;
    const mi = means[i];
    for (let j = 0; j <= i; j++) {
      const bj = offset + j * rowCount;
      const mj = means[j];
      let s = 0;
      for (let t = 0; t < rowCount; t++) s += (data[bi + t] - mi) * (data[bj + t] - mj);
      scatter[i * n + j] += s;
      if (j !== i) scatter[j * n + i] += s;
    }
  }
  let fourth = 0;
  for (let t = 0; t < rowCount; t++) {
    let norm2 = 0;
    for (let c = 0; c < n; c++) {
      const x = data[offset + c * rowCount + t] - (means ? means[c] : 0);
      norm2 += x * x;
    }
    fourth += norm2 * norm2;
  }
  return fourth;
}

/**
 * Ledoit-Wolf shrinkage from the empirical covariance S (row-major p×p) of `sampleCount` samples
 * and Σ_t ‖x_t‖⁴ (`fourthMoment`): scikit-learn's `ledoit_wolf_shrinkage` term by term
 * (μ = tr S / p; δ = ‖S − μI‖²_F / p; β = min(δ, (Σ‖x‖⁴/n − ‖S‖²_F) / (p n)); shrinkage β/δ).
 */
export function ledoitWolfShrinkage(covariance: Float64Array, p: number, sampleCount: number, fourthMoment: number): number {
  if (p === 1) return 0;
  let trace = 0;
  let frobenius2 = 0;
  for (let i = 0; i < p; i++) trace += covariance[i * p + i];
  for (let k = 0; k < p * p; k++) frobenius2 += covariance[k] * covariance[k];
  const mu = trace / p;
  let beta = (fourthMoment / sampleCount - frobenius2) / (p * sampleCount);
  const delta = (frobenius2 - 2 * mu * trace + p * mu * mu) / p;
  beta = Math.min(beta, delta);
  return beta === 0 ? 0 : beta / delta;
}

/** In place: S ← (1 − α) S + α (tr S / p) I, scikit-learn's `shrunk_covariance`. */
export function shrinkInPlace(covariance: Float64Array, p: number, alpha: number): void {
  if (alpha === 0) return;
  let trace = 0;
  for (let i = 0; i < p; i++) trace += covariance[i * p + i];
  const mu = trace / p;
  for (let k = 0; k < p * p; k++) covariance[k] *= 1 - alpha;
  for (let i = 0; i < p; i++) covariance[i * p + i] += alpha * mu;
}

/**
 * Covariance of one planar epoch (channel c at `data[offset + c·rowCount … + rowCount)`), divided by
 * rowCount (the biased estimate, as scikit-learn, pyRiemann and MNE take it), then shrunk.
 * Writes row-major channelCount² into `out`; `means` is scratch of channelCount; `centred`, when
 * given (channelCount·rowCount values), receives the centred data, which makes the scatter about
 * twice as fast. Returns the shrinkage applied. Allocates nothing (the online path runs it per window).
 */
export function covarianceInto(
  data: Float64Array,
  offset: number,
  channelCount: number,
  rowCount: number,
  options: CovarianceOptions,
  out: Float64Array,
  means: Float64Array,
  centred?: Float64Array,
): number {
  if (rowCount < 1) throw new RangeError('covariance: an epoch needs at least one row');
  out.fill(0, 0, channelCount * channelCount);
  let fourth: number;
  if (!options.centre) {
    fourth = accumulateScatter(data, offset, channelCount, rowCount, null, out);
  } else {
    for (let c = 0; c < channelCount; c++) {
      let s = 0;
      const b = offset + c * rowCount;
      for (let t = 0; t < rowCount; t++) s += data[b + t];
      means[c] = s / rowCount;
    }
    if (centred) {
      for (let c = 0; c < channelCount; c++) {
        const b = offset + c * rowCount;
        const m = means[c];
        for (let t = 0; t < rowCount; t++) centred[c * rowCount + t] = data[b + t] - m;
      }
      fourth = accumulateScatter(centred, 0, channelCount, rowCount, null, out);
    } else {
      fourth = accumulateScatter(data, offset, channelCount, rowCount, means, out);
    }
  }
  for (let k = 0; k < channelCount * channelCount; k++) out[k] /= rowCount;
  const alpha = options.shrinkage === 'none' ? 0 : options.shrinkage === 'ledoit-wolf' ? ledoitWolfShrinkage(out, channelCount, rowCount, fourth) : options.shrinkage;
  shrinkInPlace(out, channelCount, alpha);
  return alpha;
}

/** Covariance of one planar epoch as a Matrix (see covarianceInto). */
export function epochCovariance(epoch: Float64Array, channelCount: number, rowCount: number, options: CovarianceOptions): Matrix {
  if (epoch.length !== channelCount * rowCount) throw new RangeError(`covariance: the epoch holds ${epoch.length} values, ${channelCount} channels × ${rowCount} rows = ${channelCount * rowCount} expected`);
  const out = new Float64Array(channelCount * channelCount);
  covarianceInto(epoch, 0, channelCount, rowCount, options, out, new Float64Array(channelCount));
  return fromRowMajor(out, channelCount, channelCount);
}

/**
 * Covariance of observations held as rows of a row-major sampleCount×p table (a feature matrix),
 * as scikit-learn's `empirical_covariance` (centred, divided by n) or `ledoit_wolf`.
 */
export function sampleCovariance(samples: Float64Array, sampleCount: number, p: number, options: CovarianceOptions): Matrix {
  if (samples.length !== sampleCount * p) throw new RangeError(`covariance: ${samples.length} values are not ${sampleCount} samples × ${p} features`);
  // transpose to the planar layout covarianceInto reads
  const planar = new Float64Array(samples.length);
  for (let i = 0; i < sampleCount; i++) for (let j = 0; j < p; j++) planar[j * sampleCount + i] = samples[i * p + j];
  const out = new Float64Array(p * p);
  covarianceInto(planar, 0, p, sampleCount, options, out, new Float64Array(p));
  return fromRowMajor(out, p, p);
}

// ---------------------------------------------------------------------------------------------
// Eigendecompositions and matrix functions

export interface SymmetricEigen {
  /** Ascending. */
  readonly values: Float64Array;
  /** Column k is the unit eigenvector of values[k]. */
  readonly vectors: Matrix;
}

/** Eigendecomposition of a symmetric matrix (ml-matrix's tred2/tql2), eigenvalues ascending. */
export function symmetricEigen(a: Matrix): SymmetricEigen {
  assertSquare(a, 'symmetricEigen');
  assertFinite(a, 'symmetricEigen');
  const evd = new EigenvalueDecomposition(symmetrize(a), { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = raw.map((_, k) => k).sort((x, y) => raw[x] - raw[y]);
  if (order.every((k, i) => k === i)) return { values: Float64Array.from(raw), vectors };
  const sorted = new Matrix(a.rows, a.rows);
  for (let k = 0; k < order.length; k++) sorted.setColumn(k, vectors.getColumn(order[k]));
  return { values: Float64Array.from(order.map((k) => raw[k])), vectors: sorted };
}

function assertFinite(a: Matrix, what: string): void {
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.columns; j++) {
      if (!Number.isFinite(a.get(i, j))) throw new RangeError(`${what}: the matrix has a non-finite entry at (${i}, ${j}): check the data for NaN or infinite samples`);
    }
  }
}

/**
 * The generalised symmetric-definite eigenproblem A v = λ B v (B symmetric positive definite), as
 * scipy.linalg.eigh(A, B): eigenvalues ascending, eigenvectors (columns) normalised so vᵀ B v = 1.
 * Solved by whitening: with W = B^-1/2, eig(W A W) = U Λ Uᵀ and V = W U.
 */
export function generalizedSymmetricEigen(a: Matrix, b: Matrix): SymmetricEigen {
  assertSquare(a, 'generalizedSymmetricEigen');
  if (b.rows !== a.rows || b.columns !== a.columns) throw new RangeError(`generalizedSymmetricEigen: A is ${a.rows}×${a.columns} but B is ${b.rows}×${b.columns}`);
  const w = spdFunction(b, invSqrt, 'the right-hand matrix B of A v = λ B v');
  const { values, vectors } = symmetricEigen(w.mmul(a).mmul(w));
  return { values, vectors: w.mmul(vectors) };
}

/** The inverse of a square matrix (ml-matrix: LU, or SVD when `useSvd`); refuses a singular one. */
export function inverse(a: Matrix, useSvd = false): Matrix {
  assertSquare(a, 'inverse');
  const inv = mlInverse(a, useSvd);
  for (let i = 0; i < inv.rows; i++) for (let j = 0; j < inv.columns; j++) if (!Number.isFinite(inv.get(i, j))) throw new RangeError('inverse: the matrix is singular');
  return inv;
}

const invSqrt = (x: number): number => 1 / Math.sqrt(x);

/**
 * Whether the smallest eigenvalue of a symmetric n×n matrix is positive beyond rounding: above
 * n·ε times the largest (below that, a computed eigenvalue may be positive by rounding alone).
 */
export function isNumericallyPositive(smallest: number, largest: number, n: number): boolean {
  return smallest > 0 && smallest > n * Number.EPSILON * largest;
}

/**
 * f(A) = V diag(f(λ)) Vᵀ for a symmetric positive definite A; `what` names A in the refusal when an
 * eigenvalue is not positive ("… is not positive definite (smallest eigenvalue …): add shrinkage").
 */
export function spdFunction(a: Matrix, f: (lambda: number) => number, what = 'the matrix'): Matrix {
  const { values, vectors } = symmetricEigen(a);
  if (!isNumericallyPositive(values[0], values[values.length - 1], values.length)) {
    throw new RangeError(`${what} is not positive definite (smallest eigenvalue ${values[0].toPrecision(3)}, largest ${values[values.length - 1].toPrecision(3)}): use more samples than channels, or add shrinkage`);
  }
  return reassemble(values.map(f), vectors);
}

/** V diag(d) Vᵀ, symmetric by construction. */
function reassemble(d: Float64Array, v: Matrix): Matrix {
  const n = v.rows;
  const out = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v.get(i, k) * d[k] * v.get(j, k);
      out.set(i, j, s);
      out.set(j, i, s);
    }
  }
  return out;
}

/** Principal logarithm of an SPD matrix. */
export function logm(a: Matrix): Matrix {
  return spdFunction(a, Math.log, 'logm: the matrix');
}

/** Exponential of a symmetric matrix (any eigenvalues). */
export function expm(a: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(a);
  return reassemble(values.map(Math.exp), vectors);
}

/** Principal square root of an SPD matrix. */
export function sqrtm(a: Matrix): Matrix {
  return spdFunction(a, Math.sqrt, 'sqrtm: the matrix');
}

/** Inverse principal square root of an SPD matrix. */
export function invsqrtm(a: Matrix): Matrix {
  return spdFunction(a, invSqrt, 'invsqrtm: the matrix');
}

/**
 * Cosines of the principal angles between the column spaces of A and B (n×k each, full column
 * rank), descending: the singular values of Q_Aᵀ Q_B with Q from thin QR. All near 1 means the
 * columns span the same subspace, whatever their scaling, sign or mixing within it.
 */
export function principalAngleCosines(a: Matrix, b: Matrix): Float64Array {
  if (a.rows !== b.rows) throw new RangeError(`principalAngleCosines: A has ${a.rows} rows and B ${b.rows}`);
  const qa = new QrDecomposition(a).orthogonalMatrix;
  const qb = new QrDecomposition(b).orthogonalMatrix;
  const svd = new SingularValueDecomposition(qa.transpose().mmul(qb), { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return Float64Array.from(svd.diagonal, (s) => Math.min(1, s));
}

// ---------------------------------------------------------------------------------------------
// Row-major square products (allocation-free, for per-window and per-iteration work)

/** out = a · b for row-major n×n matrices (out must not alias a or b). */
export function multiplySquareInto(a: Float64Array, b: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    out.fill(0, ri, ri + n);
    for (let k = 0; k < n; k++) {
      const aik = a[ri + k];
      if (aik === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) out[ri + j] += aik * b[rk + j];
    }
  }
}

/**
 * out = P · C · P for symmetric row-major n×n P and C (a congruence); `scratch` holds n² values;
 * out must not alias P, C or scratch. With P and C symmetric both products are dot products of
 * rows (S = P·C: S_ik = P_i·C_k; out_ij = S_i·P_j), and only the upper triangle of out is
 * computed, then mirrored, so the result is exactly symmetric.
 */
export function congruenceInto(p: Float64Array, c: Float64Array, n: number, out: Float64Array, scratch: Float64Array): void {
  rowProductsInto(p, 0, c, 0, n, n, scratch, false);
  rowProductsInto(scratch, 0, p, 0, n, n, out, true);
  mirrorUpper(out, n);
}


/**
 * out = F · X · Fᵀ for a lower-triangular row-major n×n F (its zeros above the diagonal stored) and
 * a symmetric X; `scratch` holds n² values; out must not alias F, X or scratch. As congruenceInto,
 * by dot products of rows (S = F·X: S_ik = F_i·X_k over F's row up to its diagonal; out_ij = S_i·F_j
 * up to F_j's diagonal), the upper triangle mirrored: about half of congruenceInto's work (n³/2 +
 * n³/3 products instead of n³ + n³/2).
 */
export function lowerCongruenceInto(f: Float64Array, x: Float64Array, n: number, out: Float64Array, scratch: Float64Array): void {
  rowProductsInto(f, 0, x, 0, n, n, scratch, false, false, Triangular.A);
  rowProductsInto(scratch, 0, f, 0, n, n, out, true, false, Triangular.B);
  mirrorUpper(out, n);
}

/**
 * The Cholesky factor L (A = L Lᵀ, lower triangular, positive diagonal) of a symmetric positive
 * definite row-major n×n A (its lower triangle read), and L⁻¹, both row-major with zeros above the
 * diagonal. False, leaving the outputs partly written, when a pivot is not positive (A is not
 * numerically positive definite). Allocates nothing.
 */
export function choleskyInto(a: Float64Array, n: number, lower: Float64Array, lowerInverse: Float64Array): boolean {
  lower.fill(0, 0, n * n);
  lowerInverse.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= lower[ri + k] * lower[rj + k];
      if (j < i) {
        lower[ri + j] = s / lower[rj + j];
      } else {
        if (!(s > 0)) return false;
        lower[ri + i] = Math.sqrt(s);
      }
    }
  }
  // L⁻¹ row by row: (L⁻¹)_ii = 1/L_ii, (L⁻¹)_ij = −(Σ_{j≤k<i} L_ik (L⁻¹)_kj) / L_ii
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inverseDiagonal = 1 / lower[ri + i];
    lowerInverse[ri + i] = inverseDiagonal;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += lower[ri + k] * lowerInverse[k * n + j];
      lowerInverse[ri + j] = -s * inverseDiagonal;
    }
  }
  return true;
}

// The allocation-free symmetric eigendecomposition of the online path lives in its own module.
export { SymmetricEigenWorkspace, type EigenFunction } from './symmetric-eigen.js';
