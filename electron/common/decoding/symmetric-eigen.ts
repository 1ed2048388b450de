// SymmetricEigenWorkspace: the symmetric eigendecomposition of the tangent-space decoder's
// per-window work (logm of the whitened window covariance) and of the Riemannian mean's
// iteration, allocating nothing after construction.
//
// The method is LAPACK's dsyevx path for all eigenpairs, about 2.4× faster than JAMA's tred2 +
// tql2 (ml-matrix's EigenvalueDecomposition) on 64-channel covariances, whose cost is tql2's
// rotations of the eigenvectors:
//  1. Householder reduction to a tridiagonal T = Qᵀ A Q (Golub & Van Loan, Algorithm 8.3.1;
//     LAPACK dsytd2) on the upper triangle, the reflectors kept rather than multiplied into Q;
//  2. T split into unreduced blocks where an off-diagonal entry is negligible (dstebz's test);
//     each block's eigenvalues by the root-free QL iteration (Pal-Walker-Kahan, LAPACK dsterf's
//     QL branch: O(n²), no square root per rotation);
//  3. the eigenvectors of each block by inverse iteration (LAPACK dstein): LU with partial
//     pivoting of T − λI, solves from a fixed pseudo-random start, modified Gram-Schmidt (twice)
//     against the vectors of eigenvalues closer than 10⁻³‖T‖₁ (a cluster), whose shifts are nudged
//     apart by 10·ε·|λ|; a vector is accepted once its residual ‖(T − λI)z‖∞ is at rounding level.
//     Two vectors of different clusters are iterated together, their LU and solves interleaved
//     (the steps are latency-bound chains of divisions and products, which then overlap);
//  4. each eigenvector back through the reflectors (x = H₀ H₁ ⋯ z), four vectors and two
//     reflectors per pass.
// (Applying the reflectors to f(T) from both sides instead of back-transforming the vectors costs
// as much: f(T) is dense, so each two-sided reflector touches whole rows, n³ products against the
// back-transform's n³.)
// Where inverse iteration does not converge (five solves), the decomposition is redone by tred2 +
// tql2 (`fallbacks` counts it), so the result is always a full eigendecomposition. Tests check it
// by its identities (A V = V Λ, Vᵀ V = I) on clusters, splits and degenerate matrices, against
// ml-matrix, and through the decoders against NumPy and pyRiemann's arithmetic.

import { mirrorUpper, rowProductsInto } from './row-products.js';

/** The functions SymmetricEigenWorkspace.reassembleInto applies to the eigenvalues. */
export type EigenFunction = 'log' | 'exp' | 'sqrt' | 'invsqrt';

const MAX_SOLVES = 5; // dstein's MAXITS
/**
 * A vector is accepted after one solve beyond the first that made it large enough (dstein's EXTRA
 * is 2; one keeps the vectors orthogonal to ~10⁻¹⁵ on covariance matrices, where none leaves
 * ~10⁻¹¹) and when ‖(T − λI) z‖∞ ≤ RESIDUAL_ULPS · n · ε · ‖T‖₁.
 */
const EXTRA_SOLVES = 1;
const RESIDUAL_ULPS = 4;
const TINY = 0, LIMIT = 1, SIZE_NEEDED = 2, SCALE_NUMERATOR = 3;

export class SymmetricEigenWorkspace {
  /** Eigenvalues, ascending, after `decompose`. */
  readonly values: Float64Array;
  /** Row k (`vectors[k·n … (k+1)·n)`) is the unit eigenvector of values[k], after `decompose`. */
  readonly vectors: Float64Array;
  /** How many decompositions fell back to tred2 + tql2 (inverse iteration did not converge). */
  fallbacks = 0;
  /** The symmetrised input, reduced in place; row k keeps reflector k in columns k+1 … n−1. */
  private readonly a: Float64Array;
  private readonly beta: Float64Array;
  /** T's diagonal and off-diagonal (e[i] couples i and i + 1). */
  private readonly d: Float64Array;
  private readonly e: Float64Array;
  private readonly p: Float64Array;
  private readonly ql: Float64Array;
  // the LU of T − λI: reciprocal diagonal, first and second superdiagonal, multipliers, row swaps
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;
  private readonly u2: Float64Array;
  private readonly mult: Float64Array;
  private readonly swapped: Uint8Array;
  /**
   * The double arguments of inverse iteration's steps (TINY, LIMIT, SIZE_NEEDED, SCALE_NUMERATOR):
   * a double passed to a call V8 does not inline is boxed, which would allocate per vector.
   */
  private readonly args = new Float64Array(4);
  /** Inverse iteration's shifts, each vector's cluster (its first vector), and per slot (0, 1) Σ|z| and sized solves. */
  private readonly shifts: Float64Array;
  private readonly clusterOf: Int32Array;
  private readonly sums = new Float64Array(2);
  private readonly sized = new Int32Array(2);
  /**
   * Inverse iteration's start vectors: row j holds xorshift32's outputs in (−1, 1) from a fixed
   * seed for j (the same for the same matrix), entry k for the block's k-th row; startSums row j
   * (n + 1 values) the running Σ|x| of its first k entries, summed in order.
   */
  private readonly starts: Float64Array;
  private readonly startSums: Float64Array;
  // reassembleInto's V (eigenvectors as columns) and V·diag(f(λ))
  private readonly vt: Float64Array;
  private readonly g: Float64Array;

