// The linear-algebra layer: covariance and shrinkage against their textbook definitions,
// eigendecompositions and matrix functions by their identities, the allocation-free workspace by
// its identities and against ml-matrix (its 'ql' fallback value for value), and refusals that are sentences.
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import {
  choleskyInto,
  congruenceInto,
  covarianceInto,
  epochCovariance,
  expm,
  fromRowMajor,
  generalizedSymmetricEigen,
  inverse,
  invsqrtm,
  ledoitWolfShrinkage,
  logm,
  lowerCongruenceInto,
  multiplySquareInto,
  principalAngleCosines,
  sampleCovariance,
  shrinkageProblem,
  sqrtm,
  SymmetricEigenWorkspace,
  symmetricEigen,
  toRowMajor,
} from '../../../../electron/common/decoding/linalg.js';
import { tridiagonalEigenvaluesInto } from '../../../../electron/common/decoding/symmetric-eigen.js';
import { Random } from '../../../../electron/common/random.js';
import { randomSpd } from './synthetic.js';

function maxAbsDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
  return m;
}

function spd(n: number, seed: number): Matrix {
  return fromRowMajor(randomSpd(n, new Random(seed)), n, n);
}

function planarEpoch(n: number, rows: number, seed: number, offset = 0): Float64Array {
  const r = new Random(seed);
  const e = new Float64Array(n * rows);
  for (let c = 0; c < n; c++) for (let t = 0; t < rows; t++) e[c * rows + t] = offset * (c + 1) + r.nextGaussian() * (1 + c);
  return e;
}

describe('covariance', () => {
  const n = 5;
  const rows = 40;
  const epoch = planarEpoch(n, rows, 3, 2);

  it('is X Xᵀ / rows, with each channel mean removed when centred', () => {
    for (const centre of [false, true]) {
      const c = epochCovariance(epoch, n, rows, { centre, shrinkage: 'none' });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let mi = 0, mj = 0;
          if (centre) {
            for (let t = 0; t < rows; t++) {
              mi += epoch[i * rows + t] / rows;
              mj += epoch[j * rows + t] / rows;
            }
          }
          let s = 0;
          for (let t = 0; t < rows; t++) s += (epoch[i * rows + t] - mi) * (epoch[j * rows + t] - mj);
          expect(c.get(i, j)).toBeCloseTo(s / rows, 10);
        }
      }
    }
  });

  it("Ledoit-Wolf's shrinkage is min(b̄², d²) / d² of its paper (b̄² = Σ‖xxᵀ − S‖²/n²/p, d² = ‖S − μI‖²/p)", () => {
    for (const seed of [1, 2, 3]) {
      const e = planarEpoch(n, rows, seed, 1);
      const s = epochCovariance(e, n, rows, { centre: true, shrinkage: 'none' });
      const mu = s.trace() / n;
      const d2 = Matrix.sub(s, Matrix.eye(n, n).mul(mu)).norm() ** 2 / n;
      let b2 = 0;
      for (let t = 0; t < rows; t++) {
        const x = new Matrix(n, 1);
        for (let c = 0; c < n; c++) {
          let m = 0;
          for (let u = 0; u < rows; u++) m += e[c * rows + u] / rows;
          x.set(c, 0, e[c * rows + t] - m);
        }
        b2 += Matrix.sub(x.mmul(x.transpose()), s).norm() ** 2;
      }
      b2 /= rows * rows * n;
      const expected = Math.min(b2, d2) / d2;
      const out = new Float64Array(n * n);
      const alpha = covarianceInto(e, 0, n, rows, { centre: true, shrinkage: 'ledoit-wolf' }, out, new Float64Array(n));
      expect(alpha).toBeCloseTo(expected, 12);
      expect(alpha).toBeGreaterThan(0);
      expect(alpha).toBeLessThanOrEqual(1);
      // (1 − α) S + α μ I
      const shrunk = Matrix.add(s.clone().mul(1 - alpha), Matrix.eye(n, n).mul(alpha * mu));
      expect(maxAbsDiff(fromRowMajor(out, n, n), shrunk)).toBeLessThan(1e-12 * mu);
    }
  });

  it('shrinkage keeps the trace and pulls the eigenvalues towards their mean', () => {
    const s = epochCovariance(epoch, n, rows, { centre: true, shrinkage: 'none' });
    const shrunk = epochCovariance(epoch, n, rows, { centre: true, shrinkage: 0.3 });
    expect(shrunk.trace()).toBeCloseTo(s.trace(), 10);
    const a = symmetricEigen(s).values;
    const b = symmetricEigen(shrunk).values;
    const mu = s.trace() / n;
    for (let k = 0; k < n; k++) expect(b[k]).toBeCloseTo(0.7 * a[k] + 0.3 * mu, 9);
    expect(ledoitWolfShrinkage(new Float64Array([2]), 1, 10, 40)).toBe(0);
  });

  it('of a feature table (samples as rows) equals that of the transposed, planar layout', () => {
    const table = new Float64Array(rows * n);
    for (let t = 0; t < rows; t++) for (let c = 0; c < n; c++) table[t * n + c] = epoch[c * rows + t];
    for (const shrinkage of ['none', 'ledoit-wolf', 0.2] as const) {
      expect(maxAbsDiff(sampleCovariance(table, rows, n, { centre: true, shrinkage }), epochCovariance(epoch, n, rows, { centre: true, shrinkage }))).toBe(0);
    }
  });

  it('refuses bad shrinkage and mis-sized epochs with sentences', () => {
    expect(shrinkageProblem('auto')).toMatch(/shrinkage must be 'none', 'ledoit-wolf' or a number from 0 to 1/);
    expect(shrinkageProblem(1.5)).toMatch(/from 0 to 1/);
    expect(shrinkageProblem(0.5)).toBeNull();
    expect(() => epochCovariance(epoch, n, rows + 1, { centre: true, shrinkage: 'none' })).toThrow(/holds 200 values, 5 channels × 41 rows = 205 expected/);
  });
});

