// CSP and the Riemannian tools by their defining properties (MNE and SciPy themselves are checked
// in tests/integration/decoding).
import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { ajdPham, cspFeaturesInto, fitCsp, type CspOptions } from '../../../../electron/common/decoding/csp.js';
import { fromRowMajor, logm, invsqrtm, toRowMajor } from '../../../../electron/common/decoding/linalg.js';
import { riemannMean, TangentSpace, tangentFeatureCount, upperTriangleInto } from '../../../../electron/common/decoding/riemann.js';
import { Random } from '../../../../electron/common/random.js';
import { randomSpd, syntheticEpochs } from './synthetic.js';

function quadratic(w: Float64Array, c: Matrix): number {
  let s = 0;
  for (let i = 0; i < c.rows; i++) for (let j = 0; j < c.rows; j++) s += w[i] * c.get(i, j) * w[j];
  return s;
}

const cspData = (set: ReturnType<typeof syntheticEpochs>) => ({ channelCount: set.channelCount, rowCount: set.rowCount, epochs: set.epochs, labels: set.labels, classCount: set.classes.length });

describe('CSP, two classes', () => {
  const set = syntheticEpochs({ channelCount: 6, rowCount: 100, epochsPerClass: 20, classCount: 2, seed: 3 });
  const n = 6;
  const fit = fitCsp(cspData(set));
  const [c0, c1] = fit.classCovariances;
  const sum = Matrix.add(c0, c1);

  it('each filter w solves C₀w = λ(C₀ + C₁)w with wᵀ(C₀ + C₁)w = 1, ordered by |λ − ½| descending', () => {
    for (let k = 0; k < n; k++) {
      const w = fit.allFilters.subarray(k * n, (k + 1) * n);
      expect(quadratic(w, sum)).toBeCloseTo(1, 12);
      expect(quadratic(w, c0)).toBeCloseTo(fit.scores[k], 12);
      if (k > 0) expect(Math.abs(fit.scores[k] - 0.5)).toBeLessThanOrEqual(Math.abs(fit.scores[k - 1] - 0.5));
    }
    // the most discriminative filters come from both ends of the spectrum here: the sources of class 0 and class 1
    expect(Math.min(...fit.scores.subarray(0, 2))).toBeLessThan(0.5);
    expect(Math.max(...fit.scores.subarray(0, 2))).toBeGreaterThan(0.5);
  });

  it("the patterns are MNE's pinv of the filter columns (patterns · filtersᵀ = I), and the top two filters recover the two class sources", () => {
    const filters = fromRowMajor(fit.allFilters, n, n);
    const patterns = fromRowMajor(fit.patterns, n, n);
    const product = patterns.mmul(filters.transpose());
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(product.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 9);
    // filter · mixing column s picks source s: the top filters are nearly orthogonal to every source but one
    const unmix = filters.mmul(fromRowMajor(set.mixing, n, n));
    for (let k = 0; k < 2; k++) {
      const row = unmix.getRow(k).map(Math.abs);
      const best = row.indexOf(Math.max(...row));
      expect(best).toBeLessThan(2); // source 0 or 1, the ones that differ between classes
      for (let s = 0; s < n; s++) if (s !== best) expect(row[s] / row[best]).toBeLessThan(0.2);
    }
  });

  it('features are log(mean((w·x)²)) and keep the first componentCount filters', () => {
    expect(fit.filters.length).toBe(4 * n);
    const out = new Float64Array(4);
    cspFeaturesInto(fit.filters, 4, n, set.epochs[0], set.rowCount, out, 0, new Float64Array(set.rowCount));
    for (let k = 0; k < 4; k++) {
      let p = 0;
      for (let t = 0; t < set.rowCount; t++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += fit.filters[k * n + c] * set.epochs[0][c * set.rowCount + t];
        p += s * s;
      }
      expect(out[k]).toBeCloseTo(Math.log(p / set.rowCount), 12);
    }
  });

  it("'epoch' covariances and regularised covariances also give B-normalised generalised eigenvectors", () => {
    for (const options of [
      { componentCount: 2, covarianceEstimate: 'epoch', regularization: 'none' },
      { componentCount: 2, covarianceEstimate: 'concat', regularization: 'ledoit-wolf' },
      { componentCount: 2, covarianceEstimate: 'epoch', regularization: 0.2 },
    ] satisfies CspOptions[]) {
      const f = fitCsp(cspData(set), options);
      const s = Matrix.add(f.classCovariances[0], f.classCovariances[1]);
      expect(f.filters.length).toBe(2 * n);
      for (let k = 0; k < n; k++) expect(quadratic(f.allFilters.subarray(k * n, (k + 1) * n), s)).toBeCloseTo(1, 10);
    }
  });

  it('refuses bad options and unusable epochs with sentences', () => {
    const data = cspData(set);
    expect(() => fitCsp(data, { componentCount: 7, covarianceEstimate: 'concat', regularization: 'none' })).toThrow(/component count \(7\) cannot exceed the channel count \(6\)/);
    expect(() => fitCsp(data, { componentCount: 0, covarianceEstimate: 'concat', regularization: 'none' })).toThrow(/must be a positive whole number/);
    expect(() => fitCsp(data, { componentCount: 2, covarianceEstimate: 'concat', regularization: 2 })).toThrow(/CSP regularisation: shrinkage must be/);
    expect(() => fitCsp({ ...data, labels: new Int32Array(data.labels.length) })).toThrow(/class 1 has no epochs/);
    const nan = data.epochs.map((e) => e.slice());
    nan[3][10] = NaN;
    expect(() => fitCsp({ ...data, epochs: nan })).toThrow(/epoch 3 has a sample that is not a finite number/);
  });
});