  /**
   * `method` 'ql' runs tred2 + tql2 always (the fallback's arithmetic, value for value
   * ml-matrix's); the default runs inverse iteration and falls back to 'ql' only when it fails.
   */
  constructor(
    readonly size: number,
    readonly method: 'inverse-iteration' | 'ql' = 'inverse-iteration',
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`SymmetricEigenWorkspace: size must be a positive integer (got ${size})`);
    if (method !== 'inverse-iteration' && method !== 'ql') throw new RangeError(`SymmetricEigenWorkspace: method must be 'inverse-iteration' or 'ql' (got ${JSON.stringify(method)})`);
    const n = size;
    this.values = new Float64Array(n);
    this.vectors = new Float64Array(n * n);
    this.a = new Float64Array(n * n);
    this.beta = new Float64Array(n);
    this.d = new Float64Array(n);
    this.e = new Float64Array(n);
    this.p = new Float64Array(n);
    this.ql = new Float64Array(n);
    // two LU slots: entries i and n + i
    this.u0 = new Float64Array(2 * n);
    this.u1 = new Float64Array(2 * n);
    this.u2 = new Float64Array(2 * n);
    this.mult = new Float64Array(2 * n);
    this.swapped = new Uint8Array(2 * n);
    this.shifts = new Float64Array(n);
    this.clusterOf = new Int32Array(n);
    this.starts = new Float64Array(n * n);
    this.startSums = new Float64Array(n * (n + 1));
    for (let j = 0; j < n; j++) {
      let seed = (0x2545f491 + j * 0x9e3779b9) | 0;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const x = seed / 2147483648;
        this.starts[j * n + k] = x;
        sum += Math.abs(x);
        this.startSums[j * (n + 1) + k + 1] = sum;
      }
    }
    this.vt = new Float64Array(n * n);
    this.g = new Float64Array(n * n);
  }

  /** Decomposes (A + Aᵀ)/2 for a row-major n×n `a` (read only). */
  decompose(a: Float64Array): void {
    const n = this.size;
    if (a.length < n * n) throw new RangeError(`SymmetricEigenWorkspace: the matrix holds ${a.length} values, ${n}×${n} expected`);
    if (this.method === 'ql') {
      jamaDecompose(n, a, this.vectors, this.values, this.e);
      return;
    }
    const w = this.a; // the upper triangle of (A + Aᵀ)/2
    for (let i = 0; i < n; i++) {
      w[i * n + i] = a[i * n + i];
      for (let j = i + 1; j < n; j++) w[i * n + j] = (a[i * n + j] + a[j * n + i]) / 2;
    }
    this.tridiagonalise();
    if (!this.tridiagonalEigenpairs()) {
      this.fallbacks++;
      jamaDecompose(n, a, this.vectors, this.values, this.e);
      return;
    }
    this.backTransform();
  }

  /**
   * out (row-major n×n) = V diag(f(λ)) Vᵀ for the last decomposition, f named by `fn` (a name, not a
   * function value, so that the call stays monomorphic and no result is boxed); `scratch` holds n values.
   */
  reassembleInto(fn: EigenFunction, out: Float64Array, scratch: Float64Array): void {
    const n = this.size;
    const w = this.vectors;
    for (let k = 0; k < n; k++) {
      const x = this.values[k];
      scratch[k] = fn === 'log' ? Math.log(x) : fn === 'exp' ? Math.exp(x) : fn === 'sqrt' ? Math.sqrt(x) : 1 / Math.sqrt(x);
    }
    // out_ij = Σ_k f(λ_k) v_k[i] v_k[j]: dot products of the rows of G = V·diag(f) and of V (the
    // eigenvectors as columns), upper triangle, then mirrored so the result is exactly symmetric
    const g = this.g;
    const vt = this.vt;
    for (let k = 0; k < n; k++) {
      const fk = scratch[k];
      const rk = k * n;
      for (let i = 0; i < n; i++) {
        const x = w[rk + i];
        vt[i * n + k] = x;
        g[i * n + k] = fk * x;
      }
    }
    rowProductsInto(g, 0, vt, 0, n, n, out, true);
    mirrorUpper(out, n);
  }

  /**
   * Householder reduction: for k = 0 … n−3, reflector H_k = I − β_k v vᵀ (v[k+1] = 1, kept in row k
   * of `a` beyond the diagonal) zeroes row and column k beyond the first off-diagonal entry; the
   * trailing block B ← H_k B H_k as B − v wᵀ − w vᵀ with w = βBv − (β²/2)(vᵀBv) v.
   */
  private tridiagonalise(): void {
    const n = this.size;
    const a = this.a;
    const d = this.d;
    const e = this.e;
    const p = this.p;
    const beta = this.beta;
    for (let k = 0; k < n - 1; k++) {
      const rk = k * n;
      d[k] = a[rk + k];
      const x0 = a[rk + k + 1];
      let sigma = 0;
      for (let i = k + 2; i < n; i++) sigma += a[rk + i] * a[rk + i];
      if (sigma === 0) {
        // already tridiagonal in this row (always so for k = n − 2): no reflector
        beta[k] = 0;
        e[k] = x0;
        continue;
      }
      // Golub & Van Loan, Algorithm 5.1.1: H x = μ e₁ with μ = ‖x‖, v₀ computed without cancellation
      const mu = Math.sqrt(x0 * x0 + sigma);
      const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
      const b = (2 * v0 * v0) / (sigma + v0 * v0);
      beta[k] = b;
      e[k] = mu;
      a[rk + k + 1] = 1;
      for (let i = k + 2; i < n; i++) a[rk + i] /= v0;
      // p = β B v over the trailing block (rows/columns k+1 …), B's upper triangle only: row i
      // gives p_i its part from columns ≥ i (a dot product) and p_j, j > i, their part from row i;
      // two rows at a time, so that each p_j is loaded and stored once for both
      for (let i = k + 1; i < n; i++) p[i] = 0;
      let r = k + 1;
      for (; r + 1 < n; r += 2) {
        const ri = r * n;
        const ri1 = ri + n;
        const vi = a[rk + r];
        const vi1 = a[rk + r + 1];
        const coupling = a[ri + r + 1];
        let s0 = a[ri + r] * vi + coupling * vi1;
        let s1 = coupling * vi + a[ri1 + r + 1] * vi1;
        for (let j = r + 2; j < n; j++) {
          const b0 = a[ri + j];
          const b1 = a[ri1 + j];
          const vj = a[rk + j];
          s0 += b0 * vj;
          s1 += b1 * vj;
          p[j] += b0 * vi + b1 * vi1;
        }
        p[r] += s0;
        p[r + 1] += s1;
      }
      if (r < n) p[r] += a[r * n + r] * a[rk + r];
      let pv = 0;
      for (let i = k + 1; i < n; i++) {
        p[i] *= b;
        pv += p[i] * a[rk + i];
      }
      const half = (b / 2) * pv;
      for (let i = k + 1; i < n; i++) p[i] -= half * a[rk + i]; // p becomes w
      // B ← B − v wᵀ − w vᵀ, upper triangle, two rows at a time (they share the loads of v and w)
      let i = k + 1;
      for (; i + 1 < n; i += 2) {
        const ri = i * n;
        const ri1 = ri + n;
        const vi = a[rk + i], wi = p[i];
        const vi1 = a[rk + i + 1], wi1 = p[i + 1];
        a[ri + i] -= vi * wi + wi * vi;
        a[ri + i + 1] -= vi * wi1 + wi * vi1;
        a[ri1 + i + 1] -= vi1 * wi1 + wi1 * vi1;
        for (let j = i + 2; j < n; j++) {
          const vj = a[rk + j], wj = p[j];
          a[ri + j] -= vi * wj + wi * vj;
          a[ri1 + j] -= vi1 * wj + wi1 * vj;
        }
      }
      if (i < n) {
        const ri = i * n;
        const vi = a[rk + i];
        a[ri + i] -= 2 * vi * p[i];
      }
    }
    d[n - 1] = a[(n - 1) * n + n - 1];
    e[n - 1] = 0;
    beta[n - 1] = 0;
  }

  /**
   * The eigenpairs of T: T split into unreduced blocks where an off-diagonal entry is negligible
   * (LAPACK dstebz's test, e² ≤ ε²|dᵢdᵢ₊₁| + the smallest normal number); each block's eigenvalues
   * by implicit QL and its eigenvectors by inverse iteration as LAPACK dstein does it, zero outside
   * the block; then all pairs in ascending order. False when a vector did not converge.
   */
  private tridiagonalEigenpairs(): boolean {
    const n = this.size;
    const d = this.d;
    const e = this.e;
    const z = this.vectors;
    const values = this.values;
    z.fill(0, 0, n * n);
    let start = 0;
    for (let i = 0; i < n; i++) {
      const last = i === n - 1 || e[i] * e[i] <= Math.abs(d[i] * d[i + 1]) * Number.EPSILON * Number.EPSILON + Number.MIN_VALUE;
      if (!last) continue;
      if (i === start) {
        values[i] = d[i];
        z[i * n + i] = 1;
      } else {
        if (!tridiagonalEigenvaluesInto(start, i + 1, d, e, values, this.ql)) return false;
        if (!this.inverseIteration(start, i + 1)) return false;
      }
      start = i + 1;
    }
    // ascending over the blocks (a selection sort moving rows: nothing moves when T is one block)
    for (let i = 0; i < n - 1; i++) {
      let k = i;
      for (let j = i + 1; j < n; j++) if (values[j] < values[k]) k = j;
      if (k === i) continue;
      const t = values[i];
      values[i] = values[k];
      values[k] = t;
      for (let c = 0; c < n; c++) {
        const x = z[i * n + c];
        z[i * n + c] = z[k * n + c];
        z[k * n + c] = x;
      }
    }
    return true;
  }

  /**
   * Inverse iteration (LAPACK dstein) for the unreduced block [from, to) of T, whose eigenvalues
   * are values[from … to) ascending: the vectors go to rows from … to − 1, entries from … to − 1.
   * A vector whose successor starts a new cluster is computed together with that successor: their
   * factorisations and solves are independent chains of dependent arithmetic (each step waits for
   * the previous one's division or product), which the processor overlaps when they are
   * interleaved in one loop; each vector gets exactly the arithmetic it would get alone.
   */
  private inverseIteration(from: number, to: number): boolean {
    const d = this.d;
    const e = this.e;
    const eps = Number.EPSILON;
    const size = to - from;
    let norm1 = 0;
    for (let i = from; i < to; i++) norm1 = Math.max(norm1, Math.abs(d[i]) + (i > from ? Math.abs(e[i - 1]) : 0) + (i < to - 1 ? Math.abs(e[i]) : 0));
    const clusterGap = 1e-3 * norm1; // dstein's ORTOL
    this.args[TINY] = eps * norm1;
    this.args[SIZE_NEEDED] = Math.sqrt(0.1 / size); // dstein's DTPCRT
    this.args[LIMIT] = RESIDUAL_ULPS * size * eps * norm1;
    this.args[SCALE_NUMERATOR] = size * norm1;
    // the shifts, nudged apart by 10·ε·|λ| within a cluster (dstein), and each vector's cluster
    let clusterStart = from;
    let previous = 0;
    for (let j = from; j < to; j++) {
      let shift = this.values[j];
      if (j > from) {
        const perturbation = 10 * Math.abs(eps * shift);
        if (shift - previous < perturbation) shift = previous + perturbation;
        if (shift - previous > clusterGap) clusterStart = j;
      }
      previous = shift;
      this.shifts[j] = shift;
      this.clusterOf[j] = clusterStart;
    }
    let j = from;
    while (j < to) {
      if (j + 1 < to && this.clusterOf[j + 1] === j + 1) {
        if (!this.iteratePair(from, to, j)) return false;
        j += 2;
      } else {
        if (!this.iterateOne(from, to, j)) return false;
        j++;
      }
    }
    return true;
  }

  /** Inverse iteration for vector j alone (LU and state in slot 0). */
  private iterateOne(from: number, to: number, j: number): boolean {
    this.factor(from, to, j);
    this.start(from, to, j, 0);
    for (let solve = 0; solve < MAX_SOLVES; solve++) {
      this.solve(from, to, j);
      if (this.refine(from, to, j, 0)) return true;
    }
    return false;
  }

  /** Inverse iteration for vectors j and j + 1 (slots 0 and 1), j + 1 not in j's cluster. */
  private iteratePair(from: number, to: number, j: number): boolean {
    this.factorPair(from, to, j);
    this.start(from, to, j, 0);
    this.start(from, to, j + 1, 1);
    let doneA = false;
    let doneB = false;
    for (let solve = 0; solve < MAX_SOLVES && !(doneA && doneB); solve++) {
      if (!doneA && !doneB) this.solvePair(from, to, j);
      else if (!doneA) this.solve(from, to, j);
      else this.solveSecond(from, to, j + 1);
      if (!doneA) doneA = this.refine(from, to, j, 0);
      if (!doneB) doneB = this.refine(from, to, j + 1, 1);
    }
    return doneA && doneB;
  }

  /** Vector j's pseudo-random start in (−1, 1) on the block from `from` (the table's row j), and Σ|z|. */
  private start(from: number, to: number, j: number, slot: number): void {
    const n = this.size;
    const z = this.vectors;
    const row = j * n;
    const source = this.starts;
    const offset = row - from;
    for (let i = from; i < to; i++) z[row + i] = source[offset + i];
    this.sums[slot] = this.startSums[j * (n + 1) + to - from];
    this.sized[slot] = 0;
  }

  /**
   * After a solve of vector j (state in `slot`): modified Gram-Schmidt against its cluster's earlier
   * vectors, twice ("twice is enough": one pass leaves ~10⁻¹² in a cluster of 63); when the solve
   * grew it enough (dstein's test), unit length with its largest entry positive (dstein's sign).
   * True when it is accepted: one solve beyond the first that made it large enough, and its
   * residual ‖(T − λI) z‖∞ ≤ RESIDUAL_ULPS · n · ε · ‖T‖₁ (computed before the normalisation, in
   * the pass that finds the norm, and scaled).
   */
  private refine(from: number, to: number, j: number, slot: number): boolean {
    const n = this.size;
    const z = this.vectors;
    const row = j * n;
    const clusterStart = this.clusterOf[j];
    for (let pass = clusterStart < j ? 0 : 2; pass < 2; pass++) {
      for (let c = clusterStart; c < j; c++) {
        const rc = c * n;
        let dot = 0;
        for (let i = from; i < to; i++) dot += z[row + i] * z[rc + i];
        for (let i = from; i < to; i++) z[row + i] -= dot * z[rc + i];
      }
    }
    // one pass: ‖z‖², the largest entry and, when this solve may be the last, ‖(T − λI) z‖∞
    const checkResidual = this.sized[slot] + 1 > EXTRA_SOLVES;
    const lambda = this.values[j];
    const d = this.d;
    const e = this.e;
    let largest = 0;
    let largestAt = from;
    let norm2 = 0;
    let worst = 0;
    if (checkResidual) {
      // r_i = e_{i−1} z_{i−1} + (d_i − λ) z_i + e_i z_{i+1}, the block's ends peeled off the loop
      const last = to - 1;
      let previous = 0;
      let x = z[row + from];
      for (let i = from; i < last; i++) {
        const next = z[row + i + 1];
        norm2 += x * x;
        const ax = Math.abs(x);
        if (ax > largest) {
          largest = ax;
          largestAt = i;
        }
        const r = Math.abs((d[i] - lambda) * x + (i > from ? e[i - 1] * previous : 0) + e[i] * next);
        if (r > worst) worst = r;
        previous = x;
        x = next;
      }
      norm2 += x * x;
      if (Math.abs(x) > largest) {
        largest = Math.abs(x);
        largestAt = last;
      }
      const r = Math.abs((d[last] - lambda) * x + (last > from ? e[last - 1] * previous : 0));
      if (r > worst) worst = r;
    } else {
      for (let i = from; i < to; i++) {
        const x = z[row + i];
        norm2 += x * x;
        const ax = Math.abs(x);
        if (ax > largest) {
          largest = ax;
          largestAt = i;
        }
      }
    }
    if (largest < this.args[SIZE_NEEDED]) {
      // the solve did not grow the vector enough (dstein's test): solve again
      let sum = 0;
      for (let i = from; i < to; i++) sum += Math.abs(z[row + i]);
      this.sums[slot] = sum;
      return false;
    }
    // unit length, largest entry positive (dstein's sign); accepted when the residual of the unit
    // vector is at rounding level (args LIMIT)
    let scale = 1 / Math.sqrt(norm2);
    const accepted = ++this.sized[slot] > EXTRA_SOLVES && worst * Math.abs(scale) <= this.args[LIMIT];
    if (z[row + largestAt] < 0) scale = -scale;
    if (accepted) {
      for (let i = from; i < to; i++) z[row + i] *= scale;
      return true;
    }
    let sum = 0;
    for (let i = from; i < to; i++) {
      z[row + i] *= scale;
      sum += Math.abs(z[row + i]);
    }
    this.sums[slot] = sum;
    return false;
  }

  /**
   * LU with partial pivoting of T − λI, λ = shifts[j], on the block [from, to) into slot 0 (LINPACK
   * dgtsl's elimination): reciprocal pivots u0, superdiagonals u1 and u2, multipliers, row swaps;
   * pivots smaller than args TINY become ±TINY.
   */
  private factor(from: number, to: number, j: number): void {
    const lambda = this.shifts[j];
    const tiny = this.args[TINY];
    const d = this.d;
    const e = this.e;
    const u0 = this.u0;
    const u1 = this.u1;
    const u2 = this.u2;
    const mult = this.mult;
    const swapped = this.swapped;
    let diag = d[from] - lambda; // the current row's entries at columns i, i + 1
    let sup = e[from];
    for (let i = from; i < to - 1; i++) {
      const sub = e[i]; // row i + 1, column i
      const nextDiag = d[i + 1] - lambda;
      const nextSup = i + 1 < to - 1 ? e[i + 1] : 0;
      if (Math.abs(diag) >= Math.abs(sub)) {
        swapped[i] = 0;
        const pivot = Math.abs(diag) < tiny ? (diag < 0 ? -tiny : tiny) : diag;
        const inverse = 1 / pivot;
        const m = sub * inverse;
        u0[i] = inverse;
        u1[i] = sup;
        u2[i] = 0;
        mult[i] = m;
        diag = nextDiag - m * sup;
        sup = nextSup;
      } else {
        swapped[i] = 1;
        const inverse = 1 / sub;
        const m = diag * inverse;
        u0[i] = inverse;
        u1[i] = nextDiag;
        u2[i] = nextSup;
        mult[i] = m;
        diag = sup - m * nextDiag;
        sup = -m * nextSup;
      }
    }
    u0[to - 1] = 1 / (Math.abs(diag) < tiny ? (diag < 0 ? -tiny : tiny) : diag);
  }

  /** factor for shifts[j] into slot 0 and shifts[j + 1] into slot 1 (entries n + i), interleaved. */
  private factorPair(from: number, to: number, j: number): void {
    const n = this.size;
    const lambdaA = this.shifts[j];
    const lambdaB = this.shifts[j + 1];
    const tiny = this.args[TINY];
    const d = this.d;
    const e = this.e;
    const u0 = this.u0;
    const u1 = this.u1;
    const u2 = this.u2;
    const mult = this.mult;
    const swapped = this.swapped;
    let diagA = d[from] - lambdaA;
    let supA = e[from];
    let diagB = d[from] - lambdaB;
    let supB = e[from];
    for (let i = from; i < to - 1; i++) {
      const sub = e[i];
      const nextD = d[i + 1];
      const nextSup = i + 1 < to - 1 ? e[i + 1] : 0;
      const nextDiagA = nextD - lambdaA;
      const nextDiagB = nextD - lambdaB;
      const k = n + i;
      if (Math.abs(diagA) >= Math.abs(sub)) {
        swapped[i] = 0;
        const pivot = Math.abs(diagA) < tiny ? (diagA < 0 ? -tiny : tiny) : diagA;
        const inverse = 1 / pivot;
        const m = sub * inverse;
        u0[i] = inverse;
        u1[i] = supA;
        u2[i] = 0;
        mult[i] = m;
        diagA = nextDiagA - m * supA;
        supA = nextSup;
      } else {
        swapped[i] = 1;
        const inverse = 1 / sub;
        const m = diagA * inverse;
        u0[i] = inverse;
        u1[i] = nextDiagA;
        u2[i] = nextSup;
        mult[i] = m;
        diagA = supA - m * nextDiagA;
        supA = -m * nextSup;
      }
      if (Math.abs(diagB) >= Math.abs(sub)) {
        swapped[k] = 0;
        const pivot = Math.abs(diagB) < tiny ? (diagB < 0 ? -tiny : tiny) : diagB;
        const inverse = 1 / pivot;
        const m = sub * inverse;
        u0[k] = inverse;
        u1[k] = supB;
        u2[k] = 0;
        mult[k] = m;
        diagB = nextDiagB - m * supB;
        supB = nextSup;
      } else {
        swapped[k] = 1;
        const inverse = 1 / sub;
        const m = diagB * inverse;
        u0[k] = inverse;
        u1[k] = nextDiagB;
        u2[k] = nextSup;
        mult[k] = m;
        diagB = supB - m * nextDiagB;
        supB = -m * nextSup;
      }
    }
    u0[to - 1] = 1 / (Math.abs(diagA) < tiny ? (diagA < 0 ? -tiny : tiny) : diagA);
    u0[n + to - 1] = 1 / (Math.abs(diagB) < tiny ? (diagB < 0 ? -tiny : tiny) : diagB);
  }

  /**
   * Solves (T − λI) x = s·y in place on row j of `vectors` (entries from … to − 1) with slot 0's
   * LU, s scaled so that the solve cannot overflow (dstein); the running entries stay in registers.
   */
  private solve(from: number, to: number, j: number): void {
    this.solveWith(from, to, j, 0);
  }

  /** solve with slot 1's LU (the second of a pair whose first is done). */
  private solveSecond(from: number, to: number, j: number): void {
    this.solveWith(from, to, j, 1);
  }

  private solveWith(from: number, to: number, j: number, slot: number): void {
    const y = this.vectors;
    const row = j * this.size;
    const base = slot * this.size;
    const u0 = this.u0;
    const u1 = this.u1;
    const u2 = this.u2;
    const mult = this.mult;
    const swapped = this.swapped;
    const scale = (this.args[SCALE_NUMERATOR] * Math.max(Number.EPSILON, Math.abs(1 / u0[base + to - 1]))) / this.sums[slot];
    let current = y[row + from] * scale;
    for (let i = from; i < to - 1; i++) {
      let next = y[row + i + 1] * scale;
      if (swapped[base + i]) {
        const t = current;
        current = next;
        next = t;
      }
      y[row + i] = current;
      current = next - mult[base + i] * current;
    }
    let x1 = current * u0[base + to - 1];
    y[row + to - 1] = x1;
    let x2 = 0;
    for (let i = to - 2; i >= from; i--) {
      const x = (y[row + i] - u2[base + i] * x2 - u1[base + i] * x1) * u0[base + i];
      y[row + i] = x;
      x2 = x1;
      x1 = x;
    }
  }

  /** solve for rows j (slot 0) and j + 1 (slot 1), interleaved. */
  private solvePair(from: number, to: number, j: number): void {
    const n = this.size;
    const y = this.vectors;
    const ra = j * n;
    const rb = ra + n;
    const u0 = this.u0;
    const u1 = this.u1;
    const u2 = this.u2;
    const mult = this.mult;
    const swapped = this.swapped;
    const scaleA = (this.args[SCALE_NUMERATOR] * Math.max(Number.EPSILON, Math.abs(1 / u0[to - 1]))) / this.sums[0];
    const scaleB = (this.args[SCALE_NUMERATOR] * Math.max(Number.EPSILON, Math.abs(1 / u0[n + to - 1]))) / this.sums[1];
    let currentA = y[ra + from] * scaleA;
    let currentB = y[rb + from] * scaleB;
    for (let i = from; i < to - 1; i++) {
      let nextA = y[ra + i + 1] * scaleA;
      let nextB = y[rb + i + 1] * scaleB;
      if (swapped[i]) {
        const t = currentA;
        currentA = nextA;
        nextA = t;
      }
      if (swapped[n + i]) {
        const t = currentB;
        currentB = nextB;
        nextB = t;
      }
      y[ra + i] = currentA;
      y[rb + i] = currentB;
      currentA = nextA - mult[i] * currentA;
      currentB = nextB - mult[n + i] * currentB;
    }
    let a1 = currentA * u0[to - 1];
    let b1 = currentB * u0[n + to - 1];
    y[ra + to - 1] = a1;
    y[rb + to - 1] = b1;
    let a2 = 0;
    let b2 = 0;
    for (let i = to - 2; i >= from; i--) {
      const k = n + i;
      const a = (y[ra + i] - u2[i] * a2 - u1[i] * a1) * u0[i];
      const b = (y[rb + i] - u2[k] * b2 - u1[k] * b1) * u0[k];
      y[ra + i] = a;
      y[rb + i] = b;
      a2 = a1;
      a1 = a;
      b2 = b1;
      b1 = b;
    }
  }

  /**
   * x = H₀ H₁ ⋯ H_{n−3} z for each eigenvector row z of T, four rows at a time (independent sums)
   * and two reflectors at a time: z ← H_{k−1} H_k z as z − t v_k − u v_{k−1} with t = β_k v_kᵀz and
   * u = β_{k−1}(v_{k−1}ᵀz − t v_{k−1}ᵀv_k), so each pass over z serves two reflectors (half the
   * loads and stores of one at a time). A reflector with β = 0 is the identity (t or u is 0).
   */
  private backTransform(): void {
    const n = this.size;
    const a = this.a;
    const z = this.vectors;
    const beta = this.beta;
    const coupling = this.p; // coupling[k] = v_{k−1}ᵀ v_k for the pairs below
    for (let k = n - 3; k >= 1; k -= 2) {
      const rk = k * n;
      const rl = rk - n;
      let s = 0;
      for (let i = k + 1; i < n; i++) s += a[rl + i] * a[rk + i];
      coupling[k] = s;
    }
    let r = 0;
    for (; r + 3 < n; r += 4) {
      const r0 = r * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let k = n - 3;
      for (; k >= 1; k -= 2) {
        const rk = k * n;
        const rl = rk - n;
        // v_{k−1} has entry k (v_k starts at k + 1)
        const w = a[rl + k];
        let p0 = w * z[r0 + k], p1 = w * z[r1 + k], p2 = w * z[r2 + k], p3 = w * z[r3 + k];
        let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (let i = k + 1; i < n; i++) {
          const vk = a[rk + i];
          const vl = a[rl + i];
          const x0 = z[r0 + i], x1 = z[r1 + i], x2 = z[r2 + i], x3 = z[r3 + i];
          q0 += vk * x0;
          q1 += vk * x1;
          q2 += vk * x2;
          q3 += vk * x3;
          p0 += vl * x0;
          p1 += vl * x1;
          p2 += vl * x2;
          p3 += vl * x3;
        }
        const bk = beta[k];
        const bl = beta[k - 1];
        const c = coupling[k];
        const t0 = bk * q0, t1 = bk * q1, t2 = bk * q2, t3 = bk * q3;
        const u0 = bl * (p0 - t0 * c), u1 = bl * (p1 - t1 * c), u2 = bl * (p2 - t2 * c), u3 = bl * (p3 - t3 * c);
        z[r0 + k] -= u0 * w;
        z[r1 + k] -= u1 * w;
        z[r2 + k] -= u2 * w;
        z[r3 + k] -= u3 * w;
        for (let i = k + 1; i < n; i++) {
          const vk = a[rk + i];
          const vl = a[rl + i];
          z[r0 + i] -= t0 * vk + u0 * vl;
          z[r1 + i] -= t1 * vk + u1 * vl;
          z[r2 + i] -= t2 * vk + u2 * vl;
          z[r3 + i] -= t3 * vk + u3 * vl;
        }
      }
      if (k === 0 && beta[0] !== 0) {
        // the last reflector alone
        const b = beta[0];
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = 1; i < n; i++) {
          const v = a[i];
          s0 += v * z[r0 + i];
          s1 += v * z[r1 + i];
          s2 += v * z[r2 + i];
          s3 += v * z[r3 + i];
        }
        s0 *= b;
        s1 *= b;
        s2 *= b;
        s3 *= b;
        for (let i = 1; i < n; i++) {
          const v = a[i];
          z[r0 + i] -= s0 * v;
          z[r1 + i] -= s1 * v;
          z[r2 + i] -= s2 * v;
          z[r3 + i] -= s3 * v;
        }
      }
    }
    for (; r < n; r++) {
      const row = r * n;
      for (let k = n - 3; k >= 0; k--) {
        const b = beta[k];
        if (b === 0) continue;
        const rk = k * n;
        let s = 0;
        for (let i = k + 1; i < n; i++) s += a[rk + i] * z[row + i];
        s *= b;
        for (let i = k + 1; i < n; i++) z[row + i] -= s * a[rk + i];
      }
    }
  }
}

