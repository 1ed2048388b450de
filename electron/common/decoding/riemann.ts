// Riemannian geometry of SPD (covariance) matrices as pyRiemann computes it, for the tangent-space
// decoder: the Riemannian (affine-invariant) mean by pyRiemann's `mean_riemann` fixed-point
// iteration, and the tangent space at a reference (pyRiemann's `TangentSpace` / `tangent_space`):
// S ↦ upper(logm(P S P)) with P = reference^-1/2, upper() taking the upper triangle row by row
// (numpy's triu_indices order) with the off-diagonal entries weighted by √2, so that the
// Euclidean norm of the vector is the Frobenius norm of the symmetric matrix.
//
// Matrices here are row-major n×n Float64Arrays (as covarianceInto writes them). Mapping a matrix
// allocates nothing (TangentSpace.mapInto), so the online path and the fit compute features with
// the very same arithmetic.

import { choleskyInto, congruenceInto, isNumericallyPositive, lowerCongruenceInto, SymmetricEigenWorkspace } from './linalg.js';

export interface RiemannMeanOptions {
  /** Stop when ‖Σ wᵢ logm(C^-1/2 Cᵢ C^-1/2)‖_F ≤ tolerance (pyRiemann's tol, 10e-9). */
  readonly tolerance?: number;
  /** pyRiemann's maxiter, 50. */
  readonly maxIterations?: number;
}

export interface RiemannMean {
  /** Row-major n×n. */
  readonly mean: Float64Array;
  readonly iterations: number;
  /** The last gradient norm ‖J‖_F. */
  readonly criterion: number;
  readonly converged: boolean;
}

/** Number of tangent-space features of n×n matrices: n(n+1)/2. */
export function tangentFeatureCount(n: number): number {
  return (n * (n + 1)) / 2;
}

/**
 * The Riemannian mean of SPD matrices, by pyRiemann's `mean_riemann` iteration: start from the
 * arithmetic mean C; repeat J = Σ wᵢ logm(C^-1/2 Cᵢ C^-1/2), C ← C^1/2 expm(ν J) C^1/2, with the
 * step ν shrunk by 0.95 while ν‖J‖ decreases and halved when it does not; stop when ‖J‖_F or ν
 * reaches the tolerance. Weights are uniform unless given (they are normalised to sum to 1).
 *
 * Computed with the Cholesky factor C = L Lᵀ in place of C^1/2, which gives the same iterates (to
 * rounding) at about half the cost of the per-matrix congruence: U = C^-1/2 L is orthogonal and
 * C^-1/2 = U L⁻¹, so with J' = Σ wᵢ logm(L⁻¹ Cᵢ L⁻ᵀ) = Uᵀ J U, ‖J'‖ = ‖J‖ and
 * C^1/2 expm(ν J) C^1/2 = L expm(ν J') Lᵀ.
 */
export function riemannMean(covariances: readonly Float64Array[], n: number, options: RiemannMeanOptions = {}, weights?: ArrayLike<number>): RiemannMean {
  const count = covariances.length;
  if (count === 0) throw new RangeError('the Riemannian mean needs at least one matrix');
  for (const c of covariances) if (c.length !== n * n) throw new RangeError(`the Riemannian mean: a matrix holds ${c.length} values, ${n}×${n} expected`);
  const tolerance = options.tolerance ?? 10e-9;
  const maxIterations = options.maxIterations ?? 50;
  const w = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) total += w[i] = weights ? weights[i] : 1;
  for (let i = 0; i < count; i++) w[i] /= total;

  const mean = new Float64Array(n * n);
  for (let i = 0; i < count; i++) for (let k = 0; k < n * n; k++) mean[k] += w[i] * covariances[i][k];
  const eigen = new SymmetricEigenWorkspace(n);
  const lower = new Float64Array(n * n);
  const lowerInverse = new Float64Array(n * n);
  const j = new Float64Array(n * n);
  const m = new Float64Array(n * n);
  const log = new Float64Array(n * n);
  const scratch = new Float64Array(n * n);
  const diag = new Float64Array(n);
  let nu = 1;
  let tau = Number.MAX_VALUE;
  let criterion = Number.MAX_VALUE;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    eigen.decompose(mean);
    assertPositive(eigen, 'the running Riemannian mean');
    if (!choleskyInto(mean, n, lower, lowerInverse)) assertPositive(eigen, 'the running Riemannian mean', true);
    j.fill(0);
    for (let i = 0; i < count; i++) {
      lowerCongruenceInto(lowerInverse, covariances[i], n, m, scratch);
      eigen.decompose(m);
      assertPositive(eigen, `matrix ${i}`);
      eigen.reassembleInto('log', log, diag);
      for (let k = 0; k < n * n; k++) j[k] += w[i] * log[k];
    }
    let norm2 = 0;
    for (let k = 0; k < n * n; k++) norm2 += j[k] * j[k];
    criterion = Math.sqrt(norm2);
    const h = nu * criterion;
    for (let k = 0; k < n * n; k++) j[k] *= nu;
    eigen.decompose(j);
    eigen.reassembleInto('exp', log, diag);
    lowerCongruenceInto(lower, log, n, mean, scratch);
    if (h < tau) {
      nu *= 0.95;
      tau = h;
    } else {
      nu *= 0.5;
    }
    if (criterion <= tolerance || nu <= tolerance) break;
  }
  return { mean, iterations, criterion, converged: criterion <= tolerance };
}