describe('CSP, three classes (approximate joint diagonalisation)', () => {
  const set = syntheticEpochs({ channelCount: 5, rowCount: 200, epochsPerClass: 15, classCount: 3, seed: 9 });
  const fit = fitCsp(cspData(set));
  const n = 5;

  it('the filters nearly diagonalise every class covariance, and have unit variance under the mean covariance', () => {
    const filters = fromRowMajor(fit.allFilters, n, n);
    const mean = Matrix.add(Matrix.add(fit.classCovariances[0], fit.classCovariances[1]), fit.classCovariances[2]).div(3);
    for (const c of fit.classCovariances) {
      const d = filters.mmul(c).mmul(filters.transpose());
      let off = 0, on = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (i === j ? (x: number) => (on += x * x) : (x: number) => (off += x * x))(d.get(i, j));
      expect(off / on).toBeLessThan(0.01);
    }
    for (let k = 0; k < n; k++) expect(quadratic(fit.allFilters.subarray(k * n, (k + 1) * n), mean)).toBeCloseTo(1, 10);
    for (let k = 1; k < n; k++) expect(fit.scores[k]).toBeLessThanOrEqual(fit.scores[k - 1]);
  });

  it('ajdPham diagonalises matrices that are exactly jointly diagonalisable', () => {
    const basis = invsqrtm(fromRowMajor(randomSpd(4, new Random(6)), 4, 4)); // any invertible matrix
    const mats = [Matrix.diag([1, 2, 3, 4]), Matrix.diag([4, 1, 2, 1]), Matrix.diag([2, 2, 1, 5])].map((d) => basis.mmul(d).mmul(basis.transpose()));
    const v = ajdPham(mats, 1e-12, 100);
    for (const m of mats) {
      const d = v.mmul(m).mmul(v.transpose());
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (i !== j) expect(Math.abs(d.get(i, j)) / Math.sqrt(d.get(i, i) * d.get(j, j))).toBeLessThan(1e-6);
    }
  });
});

