// The linear-algebra layer: covariance and shrinkage against their textbook definitions,
// eigendecompositions and matrix functions by their identities, the allocation-free workspace
// against ml-matrix value for value, and refusals that are sentences.
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import {
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
  multiplySquareInto,
  principalAngleCosines,
  sampleCovariance,
  shrinkageProblem,
  sqrtm,
  SymmetricEigenWorkspace,
  symmetricEigen,
  toRowMajor,
} from '../../../../electron/common/decoding/linalg.js';
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

  it('SymmetricEigenWorkspace gives exactly ml-matrix EigenvalueDecomposition (same algorithm, preallocated)', () => {
    const cases: Matrix[] = [spd(1, 1), spd(2, 2), spd(7, 3), spd(16, 4), spd(64, 5), Matrix.eye(5, 5), Matrix.zeros(4, 4), Matrix.diag([3, 1, 3, 2, 1])];
    for (const a of cases) {
      const n = a.rows;
      const reference = new EigenvalueDecomposition(a, { assumeSymmetric: true });
      const w = new SymmetricEigenWorkspace(n);
      w.decompose(toRowMajor(a));
      expect(Array.from(w.values)).toEqual(reference.realEigenvalues);
      const v = reference.eigenvectorMatrix;
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) expect(w.vectors[k * n + i]).toBe(v.get(i, k));
      // and again on the same workspace: no state leaks between decompositions
      w.decompose(toRowMajor(a));
      expect(Array.from(w.values)).toEqual(reference.realEigenvalues);
    }
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