/** Refuses a matrix whose eigenvalues (just decomposed) are not numerically positive, or whose Cholesky factorisation failed (`failed`). */
function assertPositive(eigen: SymmetricEigenWorkspace, what: string, failed = false): void {
  const n = eigen.size;
  const smallest = eigen.values[0];
  const largest = eigen.values[n - 1];
  if (failed || !isNumericallyPositive(smallest, largest, n)) {
    throw new RangeError(`${what} is not positive definite (eigenvalues from ${smallest.toPrecision(3)} to ${largest.toPrecision(3)}): a channel may be flat or two identical; use covariance shrinkage or longer epochs`);
  }
}

/** pyRiemann's `upper`: the upper triangle of a symmetric row-major n×n matrix, row by row, off-diagonal ×√2. */
export function upperTriangleInto(sym: Float64Array, n: number, out: Float64Array, offset: number): void {
  let q = offset;
  for (let i = 0; i < n; i++) {
    out[q++] = sym[i * n + i];
    for (let j = i + 1; j < n; j++) out[q++] = Math.SQRT2 * sym[i * n + j];
  }
}

/**
 * The tangent space at a reference SPD matrix: maps an SPD matrix S to upper(logm(P S P)),
 * P = reference^-1/2. Holds its own scratch: one instance per thread of use; mapInto allocates nothing.
 */
export class TangentSpace {
  readonly featureCount: number;
  /** reference^-1/2, row-major. */
  readonly whitener: Float64Array;
  private readonly eigen: SymmetricEigenWorkspace;
  private readonly m: Float64Array;
  private readonly log: Float64Array;
  private readonly scratch: Float64Array;
  private readonly diag: Float64Array;

  constructor(
    readonly reference: Float64Array,
    readonly size: number,
  ) {
    const n = size;
    if (reference.length !== n * n) throw new RangeError(`the tangent-space reference holds ${reference.length} values, ${n}×${n} expected`);
    this.featureCount = tangentFeatureCount(n);
    this.eigen = new SymmetricEigenWorkspace(n);
    this.m = new Float64Array(n * n);
    this.log = new Float64Array(n * n);
    this.scratch = new Float64Array(n * n);
    this.diag = new Float64Array(n);
    this.whitener = new Float64Array(n * n);
    this.eigen.decompose(reference);
    assertPositive(this.eigen, 'the tangent-space reference');
    this.eigen.reassembleInto('invsqrt', this.whitener, this.diag);
  }

  /** Writes the tangent vector of `spd` (row-major n×n) into out[offset … offset + featureCount). */
  mapInto(spd: Float64Array, out: Float64Array, offset: number): void {
    const n = this.size;
    congruenceInto(this.whitener, spd, n, this.m, this.scratch);
    this.eigen.decompose(this.m);
    assertPositive(this.eigen, 'the window covariance');
    this.eigen.reassembleInto('log', this.log, this.diag);
    upperTriangleInto(this.log, n, out, offset);
  }

  /** Tangent vectors of several matrices, row-major count × featureCount. */
  map(spds: readonly Float64Array[]): Float64Array {
    const out = new Float64Array(spds.length * this.featureCount);
    spds.forEach((s, i) => this.mapInto(s, out, i * this.featureCount));
    return out;
  }
}
