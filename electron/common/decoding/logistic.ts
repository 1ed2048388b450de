// L2-regularised logistic regression as scikit-learn's `LogisticRegression` (penalty 'l2', C = 1
// by default, intercept fitted and not penalised), fitted to convergence so that it lands on the
// same optimum as scikit-learn:
//  - two classes: one weight vector, the objective C·Σᵢ log(1 + exp(−ỹᵢ zᵢ)) + ½‖w‖² (ỹ = ±1), which is
//    what scikit-learn's default `multi_class='auto'` fits for binary data;
//  - more classes: the multinomial (softmax) model with one weight vector per class and the
//    penalty ½‖W‖²_F, as `multi_class='multinomial'` (the 'auto' choice with the lbfgs solver).
// The objective is strictly convex, so the optimum is unique (for the multinomial model up to a
// shift common to all intercepts, which leaves the probabilities unchanged). It is minimised by
// L-BFGS with a strong-Wolfe line search (Nocedal & Wright, algorithms 7.4, 3.5 and 3.6; the
// approximate Wolfe conditions of Hager & Zhang once f stops changing in floating point), to a
// gradient far below scikit-learn's default tolerance. This module owns the fit and the
// optimiser; prediction is linear.ts (logistic of the decision, or softmax).

import { expit, linearRowCount, type LinearModel } from './linear.js';

export interface LogisticOptions {
  /** Inverse regularisation strength, scikit-learn's `C` (> 0). */
  readonly C: number;
  /** Stop when the largest gradient component of the per-sample objective is at most this. */
  readonly gradientTolerance?: number;
  readonly maxIterations?: number;
}

export const LOGISTIC_DEFAULTS = { C: 1, gradientTolerance: 1e-10, maxIterations: 2000 } as const;

export interface LogisticFit {
  readonly model: LinearModel;
  readonly iterations: number;
  /** Whether the gradient tolerance was reached. */
  readonly converged: boolean;
  /** Largest gradient component at the end (per-sample objective). */
  readonly gradientNorm: number;
}

/**
 * Fits the model to `features` (row-major sampleCount × featureCount) with `labels` in
 * 0 … classCount−1 (every class present).
 */
export function fitLogistic(features: Float64Array, sampleCount: number, featureCount: number, labels: Int32Array, classCount: number, options: LogisticOptions = LOGISTIC_DEFAULTS): LogisticFit {
  const n = sampleCount;
  const p = featureCount;
  const C = options.C;
  if (!(typeof C === 'number' && Number.isFinite(C) && C > 0)) throw new RangeError(`logistic regression: C must be a positive number (got ${String(C)})`);
  if (features.length !== n * p) throw new RangeError(`logistic regression: ${features.length} values are not ${n} samples × ${p} features`);
  if (labels.length !== n) throw new RangeError(`logistic regression: ${labels.length} labels for ${n} samples`);
  if (classCount < 2) throw new RangeError('logistic regression needs at least two classes');
  for (let i = 0; i < n * p; i++) if (!Number.isFinite(features[i])) throw new RangeError('logistic regression: a feature is not a finite number (NaN or infinite): check the epochs');
  const counts = new Int32Array(classCount);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classCount) throw new RangeError(`logistic regression: label ${y} of sample ${i} is not a class index 0..${classCount - 1}`);
    counts[y]++;
  }
  for (let k = 0; k < classCount; k++) if (counts[k] === 0) throw new RangeError(`logistic regression: class ${k} has no samples: every class needs training samples`);

  const rows = linearRowCount(classCount);
  const penalty = 1 / (C * n); // ½‖W‖²/(C n): the scikit-learn objective divided by C·n
  const logits = new Float64Array(rows === 1 ? n : n * rows);
  const objective = rows === 1 ? binaryObjective(features, n, p, labels, penalty, logits) : multinomialObjective(features, n, p, labels, classCount, penalty, logits);
  const theta = new Float64Array(rows * p + rows);
  const result = minimizeLbfgs(objective, theta, { gradientTolerance: options.gradientTolerance ?? LOGISTIC_DEFAULTS.gradientTolerance, maxIterations: options.maxIterations ?? LOGISTIC_DEFAULTS.maxIterations });
  const model: LinearModel = { classCount, featureCount: p, coef: theta.slice(0, rows * p), intercept: theta.slice(rows * p) };
  return { model, iterations: result.iterations, converged: result.converged, gradientNorm: result.gradientNorm };
}