/**
 * The eigenvalues of the block [from, to) of the symmetric tridiagonal (d, e), e[i] coupling i and
 * i + 1, ascending into out[from … to), by the root-free implicit QL iteration of Pal, Walker and
 * Kahan (LAPACK dsterf's QL branch): it works on the squares e², so that a rotation takes no
 * square root and one division on the chain from step to step (tql2's takes a square root and
 * three divisions in a chain). The block is first scaled by a power of two (exact) so that the squares
 * neither overflow nor underflow. An off-diagonal entry is negligible when e² ≤ ε²·‖T‖² (tql2's
 * absolute test; the eigenvalues are accurate to ε‖T‖, as tql2's). `work` holds n values. False
 * when the iteration did not converge in 30 sweeps per eigenvalue (dsterf's limit).
 */
export function tridiagonalEigenvaluesInto(from: number, to: number, diagonal: Float64Array, offDiagonal: Float64Array, out: Float64Array, work: Float64Array): boolean {
  const d = out;
  const e2 = work;
  let norm = 0;
  for (let i = from; i < to; i++) norm = Math.max(norm, Math.abs(diagonal[i]) + (i < to - 1 ? Math.abs(offDiagonal[i]) : 0));
  if (!(norm < Infinity)) {
    for (let i = from; i < to; i++) d[i] = NaN;
    return false;
  }
  // a power of two near 1/‖T‖: scaling by it (and back) is exact
  const scale = norm === 0 ? 1 : 2 ** -Math.round(Math.log2(norm));
  for (let i = from; i < to; i++) {
    d[i] = diagonal[i] * scale;
    const x = i < to - 1 ? offDiagonal[i] * scale : 0;
    e2[i] = x * x;
  }
  const scaledNorm = norm * scale;
  const negligible = Number.EPSILON * Number.EPSILON * scaledNorm * scaledNorm;
  const maxSweeps = 30 * (to - from);
  let sweeps = 0;
  let l = from;
  while (l < to) {
    // the unreduced block [l, m]
    let m = l;
    while (m < to - 1 && e2[m] > negligible) m++;
    if (m === l) {
      l++;
      continue;
    }
    if (m === l + 1) {
      // a 2×2 block [[a, b], [b, c]]: (a + c ± √((a − c)² + 4b²)) / 2, the one of smaller magnitude
      // from the determinant (no cancellation)
      const a = d[l];
      const c = d[l + 1];
      const b2 = e2[l];
      const sum = a + c;
      const root = Math.sqrt((a - c) * (a - c) + 4 * b2);
      const big = sum < 0 ? (sum - root) / 2 : (sum + root) / 2;
      const small = big === 0 ? 0 : (a * c - b2) / big;
      d[l] = big;
      d[l + 1] = small;
      e2[l] = 0;
      l += 2;
      continue;
    }
    if (++sweeps > maxSweeps) return false;
    // Wilkinson's shift from the leading 2×2
    const p0 = d[l];
    const rte = Math.sqrt(e2[l]);
    let sigma = (d[l + 1] - p0) / (2 * rte);
    const r0 = Math.abs(sigma) < 1e150 ? Math.sqrt(sigma * sigma + 1) : Math.abs(sigma);
    sigma = p0 - rte / (sigma + (sigma < 0 ? -r0 : r0));
    let c = 1;
    let s = 0;
    let gamma = d[m] - sigma;
    let p = gamma * gamma;
    for (let i = m - 1; i >= l; i--) {
      const bb = e2[i];
      const r = p + bb;
      if (i !== m - 1) e2[i + 1] = s * r;
      // c = p/r, s = bb/r and the next p = γ²/c = γ²·r/p: the two reciprocals 1/r and r/p are
      // independent, so the chain from one step to the next holds one division, not two
      const oldc = c;
      const inverse = 1 / r;
      const ratio = r / p;
      c = p * inverse;
      s = bb * inverse;
      const oldgamma = gamma;
      const alpha = d[i];
      gamma = c * (alpha - sigma) - s * oldgamma;
      d[i + 1] = oldgamma + (alpha - gamma);
      p = c !== 0 ? gamma * gamma * ratio : oldc * bb;
    }
    e2[l] = s * p;
    d[l] = sigma + gamma;
  }
  for (let i = from; i < to; i++) d[i] /= scale;
  // insertion sort, ascending (the values come out nearly sorted)
  for (let i = from + 1; i < to; i++) {
    const x = d[i];
    let j = i - 1;
    while (j >= from && d[j] > x) {
      d[j + 1] = d[j];
      j--;
    }
    d[j + 1] = x;
  }
  return true;
}