describe('eigendecompositions', () => {
  it('symmetricEigen: A V = V Λ, Vᵀ V = I, eigenvalues ascending', () => {
    for (const n of [1, 2, 6, 20]) {
      const a = spd(n, n).sub(Matrix.eye(n, n).mul(0.5)); // indefinite is fine here
      const { values, vectors } = symmetricEigen(a);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      expect(maxAbsDiff(a.mmul(vectors), vectors.mmul(Matrix.diag(Array.from(values))))).toBeLessThan(1e-12);
      expect(maxAbsDiff(vectors.transpose().mmul(vectors), Matrix.eye(n, n))).toBeLessThan(1e-13);
    }
  });

  it("SymmetricEigenWorkspace 'ql' gives exactly ml-matrix EigenvalueDecomposition (same algorithm, preallocated): the fallback's arithmetic", () => {
    const cases: Matrix[] = [spd(1, 1), spd(2, 2), spd(7, 3), spd(16, 4), spd(64, 5), Matrix.eye(5, 5), Matrix.zeros(4, 4), Matrix.diag([3, 1, 3, 2, 1])];
    for (const a of cases) {
      const n = a.rows;
      const reference = new EigenvalueDecomposition(a, { assumeSymmetric: true });
      const w = new SymmetricEigenWorkspace(n, 'ql');
      w.decompose(toRowMajor(a));
      expect(Array.from(w.values)).toEqual(reference.realEigenvalues);
      const v = reference.eigenvectorMatrix;
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) expect(w.vectors[k * n + i]).toBe(v.get(i, k));
      // and again on the same workspace: no state leaks between decompositions
      w.decompose(toRowMajor(a));
      expect(Array.from(w.values)).toEqual(reference.realEigenvalues);
    }
    expect(() => new SymmetricEigenWorkspace(3, 'jacobi' as 'ql')).toThrow(/method must be 'inverse-iteration' or 'ql'/);
  });

  it('SymmetricEigenWorkspace (inverse iteration): A V = V Λ and Vᵀ V = I to rounding, the eigenvalues of ml-matrix, on clusters, splits and degenerate matrices, without falling back', () => {
    const random = new Random(77);
    const n64 = 64;
    const nearIdentity = Matrix.eye(n64, n64);
    for (let i = 0; i < n64; i++) {
      for (let j = 0; j <= i; j++) {
        const x = 1e-9 * random.nextGaussian();
        nearIdentity.set(i, j, nearIdentity.get(i, j) + x);
        if (i !== j) nearIdentity.set(j, i, nearIdentity.get(j, i) + x);
      }
    }
    const u = Matrix.columnVector(Array.from({ length: n64 }, () => random.nextGaussian()));
    const wilkinson = Matrix.zeros(21, 21);
    for (let i = 0; i < 21; i++) {
      wilkinson.set(i, i, Math.abs(10 - i));
      if (i < 20) {
        wilkinson.set(i, i + 1, 1);
        wilkinson.set(i + 1, i, 1);
      }
    }
    // two blocks that T splits into, whose eigenvalues interleave (the pairs are sorted across blocks)
    const blocks = Matrix.zeros(6, 6);
    blocks.setSubMatrix(spd(3, 8), 0, 0);
    blocks.setSubMatrix(spd(3, 9), 3, 3);
    const graded = new Matrix(n64, n64);
    for (let i = 0; i < n64; i++) for (let j = 0; j < n64; j++) graded.set(i, j, 10 ** (-(i + j) / 8) * (i === j ? 1 : 0.3));
    const cases: [string, Matrix][] = [
      ['1×1', spd(1, 1)],
      ['2×2', spd(2, 2)],
      ['7×7', spd(7, 3)],
      ['16×16', spd(16, 4)],
      ['64×64', spd(64, 5)],
      ['identity (every eigenvalue equal: 64 one-by-one blocks)', Matrix.eye(n64, n64)],
      ['zero', Matrix.zeros(4, 4)],
      ['diagonal with repeats', Matrix.diag([3, 1, 3, 2, 1])],
      ['identity + 1e-9 noise (one cluster of 64)', nearIdentity],
      ['rank one (63 zero eigenvalues)', u.mmul(u.transpose())],
      ['Wilkinson W21+ (pairs closer than 1e-13)', wilkinson],
      ['block diagonal', blocks],
      ['graded (entries from 1 to 1e-16)', graded],
      ['indefinite', spd(12, 6).sub(Matrix.eye(12, 12).mul(3))],
    ];
    for (const [label, a] of cases) {
      const n = a.rows;
      const w = new SymmetricEigenWorkspace(n);
      w.decompose(toRowMajor(a));
      const scale = Math.max(a.norm('max'), Number.MIN_VALUE);
      const values = Array.from(w.values);
      const vectors = new Matrix(n, n); // columns are the eigenvectors
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) vectors.set(i, k, w.vectors[k * n + i]);
      for (let k = 1; k < n; k++) expect(values[k], label).toBeGreaterThanOrEqual(values[k - 1]);
      const reference = new EigenvalueDecomposition(a, { assumeSymmetric: true }).realEigenvalues;
      for (let k = 0; k < n; k++) expect(Math.abs(values[k] - reference[k]) / scale, label).toBeLessThan(1e-13);
      expect(maxAbsDiff(a.mmul(vectors), vectors.mmul(Matrix.diag(values))) / scale, label).toBeLessThan(1e-13);
      expect(maxAbsDiff(vectors.transpose().mmul(vectors), Matrix.eye(n, n)), label).toBeLessThan(1e-12);
      expect(w.fallbacks, label).toBe(0);
      // the same matrix gives the same decomposition, bit for bit (fixed start vectors)
      const first = Float64Array.from(w.vectors);
      w.decompose(toRowMajor(a));
      expect(Array.from(w.vectors), label).toEqual(Array.from(first));
    }
  });

  it('SymmetricEigenWorkspace: inverse iteration and tred2 + tql2 give the same eigenvectors (up to sign) where the eigenvalues are apart', () => {
    for (const [n, seed] of [[9, 21], [32, 22], [64, 23]]) {
      const a = toRowMajor(spd(n, seed));
      const fast = new SymmetricEigenWorkspace(n);
      const ql = new SymmetricEigenWorkspace(n, 'ql');
      fast.decompose(a);
      ql.decompose(a);
      for (let k = 0; k < n; k++) {
        const gap = Math.min(k > 0 ? ql.values[k] - ql.values[k - 1] : Infinity, k < n - 1 ? ql.values[k + 1] - ql.values[k] : Infinity);
        if (gap < 1e-6 * ql.values[n - 1]) continue;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += fast.vectors[k * n + i] * ql.vectors[k * n + i];
        expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('tridiagonalEigenvaluesInto (root-free QL): the eigenvalues of ml-matrix (tql2) to rounding, on clusters, repeats, splits, grading and extreme scales', () => {
    const random = new Random(31);
    const tridiagonal = (d: number[], e: number[]): [Float64Array, Float64Array] => [Float64Array.from(d), Float64Array.from([...e, 0])];
    const wilkinsonD = Array.from({ length: 21 }, (_, i) => Math.abs(10 - i));
    const cases: [string, Float64Array, Float64Array][] = [
      ['random 64', ...tridiagonal(Array.from({ length: 64 }, () => random.nextGaussian()), Array.from({ length: 63 }, () => random.nextGaussian()))],
      ['Wilkinson W21+ (pairs closer than 1e-13)', ...tridiagonal(wilkinsonD, Array<number>(20).fill(1))],
      ['constant diagonal, tiny couplings (a cluster of 40 within 1e-12)', ...tridiagonal(Array<number>(40).fill(2), Array.from({ length: 39 }, () => 1e-13 * random.nextGaussian()))],
      ['repeated eigenvalues (1, 2, 1, 2, … with zero couplings between pairs)', ...tridiagonal([1, 1, 2, 2, 1, 1, 2, 2], [0.5, 0, 0.5, 0, 0.5, 0, 0.5])],
      ['zero', ...tridiagonal([0, 0, 0, 0], [0, 0, 0])],
      ['alternating signs (indefinite)', ...tridiagonal([1, -1, 1, -1, 1], [1, 1, 1, 1])],
      ['graded 1 … 1e-30', ...tridiagonal(Array.from({ length: 31 }, (_, i) => 10 ** -i), Array.from({ length: 30 }, (_, i) => 0.3 * 10 ** -i))],
      ['scaled by 1e200 (squares would overflow unscaled)', ...tridiagonal(Array.from({ length: 12 }, () => 1e200 * random.nextGaussian()), Array.from({ length: 11 }, () => 1e200 * random.nextGaussian()))],
      ['scaled by 1e-200 (squares would underflow unscaled)', ...tridiagonal(Array.from({ length: 12 }, () => 1e-200 * random.nextGaussian()), Array.from({ length: 11 }, () => 1e-200 * random.nextGaussian()))],
      ['2×2', ...tridiagonal([3, -1], [2])],
      ['1×1', ...tridiagonal([-4], [])],
    ];
    for (const [label, d, e] of cases) {
      const n = d.length;
      // the reference on T/s, times s (ml-matrix's tql2 overflows at 1e200)
      const s = 2 ** Math.round(Math.log2(Math.max(...Array.from(d, Math.abs), ...Array.from(e, Math.abs), Number.MIN_VALUE)));
      const dense = Matrix.zeros(n, n);
      for (let i = 0; i < n; i++) {
        dense.set(i, i, d[i] / s);
        if (i < n - 1) {
          dense.set(i, i + 1, e[i] / s);
          dense.set(i + 1, i, e[i] / s);
        }
      }
      const reference = n === 1 ? [d[0]] : new EigenvalueDecomposition(dense, { assumeSymmetric: true }).realEigenvalues.map((x) => x * s).sort((x, y) => x - y);
      const out = new Float64Array(n);
      expect(tridiagonalEigenvaluesInto(0, n, d, e, out, new Float64Array(n)), label).toBe(true);
      const norm = Math.max(...Array.from(d, (x, i) => Math.abs(x) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0)), Number.MIN_VALUE);
      for (let k = 0; k < n; k++) {
        if (k > 0) expect(out[k], label).toBeGreaterThanOrEqual(out[k - 1]);
        expect(Math.abs(out[k] - reference[k]) / norm, `${label}: eigenvalue ${k}`).toBeLessThan(1e-14);
      }
      // and on a block inside a larger array: only [from, to) is read and written
      const from = 3;
      const wideD = new Float64Array(n + 5).fill(99);
      const wideE = new Float64Array(n + 5).fill(99);
      wideD.set(d, from);
      wideE.set(e.subarray(0, n - 1), from);
      const wideOut = new Float64Array(n + 5).fill(-7);
      expect(tridiagonalEigenvaluesInto(from, from + n, wideD, wideE, wideOut, new Float64Array(n + 5)), label).toBe(true);
      expect(Array.from(wideOut.subarray(from, from + n)), label).toEqual(Array.from(out));
      expect([...wideOut.subarray(0, from), ...wideOut.subarray(from + n)].every((x) => x === -7), label).toBe(true);
    }
    const out = new Float64Array(3);
    expect(tridiagonalEigenvaluesInto(0, 3, Float64Array.from([1, NaN, 2]), Float64Array.from([1, 1, 0]), out, new Float64Array(3))).toBe(false);
  });

  it('SymmetricEigenWorkspace.reassembleInto applies log, exp, sqrt and 1/sqrt as logm, expm, sqrtm, invsqrtm do', () => {
    const a = spd(9, 11);
    const w = new SymmetricEigenWorkspace(9);
    w.decompose(toRowMajor(a));
    const out = new Float64Array(81);
    const scratch = new Float64Array(9);
    const pairs = [['log', logm(a)], ['exp', expm(a)], ['sqrt', sqrtm(a)], ['invsqrt', invsqrtm(a)]] as const;
    for (const [fn, expected] of pairs) {
      w.reassembleInto(fn, out, scratch);
      expect(maxAbsDiff(fromRowMajor(out, 9, 9), expected)).toBeLessThan(1e-12 * Math.max(1, expected.norm('max')));
    }
    expect(() => new SymmetricEigenWorkspace(0)).toThrow(/size must be a positive integer/);
  });

  it('generalizedSymmetricEigen: A V = B V Λ, Vᵀ B V = I, eigenvalues ascending (scipy.linalg.eigh(A, B))', () => {
    for (const n of [2, 5, 12]) {
      const a = spd(n, 10 + n);
      const b = spd(n, 20 + n);
      const { values, vectors } = generalizedSymmetricEigen(a, b);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      expect(maxAbsDiff(a.mmul(vectors), b.mmul(vectors).mmul(Matrix.diag(Array.from(values))))).toBeLessThan(1e-10);
      expect(maxAbsDiff(vectors.transpose().mmul(b).mmul(vectors), Matrix.eye(n, n))).toBeLessThan(1e-10);
    }
    const singular = new Matrix([[1, 1], [1, 1]]);
    expect(() => generalizedSymmetricEigen(spd(2, 1), singular)).toThrow(/the right-hand matrix B of A v = λ B v is not positive definite .*add shrinkage/);
    expect(() => generalizedSymmetricEigen(spd(2, 1), spd(3, 1))).toThrow(/A is 2×2 but B is 3×3/);
  });

  it('refuses a matrix with NaN with a sentence', () => {
    expect(() => symmetricEigen(new Matrix([[1, NaN], [NaN, 1]]))).toThrow(/non-finite entry at \(0, 1\): check the data for NaN/);
  });
});

describe('matrix functions of SPD matrices', () => {
  const a = spd(8, 7);
  it('expm(logm(A)) = A, sqrtm(A)² = A, invsqrtm(A) A invsqrtm(A) = I, logm(A²) = 2 logm(A)', () => {
    expect(maxAbsDiff(expm(logm(a)), a)).toBeLessThan(1e-12);
    const s = sqrtm(a);
    expect(maxAbsDiff(s.mmul(s), a)).toBeLessThan(1e-12);
    const w = invsqrtm(a);
    expect(maxAbsDiff(w.mmul(a).mmul(w), Matrix.eye(8, 8))).toBeLessThan(1e-12);
    expect(maxAbsDiff(logm(a.mmul(a)), logm(a).mul(2))).toBeLessThan(1e-11);
  });

  it('of a diagonal matrix act on the diagonal', () => {
    const d = Matrix.diag([1, Math.E, 4]);
    expect(maxAbsDiff(logm(d), Matrix.diag([0, 1, Math.log(4)]))).toBeLessThan(1e-15);
    expect(maxAbsDiff(sqrtm(d), Matrix.diag([1, Math.sqrt(Math.E), 2]))).toBeLessThan(1e-15);
  });

  it('refuse a matrix that is not positive definite, saying so', () => {
    const indefinite = new Matrix([[1, 2], [2, 1]]);
    expect(() => logm(indefinite)).toThrow(/logm: the matrix is not positive definite \(smallest eigenvalue -1.00, largest 3.00\)/);
    expect(() => invsqrtm(Matrix.zeros(2, 2))).toThrow(/not positive definite/);
  });

  it('inverse: A A⁻¹ = I; a singular matrix is refused', () => {
    expect(maxAbsDiff(a.mmul(inverse(a)), Matrix.eye(8, 8))).toBeLessThan(1e-12);
    expect(() => inverse(new Matrix([[1, 2], [2, 4]]))).toThrow(/singular/);
  });
});

describe('products and subspaces', () => {
  it('multiplySquareInto and congruenceInto agree with ml-matrix', () => {
    const n = 6;
    const a = spd(n, 1);
    const c = spd(n, 2);
    const out = new Float64Array(n * n);
    multiplySquareInto(toRowMajor(a), toRowMajor(c), n, out);
    expect(maxAbsDiff(fromRowMajor(out, n, n), a.mmul(c))).toBeLessThan(1e-13);
    congruenceInto(toRowMajor(a), toRowMajor(c), n, out, new Float64Array(n * n));
    expect(maxAbsDiff(fromRowMajor(out, n, n), a.mmul(c).mmul(a))).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(out[i * n + j]).toBe(out[j * n + i]);
  });

  it('choleskyInto: L Lᵀ = A with L lower triangular and a positive diagonal, L⁻¹ L = I; refuses a matrix that is not positive definite', () => {
    for (const n of [1, 2, 5, 13, 64]) {
      const a = spd(n, 40 + n);
      const lower = new Float64Array(n * n).fill(7);
      const lowerInverse = new Float64Array(n * n).fill(7);
      expect(choleskyInto(toRowMajor(a), n, lower, lowerInverse)).toBe(true);
      const l = fromRowMajor(lower, n, n);
      const li = fromRowMajor(lowerInverse, n, n);
      for (let i = 0; i < n; i++) {
        expect(l.get(i, i)).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) {
          expect(l.get(i, j)).toBe(0);
          expect(li.get(i, j)).toBe(0);
        }
      }
      expect(maxAbsDiff(l.mmul(l.transpose()), a) / a.norm('max'), `n ${n}`).toBeLessThan(1e-14);
      expect(maxAbsDiff(li.mmul(l), Matrix.eye(n, n)), `n ${n}`).toBeLessThan(1e-12);
    }
    const indefinite = toRowMajor(spd(6, 3).sub(Matrix.eye(6, 6).mul(1e3)));
    expect(choleskyInto(indefinite, 6, new Float64Array(36), new Float64Array(36))).toBe(false);
    expect(choleskyInto(new Float64Array(4), 2, new Float64Array(4), new Float64Array(4))).toBe(false);
  });

  it('lowerCongruenceInto: F X Fᵀ for a lower-triangular F, as ml-matrix computes it, exactly symmetric', () => {
    for (const n of [1, 2, 4, 7, 64]) {
      const f = toRowMajor(spd(n, 50 + n));
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) f[i * n + j] = 0;
      const x = spd(n, 60 + n);
      const out = new Float64Array(n * n);
      lowerCongruenceInto(f, toRowMajor(x), n, out, new Float64Array(n * n));
      const fm = fromRowMajor(f, n, n);
      const expected = fm.mmul(x).mmul(fm.transpose());
      expect(maxAbsDiff(fromRowMajor(out, n, n), expected) / expected.norm('max'), `n ${n}`).toBeLessThan(1e-13);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(out[i * n + j]).toBe(out[j * n + i]);
    }
  });

  it('principalAngleCosines: 1 for the same span however mixed, 0 for orthogonal spans, cos θ for a tilt', () => {
    const basis = new Matrix([[1, 0], [0, 1], [0, 0], [0, 0]]);
    const mixed = basis.mmul(new Matrix([[2, -1], [0.5, 3]]));
    expect(Array.from(principalAngleCosines(basis, mixed)).map((c) => +c.toFixed(12))).toEqual([1, 1]);
    const orthogonal = new Matrix([[0, 0], [0, 0], [1, 0], [0, 1]]);
    expect(Math.max(...principalAngleCosines(basis, orthogonal))).toBeLessThan(1e-15);
    const theta = 0.3;
    const tilted = new Matrix([[1, 0], [0, Math.cos(theta)], [0, Math.sin(theta)], [0, 0]]);
    const cos = principalAngleCosines(basis, tilted);
    expect(cos[0]).toBeCloseTo(1, 12);
    expect(cos[1]).toBeCloseTo(Math.cos(theta), 12);
  });

  it('round-trips row-major arrays', () => {
    const v = Float64Array.from({ length: 6 }, (_, i) => i * 1.5);
    expect(Array.from(toRowMajor(fromRowMajor(v, 2, 3)))).toEqual(Array.from(v));
    expect(() => fromRowMajor(v, 4, 2)).toThrow(/6 values cannot fill 4×2/);
  });
});