describe('Riemannian mean', () => {
  const n = 4;
  const random = new Random(17);
  const covs = Array.from({ length: 7 }, () => randomSpd(n, random));

  it('of commuting (diagonal) matrices is the geometric mean of the diagonals', () => {
    const a = Float64Array.from([1, 0, 0, 0, 4, 0, 0, 0, 9]);
    const b = Float64Array.from([4, 0, 0, 0, 1, 0, 0, 0, 1]);
    const { mean, converged } = riemannMean([a, b], 3);
    expect(converged).toBe(true);
    const expected = [2, 2, 3];
    for (let i = 0; i < 3; i++) expect(mean[i * 3 + i]).toBeCloseTo(expected[i], 10);
    expect(Math.abs(mean[1])).toBeLessThan(1e-12);
  });

  it('is a zero of the gradient Σ logm(M^-1/2 Cᵢ M^-1/2), and the mean of one matrix is that matrix', () => {
    const { mean, iterations, criterion } = riemannMean(covs, n);
    expect(iterations).toBeLessThan(50);
    expect(criterion).toBeLessThanOrEqual(1e-8);
    const m = fromRowMajor(mean, n, n);
    const w = invsqrtm(m);
    const gradient = new Matrix(n, n);
    for (const c of covs) gradient.add(logm(w.mmul(fromRowMajor(c, n, n)).mmul(w)));
    expect(gradient.norm() / covs.length).toBeLessThan(1e-8);
    const single = riemannMean([covs[0]], n).mean;
    for (let k = 0; k < n * n; k++) expect(single[k]).toBeCloseTo(covs[0][k], 12);
  });

  it('is affine-invariant: mean(A Cᵢ Aᵀ) = A mean(Cᵢ) Aᵀ', () => {
    const a = fromRowMajor(randomSpd(n, new Random(3)), n, n).add(Matrix.eye(n, n)); // any invertible matrix
    const moved = covs.map((c) => toRowMajor(a.mmul(fromRowMajor(c, n, n)).mmul(a.transpose())));
    const m1 = fromRowMajor(riemannMean(covs, n, { tolerance: 1e-12, maxIterations: 200 }).mean, n, n);
    const m2 = fromRowMajor(riemannMean(moved, n, { tolerance: 1e-12, maxIterations: 200 }).mean, n, n);
    const expected = a.mmul(m1).mmul(a.transpose());
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(m2.get(i, j)).toBeCloseTo(expected.get(i, j), 9);
  });

  it('refuses a matrix that is not positive definite, and an empty set', () => {
    expect(() => riemannMean([covs[0], new Float64Array(n * n)], n)).toThrow(/is not positive definite .* use covariance shrinkage/);
    expect(() => riemannMean([], n)).toThrow(/needs at least one matrix/);
  });
});

describe('tangent space', () => {
  it("upper() is numpy's triu order with √2 on the off-diagonal", () => {
    const out = new Float64Array(6);
    upperTriangleInto(Float64Array.from([1, 2, 3, 2, 4, 5, 3, 5, 6]), 3, out, 0);
    expect(Array.from(out)).toEqual([1, 2 * Math.SQRT2, 3 * Math.SQRT2, 4, 5 * Math.SQRT2, 6]);
    expect(tangentFeatureCount(64)).toBe(2080);
  });

  it('at the identity, diag(e, e²) maps to [1, 0, 2]; the reference maps to 0', () => {
    const t = new TangentSpace(Float64Array.from([1, 0, 0, 1]), 2);
    const out = new Float64Array(3);
    t.mapInto(Float64Array.from([Math.E, 0, 0, Math.E ** 2]), out, 0);
    expect(Array.from(out).map((v) => +v.toFixed(12))).toEqual([1, 0, 2]);
    const ref = randomSpd(5, new Random(8));
    const at = new TangentSpace(ref, 5);
    const zero = new Float64Array(15);
    at.mapInto(ref, zero, 0);
    for (const v of zero) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it("a vector's length is the Riemannian distance ‖logm(R^-1/2 C R^-1/2)‖_F", () => {
    const r = new Random(4);
    const ref = randomSpd(5, r);
    const c = randomSpd(5, r);
    const v = new TangentSpace(ref, 5).map([c]);
    const w = invsqrtm(fromRowMajor(ref, 5, 5));
    const distance = logm(w.mmul(fromRowMajor(c, 5, 5)).mmul(w)).norm();
    expect(Math.hypot(...v)).toBeCloseTo(distance, 12);
  });

  it('refuses a reference or window that is not positive definite, saying what may be wrong', () => {
    expect(() => new TangentSpace(new Float64Array(4), 2)).toThrow(/the tangent-space reference is not positive definite/);
    const t = new TangentSpace(Float64Array.from([1, 0, 0, 1]), 2);
    expect(() => t.mapInto(Float64Array.from([1, 1, 1, 1]), new Float64Array(3), 0)).toThrow(/the window covariance is not positive definite .* a channel may be flat or two identical/);
    expect(() => new TangentSpace(new Float64Array(3), 2)).toThrow(/holds 3 values, 2×2 expected/);
  });
});