/** f(θ) and its gradient (written into `gradient`), θ = [w, b]. */
export type Objective = (theta: Float64Array, gradient: Float64Array) => number;

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function binaryObjective(x: Float64Array, n: number, p: number, labels: Int32Array, penalty: number, z: Float64Array): Objective {
  return (theta, gradient) => {
    const b = theta[p];
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = b;
      for (let j = 0; j < p; j++) s += theta[j] * x[i * p + j];
      z[i] = s;
      f += softplus(s) - (labels[i] === 1 ? s : 0);
    }
    gradient.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = expit(z[i]) - (labels[i] === 1 ? 1 : 0);
      gb += r;
      for (let j = 0; j < p; j++) gradient[j] += r * x[i * p + j];
    }
    let w2 = 0;
    for (let j = 0; j < p; j++) {
      w2 += theta[j] * theta[j];
      gradient[j] = gradient[j] / n + penalty * theta[j];
    }
    gradient[p] = gb / n;
    return f / n + 0.5 * penalty * w2;
  };
}

function multinomialObjective(x: Float64Array, n: number, p: number, labels: Int32Array, classCount: number, penalty: number, z: Float64Array): Objective {
  const K = classCount;
  return (theta, gradient) => {
    const bias = K * p;
    let f = 0;
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = theta[bias + k];
        for (let j = 0; j < p; j++) s += theta[k * p + j] * x[i * p + j];
        z[i * K + k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[i * K + k] - max);
      const logSum = max + Math.log(sum);
      f += logSum - z[i * K + labels[i]];
      for (let k = 0; k < K; k++) {
        const r = Math.exp(z[i * K + k] - logSum) - (labels[i] === k ? 1 : 0);
        gradient[bias + k] += r;
        for (let j = 0; j < p; j++) gradient[k * p + j] += r * x[i * p + j];
      }
    }
    let w2 = 0;
    for (let q = 0; q < K * p; q++) {
      w2 += theta[q] * theta[q];
      gradient[q] = gradient[q] / n + penalty * theta[q];
    }
    for (let k = 0; k < K; k++) gradient[bias + k] /= n;
    return f / n + 0.5 * penalty * w2;
  };
}

// ---------------------------------------------------------------------------------------------
// L-BFGS

