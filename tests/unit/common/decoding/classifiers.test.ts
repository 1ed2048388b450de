// LDA and logistic regression by their defining equations (scikit-learn itself is checked in
// tests/integration/decoding), the shared linear probabilities, the L-BFGS optimiser, and the
// refusals.
import { describe, expect, it } from 'vitest';
import { Matrix, inverse as mlInverse } from 'ml-matrix';
import { fitLda } from '../../../../electron/common/decoding/lda.js';
import { fitLogistic, minimizeLbfgs } from '../../../../electron/common/decoding/logistic.js';
import { expit, linearModelFromJSON, linearModelToJSON, linearProba } from '../../../../electron/common/decoding/linear.js';
import { Random } from '../../../../electron/common/random.js';

/** Gaussian blobs: class k centred at k·separation along each feature with its own tilt. */
function blobs(n: number, p: number, classCount: number, separation: number, seed: number): { x: Float64Array; y: Int32Array } {
  const r = new Random(seed);
  const x = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % classCount;
    y[i] = k;
    for (let j = 0; j < p; j++) x[i * p + j] = separation * k * Math.cos(j + k) + r.nextGaussian() * (1 + 0.3 * j);
  }
  return { x, y };
}

function classMeans(x: Float64Array, y: Int32Array, p: number, classCount: number): Float64Array[] {
  const means = Array.from({ length: classCount }, () => new Float64Array(p));
  const counts = new Float64Array(classCount);
  y.forEach((k, i) => {
    counts[k]++;
    for (let j = 0; j < p; j++) means[k][j] += x[i * p + j];
  });
  means.forEach((m, k) => m.forEach((_, j) => (m[j] /= counts[k])));
  return means;
}

describe('LDA', () => {
  const n = 60;
  const p = 4;
  const { x, y } = blobs(n, p, 2, 1.5, 7);
  const [m0, m1] = classMeans(x, y, p, 2);

  it("two classes, 'svd': coef = Σw⁻¹(μ₁ − μ₀) and intercept = −½(μ₁ + μ₀)ᵀΣw⁻¹(μ₁ − μ₀) + log(π₁/π₀), Σw the within-class scatter / (n − 2)", () => {
    const scatter = new Matrix(p, p);
    for (let i = 0; i < n; i++) {
      const m = y[i] === 0 ? m0 : m1;
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) scatter.set(a, b, scatter.get(a, b) + (x[i * p + a] - m[a]) * (x[i * p + b] - m[b]));
    }
    const sigmaInv = mlInverse(scatter.div(n - 2));
    const diff = Matrix.columnVector(Array.from(m1, (v, j) => v - m0[j]));
    const sum = Matrix.columnVector(Array.from(m1, (v, j) => v + m0[j]));
    const coef = sigmaInv.mmul(diff).getColumn(0);
    const intercept = -0.5 * sum.transpose().mmul(sigmaInv).mmul(diff).get(0, 0); // equal priors
    const model = fitLda(x, n, p, y, 2);
    expect(model.coef.length).toBe(p);
    for (let j = 0; j < p; j++) expect(model.coef[j]).toBeCloseTo(coef[j], 10);
    expect(model.intercept[0]).toBeCloseTo(intercept, 10);
  });

  it("'lsqr' without shrinkage uses the prior-weighted class covariances (scatter / n), so its coefficients are (n − 2)/n of 'svd''s", () => {
    const svd = fitLda(x, n, p, y, 2);
    const lsqr = fitLda(x, n, p, y, 2, { solver: 'lsqr', shrinkage: 0 });
    for (let j = 0; j < p; j++) expect(lsqr.coef[j]).toBeCloseTo((svd.coef[j] * n) / (n - 2), 9);
  });

  it("'lsqr' with shrinkage 'auto' or a number shrinks towards the identity; shrinkage 1 makes coef ∝ μ₁ − μ₀ per class scale", () => {
    const auto = fitLda(x, n, p, y, 2, { solver: 'lsqr', shrinkage: 'auto' });
    const none = fitLda(x, n, p, y, 2, { solver: 'lsqr', shrinkage: 0 });
    expect(auto.coef.some((c, j) => Math.abs(c - none.coef[j]) > 1e-6)).toBe(true);
    // shrinkage 1: Σ = μ I with μ the mean variance, the same for every direction
    const full = fitLda(x, n, p, y, 2, { solver: 'lsqr', shrinkage: 1 });
    const ratio = full.coef[0] / (m1[0] - m0[0]);
    for (let j = 1; j < p; j++) expect(full.coef[j] / (m1[j] - m0[j])).toBeCloseTo(ratio, 10);
  });

  it('three classes: one row per class, probabilities sum to 1 and separate well-separated blobs', () => {
    const b = blobs(90, 3, 3, 6, 3);
    for (const options of [{ solver: 'svd', shrinkage: 'none' }, { solver: 'lsqr', shrinkage: 'auto' }] as const) {
      const model = fitLda(b.x, 90, 3, b.y, 3, options);
      expect(model.coef.length).toBe(9);
      const out = new Float64Array(3);
      let right = 0;
      for (let i = 0; i < 90; i++) {
        linearProba(model, b.x, i * 3, out);
        expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 14);
        if (out.indexOf(Math.max(...out)) === b.y[i]) right++;
      }
      expect(right / 90).toBeGreaterThan(0.95);
    }
  });

  it('refuses what scikit-learn refuses, and degenerate data, with sentences', () => {
    expect(() => fitLda(x, n, p, y, 2, { solver: 'svd', shrinkage: 'auto' })).toThrow(/shrinkage is not supported by the 'svd' solver .* use the 'lsqr' solver/);
    expect(() => fitLda(x, n, p, new Int32Array(n), 2)).toThrow(/class 1 has no samples/);
    expect(() => fitLda(x.subarray(0, 2 * p), 2, p, Int32Array.of(0, 1), 2)).toThrow(/more samples than classes/);
    const bad = x.slice();
    bad[5] = NaN;
    expect(() => fitLda(bad, n, p, y, 2)).toThrow(/not a finite number/);
    expect(() => fitLda(new Float64Array(n * p).fill(1), n, p, y, 2)).toThrow(/do not vary within the classes/);
    expect(() => fitLda(x, n, p, y.map((v) => v * 5), 2)).toThrow(/label 5 of sample 1 is not a class index 0..1/);
  });
});