/** Overflow-safe √(a² + b²), as JAMA computes it. */
function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/**
 * The fallback: JAMA's tred2 + tql2 (ml-matrix's EigenvalueDecomposition) on the flat arrays,
 * `vectors` in ml-matrix's transposed storage, which is this class's row-per-eigenvector layout.
 */
function jamaDecompose(n: number, a: Float64Array, w: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 0; i < n; i++) {
    w[i * n + i] = a[i * n + i];
    for (let j = 0; j < i; j++) {
      const v = (a[i * n + j] + a[j * n + i]) / 2;
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  tred2(n, e, d, w);
  tql2(n, e, d, w);
}

// tred2 and tql2 on a flat array `v` in ml-matrix's transposed storage (v[r·n + c] = V.get(r, c)
// in ml-matrix's src/dc/evd.js, which itself stores the logical V transposed).
function tred2(n: number, e: Float64Array, d: Float64Array, v: Float64Array): void {
  let f: number, g: number, h: number, hh: number, scale: number;
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    scale = 0;
    h = 0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      f = d[i - 1];
      g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[i * n + j] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[j * n + k] * d[k];
          e[k] += v[j * n + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[j * n + k] = v[j * n + k] - (f * e[k] + g * d[k]);
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i];
    v[i * n + i] = 1;
    h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k] / h;
      for (let j = 0; j <= i; j++) {
        g = 0;
        for (let k = 0; k <= i; k++) g += v[(i + 1) * n + k] * v[j * n + k];
        for (let k = 0; k <= i; k++) v[j * n + k] = v[j * n + k] - g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1];
    v[j * n + n - 1] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(n: number, e: Float64Array, d: Float64Array, v: Float64Array): void {
  let g: number, h: number, p: number, r: number, dl1: number, c: number, c2: number, c3: number, el1: number, s: number, s2: number;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        g = d[l];
        p = (d[l + 1] - g) / (2 * e[l]);
        r = hypotenuse(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        dl1 = d[l + 1];
        h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f = f + h;
        p = d[m];
        c = 1;
        c2 = c;
        c3 = c;
        el1 = e[l + 1];
        s = 0;
        s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypotenuse(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ri = i * n;
          const ri1 = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = v[ri1 + k];
            v[ri1 + k] = s * v[ri + k] + c * h;
            v[ri + k] = c * v[ri + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        p = v[i * n + j];
        v[i * n + j] = v[k * n + j];
        v[k * n + j] = p;
      }
    }
  }
}