export interface LbfgsOptions {
  readonly gradientTolerance: number;
  readonly maxIterations: number;
  /** Correction pairs kept (scipy's L-BFGS-B keeps 10). */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly gradientNorm: number;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimises a smooth function from `x` (updated in place) by L-BFGS: two-loop recursion for the
 * direction, strong-Wolfe line search (c₁ = 1e-4, c₂ = 0.9) with safeguarded cubic interpolation.
 * Stops when ‖∇f‖∞ ≤ gradientTolerance, after maxIterations, or when no step decreases f any more.
 */
export function minimizeLbfgs(f: Objective, x: Float64Array, options: LbfgsOptions): LbfgsResult {
  const dim = x.length;
  const memory = options.memory ?? 20;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let g = new Float64Array(dim);
  let value = f(x, g);
  const direction = new Float64Array(dim);
  const xTrial = new Float64Array(dim);
  let gTrial = new Float64Array(dim);
  let iterations = 0;
  let gNorm = maxAbs(g);
  const c1 = 1e-4;
  const c2 = 0.9;

  while (gNorm > options.gradientTolerance && iterations < options.maxIterations) {
    // two-loop recursion: direction = −H ∇f
    direction.set(g);
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(s[k], direction);
      for (let i = 0; i < dim; i++) direction[i] -= alpha[k] * y[k][i];
    }
    const gamma = s.length > 0 ? dot(s[s.length - 1], y[y.length - 1]) / dot(y[y.length - 1], y[y.length - 1]) : 1 / Math.max(gNorm, 1);
    for (let i = 0; i < dim; i++) direction[i] *= gamma;
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k] * dot(y[k], direction);
      for (let i = 0; i < dim; i++) direction[i] += s[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < dim; i++) direction[i] = -direction[i];
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // not a descent direction (lost curvature information): restart from steepest descent
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < dim; i++) direction[i] = -g[i] / Math.max(gNorm, 1);
      slope = dot(g, direction);
    }

    // strong-Wolfe line search along `direction`; near the optimum, where the decrease of f is
    // below its rounding, the approximate Wolfe conditions of Hager & Zhang take over (f may rise
    // by rounding, the slope must have flattened as strong Wolfe asks)
    const phi0 = value;
    const roundingF = 1e-10 * Math.abs(phi0);
    const approximateWolfe = (phi: number, dphi: number): boolean => phi <= phi0 + roundingF && Math.abs(dphi) <= -c2 * slope;
    const trial = (step: number): [number, number] => {
      for (let i = 0; i < dim; i++) xTrial[i] = x[i] + step * direction[i];
      const v = f(xTrial, gTrial);
      return [v, dot(gTrial, direction)];
    };
    let accepted = false;
    let acceptedValue = phi0;
    const zoom = (loIn: number, phiLoIn: number, dphiLoIn: number, hiIn: number, phiHiIn: number, dphiHiIn: number): void => {
      let lo = loIn, phiLo = phiLoIn, dphiLo = dphiLoIn, hi = hiIn, phiHi = phiHiIn, dphiHi = dphiHiIn;
      for (let j = 0; j < 40; j++) {
        const a = interpolate(lo, phiLo, dphiLo, hi, phiHi, dphiHi);
        const [phi, dphi] = trial(a);
        if (approximateWolfe(phi, dphi)) {
          accepted = true;
          acceptedValue = phi;
          return;
        }
        if (phi > phi0 + c1 * a * slope || phi >= phiLo) {
          hi = a;
          phiHi = phi;
          dphiHi = dphi;
        } else {
          if (Math.abs(dphi) <= -c2 * slope) {
            accepted = true;
            acceptedValue = phi;
            return;
          }
          if (dphi * (hi - lo) >= 0) {
            hi = lo;
            phiHi = phiLo;
            dphiHi = dphiLo;
          }
          lo = a;
          phiLo = phi;
          dphiLo = dphi;
        }
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      }
      // interval exhausted: take the best decreasing point found, if any
      if (lo > 0 && phiLo < phi0) {
        trial(lo);
        accepted = true;
        acceptedValue = phiLo;
      }
    };
    let previous = 0;
    let phiPrevious = phi0;
    let dphiPrevious = slope;
    let step = 1;
    for (let j = 0; j < 40 && !accepted; j++) {
      const [phi, dphi] = trial(step);
      if (approximateWolfe(phi, dphi)) {
        accepted = true;
        acceptedValue = phi;
        break;
      }
      if (!Number.isFinite(phi) || phi > phi0 + c1 * step * slope || (j > 0 && phi >= phiPrevious)) {
        zoom(previous, phiPrevious, dphiPrevious, step, Number.isFinite(phi) ? phi : Infinity, Number.isFinite(dphi) ? dphi : Infinity);
        break;
      }
      if (Math.abs(dphi) <= -c2 * slope) {
        accepted = true;
        acceptedValue = phi;
        break;
      }
      if (dphi >= 0) {
        zoom(step, phi, dphi, previous, phiPrevious, dphiPrevious);
        break;
      }
      previous = step;
      phiPrevious = phi;
      dphiPrevious = dphi;
      step *= 2;
    }
    if (!accepted) break; // no step satisfies the conditions: no further progress is possible in floating point
    iterations++;

    // xTrial and gTrial hold the accepted point: record the correction pair and move there
    const sk = new Float64Array(dim);
    const yk = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      sk[i] = xTrial[i] - x[i];
      yk[i] = gTrial[i] - g[i];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-300) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    x.set(xTrial);
    [g, gTrial] = [gTrial, g];
    value = acceptedValue;
    gNorm = maxAbs(g);
  }
  return { value, iterations, converged: gNorm <= options.gradientTolerance, gradientNorm: gNorm };
}

/** A step inside (lo, hi) from the cubic through both ends' values and slopes, kept away from the ends. */
function interpolate(lo: number, phiLo: number, dphiLo: number, hi: number, phiHi: number, dphiHi: number): number {
  const left = Math.min(lo, hi);
  const width = Math.abs(hi - lo);
  let a = NaN;
  if (Number.isFinite(phiHi) && Number.isFinite(dphiHi)) {
    const d1 = dphiLo + dphiHi - (3 * (phiLo - phiHi)) / (lo - hi);
    const disc = d1 * d1 - dphiLo * dphiHi;
    if (disc >= 0) {
      const d2 = Math.sign(hi - lo) * Math.sqrt(disc);
      a = hi - ((hi - lo) * (dphiHi + d2 - d1)) / (dphiHi - dphiLo + 2 * d2);
    }
  }
  if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) a = (lo + hi) / 2;
  return a;
}