/** The logistic objective's gradient, computed independently of the module (sklearn's form: C·Σ loss + ½‖W‖²). */
function multinomialGradientNorm(x: Float64Array, y: Int32Array, n: number, p: number, K: number, coef: Float64Array, intercept: Float64Array, C: number): number {
  const g = new Float64Array(K * p + K);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: K }, (_, k) => intercept[k] + Array.from({ length: p }, (_, j) => coef[k * p + j] * x[i * p + j]).reduce((a, b) => a + b, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) {
      const r = e[k] / s - (y[i] === k ? 1 : 0);
      for (let j = 0; j < p; j++) g[k * p + j] += C * r * x[i * p + j];
      g[K * p + k] += C * r;
    }
  }
  for (let q = 0; q < K * p; q++) g[q] += coef[q];
  return Math.max(...Array.from(g, Math.abs));
}

describe('logistic regression', () => {
  it('two classes at ±1: the weight solves w = 2mC·σ(−w) with zero intercept (a one-line optimum)', () => {
    const m = 5;
    const C = 0.7;
    const x = Float64Array.from({ length: 2 * m }, (_, i) => (i < m ? -1 : 1));
    const y = Int32Array.from({ length: 2 * m }, (_, i) => (i < m ? 0 : 1));
    const fit = fitLogistic(x, 2 * m, 1, y, 2, { C });
    // bisection on w − 2mC·σ(−w) = 0
    let lo = 0, hi = 100;
    for (let k = 0; k < 200; k++) {
      const mid = (lo + hi) / 2;
      if (mid - 2 * m * C * expit(-mid) > 0) hi = mid;
      else lo = mid;
    }
    expect(fit.converged).toBe(true);
    expect(fit.model.coef[0]).toBeCloseTo(lo, 9);
    expect(fit.model.intercept[0]).toBeCloseTo(0, 9);
  });

  it('binary: the gradient of C·Σ log(1 + e^(−ỹz)) + ½‖w‖² vanishes at the fit', () => {
    const { x, y } = blobs(40, 6, 2, 1, 11);
    const C = 2;
    const fit = fitLogistic(x, 40, 6, y, 2, { C });
    expect(fit.converged).toBe(true);
    const g = new Float64Array(7);
    for (let i = 0; i < 40; i++) {
      let z = fit.model.intercept[0];
      for (let j = 0; j < 6; j++) z += fit.model.coef[j] * x[i * 6 + j];
      const r = expit(z) - y[i];
      for (let j = 0; j < 6; j++) g[j] += C * r * x[i * 6 + j];
      g[6] += C * r;
    }
    for (let j = 0; j < 6; j++) g[j] += fit.model.coef[j];
    expect(Math.max(...Array.from(g, Math.abs))).toBeLessThan(1e-7);
  });

  it('multinomial (three classes): one row per class, the gradient vanishes, probabilities sum to 1', () => {
    const { x, y } = blobs(60, 4, 3, 2, 5);
    const fit = fitLogistic(x, 60, 4, y, 3, { C: 1 });
    expect(fit.model.coef.length).toBe(12);
    expect(fit.converged).toBe(true);
    expect(multinomialGradientNorm(x, y, 60, 4, 3, fit.model.coef, fit.model.intercept, 1)).toBeLessThan(1e-7);
    const out = new Float64Array(3);
    linearProba(fit.model, x, 0, out);
    expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 14);
  });

  it('more features than samples (as in the tangent space) still converges: the L2 penalty makes the optimum unique', () => {
    const { x, y } = blobs(20, 200, 2, 0.5, 9);
    const fit = fitLogistic(x, 20, 200, y, 2, { C: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.gradientNorm).toBeLessThanOrEqual(1e-10);
  });

  it('refuses a non-positive C, a missing class and NaN features, with sentences', () => {
    const { x, y } = blobs(10, 2, 2, 1, 1);
    expect(() => fitLogistic(x, 10, 2, y, 2, { C: 0 })).toThrow(/C must be a positive number \(got 0\)/);
    expect(() => fitLogistic(x, 10, 2, new Int32Array(10), 2, { C: 1 })).toThrow(/class 1 has no samples/);
    const bad = x.slice();
    bad[0] = Infinity;
    expect(() => fitLogistic(bad, 10, 2, y, 2, { C: 1 })).toThrow(/not a finite number/);
  });

  it('L-BFGS finds the minimum of the Rosenbrock function', () => {
    const x = Float64Array.of(-1.2, 1);
    const result = minimizeLbfgs(
      (v, g) => {
        const [a, b] = v;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      x,
      { gradientTolerance: 1e-10, maxIterations: 500 },
    );
    expect(result.converged).toBe(true);
    expect(x[0]).toBeCloseTo(1, 8);
    expect(x[1]).toBeCloseTo(1, 8);
  });
});

describe('linear probabilities', () => {
  it('two classes: [1 − σ(d), σ(d)], finite at extreme decisions', () => {
    const model = { classCount: 2, featureCount: 1, coef: Float64Array.of(2), intercept: Float64Array.of(-1) };
    const out = new Float64Array(2);
    linearProba(model, Float64Array.of(1.5), 0, out);
    expect(out[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(out[0] + out[1]).toBe(1);
    for (const v of [1e6, -1e6]) {
      linearProba(model, Float64Array.of(v), 0, out);
      expect(Number.isFinite(out[0]) && Number.isFinite(out[1])).toBe(true);
    }
  });

  it('more classes: softmax, finite at extreme decisions', () => {
    const model = { classCount: 3, featureCount: 1, coef: Float64Array.of(1, 0, -1), intercept: Float64Array.of(0, 0, 0) };
    const out = new Float64Array(3);
    linearProba(model, Float64Array.of(1000), 0, out);
    expect(Array.from(out)).toEqual([1, 0, 0]);
    linearProba(model, Float64Array.of(0), 0, out);
    for (const v of out) expect(v).toBeCloseTo(1 / 3, 15);
  });

  it('round-trips through JSON exactly and refuses wrong shapes with sentences', () => {
    const model = { classCount: 3, featureCount: 2, coef: Float64Array.of(0.1, 1 / 3, -2e-300, Math.PI, 5, -7.25e12), intercept: Float64Array.of(1e-17, 2, 3) };
    const back = linearModelFromJSON(JSON.parse(JSON.stringify(linearModelToJSON(model))), 3, 2, 'the classifier');
    expect(Array.from(back.coef)).toEqual(Array.from(model.coef));
    expect(Array.from(back.intercept)).toEqual(Array.from(model.intercept));
    expect(() => linearModelFromJSON({ coef: [[1, 2]], intercept: [0] }, 3, 2, 'the classifier')).toThrow(/the classifier's coef has 1 rows where 3 are expected/);
    expect(() => linearModelFromJSON({ coef: [[1, 2], [1, 2], [1, 'x']], intercept: [0, 0, 0] }, 3, 2, 'the classifier')).toThrow(/the classifier's coef\[2\]\[1\] is not a finite number/);
    expect(() => linearModelFromJSON(null, 3, 2, 'the classifier')).toThrow(/the classifier is missing or not an object/);
  });
});
