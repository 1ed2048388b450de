// How well a decoder does: seeded stratified k-fold splits, the confusion matrix, accuracy,
// Cohen's kappa and Wolpaw's information transfer rate. Pure functions of their inputs (the folds
// of a seed) so that a training report can be reproduced and checked against scikit-learn.

import { Random } from '../random.js';
import { EngineError } from '../contract/failure.js';

/** The Random stream the folds are drawn from (so that a decoder's own draws from the same seed differ). */
const FOLD_STREAM = 0x4f4c44; // "OLD" of fOLD

/**
 * Stratified k-fold: the fold (0..k-1) of each epoch; epoch i is tested in fold `folds[i]` and
 * trained on in every other. How classes are dealt to folds:
 *   1. one generator, `Random(seed, FOLD_STREAM)`;
 *   2. for each class in class order, the indices of its epochs (in epoch order) are shuffled by
 *      Fisher-Yates (`for i from n-1 down to 1: swap(i, nextInt(i + 1))`);
 *   3. the shuffled epochs are dealt round-robin, `fold = counter % k; counter++`, with one counter
 *      that carries on from one class to the next (not restarted at 0).
 * So each class has ⌊n_c/k⌋ or ⌈n_c/k⌉ epochs in every fold, and fold sizes differ by at most one.
 * Every class needs at least k epochs (so that every fold tests every class).
 */
export function stratifiedFolds(labels: Int32Array, classCount: number, k: number, seed: number, classes?: readonly string[]): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new EngineError('invalid-request', `cross-validation needs at least 2 folds, got ${k}`);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < classCount)) throw new RangeError(`epoch ${i} has label ${c}, outside 0..${classCount - 1}`);
    byClass[c].push(i);
  }
  for (let c = 0; c < classCount; c++) {
    const n = byClass[c].length;
    if (n < k) {
      const name = classes?.[c] ?? String(c);
      throw new EngineError('invalid-request', `class ${name} has ${n} epoch${n === 1 ? '' : 's'}, fewer than the ${k} folds: record more trials of it or use fewer folds`);
    }
  }
  const random = new Random(seed, FOLD_STREAM);
  const folds = new Int32Array(labels.length);
  let counter = 0;
  for (const members of byClass) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      const t = members[i];
      members[i] = members[j];
      members[j] = t;
    }
    for (const epoch of members) folds[epoch] = counter++ % k;
  }
  return folds;
}

/** Index of the largest value (the first on a tie; NaN never wins): the predicted class of a probability vector. */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[offset + i];
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best < 0 ? 0 : best;
}

/** Confusion matrix: `confusion[t][p]` counts epochs of true class t predicted as p (rows in the order of `classes`). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  if (truth.length !== predicted.length) throw new RangeError(`confusion: ${truth.length} true labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][predicted[i]]++;
  return m;
}

/** Adds `b` into `a` (same size), e.g. to pool the folds of a cross-validation. */
export function addConfusion(a: number[][], b: readonly (readonly number[])[]): void {
  for (let t = 0; t < a.length; t++) for (let p = 0; p < a.length; p++) a[t][p] += b[t][p];
}

export function confusionTotal(confusion: readonly (readonly number[])[]): number {
  let n = 0;
  for (const row of confusion) for (const v of row) n += v;
  return n;
}

export function confusionCorrect(confusion: readonly (readonly number[])[]): number {
  let n = 0;
  for (let i = 0; i < confusion.length; i++) n += confusion[i][i];
  return n;
}

/** Fraction of epochs on the diagonal (0-1); NaN for an empty matrix. */
export function accuracyOf(confusion: readonly (readonly number[])[]): number {
  const n = confusionTotal(confusion);
  return n === 0 ? Number.NaN : confusionCorrect(confusion) / n;
}

/**
 * Cohen's kappa, `(p_o - p_e) / (1 - p_e)` with `p_e = Σ_k rowSum_k · colSum_k / n²` (as scikit-learn's
 * `cohen_kappa_score` without weights). NaN where it is undefined (p_e = 1: one class only, both
 * in truth and prediction) or for an empty matrix.
 */
export function cohenKappa(confusion: readonly (readonly number[])[]): number {
  const n = confusionTotal(confusion);
  if (n === 0) return Number.NaN;
  const k = confusion.length;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += confusion[c][j];
      col += confusion[j][c];
    }
    expected += (row * col) / (n * n);
  }
  const observed = confusionCorrect(confusion) / n;
  if (expected >= 1) return Number.NaN;
  return (observed - expected) / (1 - expected);
}

export interface InformationTransferRate {
  readonly bitsPerTrial: number;
  readonly bitsPerMinute: number;
  /** The trial length the rate is for (seconds per selection). */
  readonly trialSec: number;
}

/**
 * Wolpaw's information transfer rate for N classes at accuracy P:
 * `B = log2 N + P log2 P + (1 - P) log2((1 - P) / (N - 1))` bits per trial (log2 N at P = 1; 0 at
 * or below chance, P ≤ 1/N, where the formula no longer means anything), and `B · 60 / trialSec`
 * bits per minute.
 */
export function wolpawItr(classCount: number, accuracy: number, trialSec: number): InformationTransferRate {
  if (!(trialSec > 0)) throw new RangeError(`the trial length must be above 0 s, got ${trialSec}`);
  const n = classCount;
  const p = accuracy;
  let bits: number;
  if (!(n >= 2) || !(p > 1 / n)) bits = 0;
  else if (p >= 1) bits = Math.log2(n);
  else bits = Math.log2(n) + p * Math.log2(p) + (1 - p) * Math.log2((1 - p) / (n - 1));
  return { bitsPerTrial: bits, bitsPerMinute: (bits * 60) / trialSec, trialSec };
}

/** Accuracy, kappa and ITR of a confusion matrix, as reports carry them. */
export interface ClassificationMetrics {
  readonly classes: readonly string[];
  /** Rows: true class, columns: predicted class, both in the order of `classes`. */
  readonly confusion: number[][];
  readonly trials: number;
  readonly correct: number;
  /** 0-1 (NaN with no trials). */
  readonly accuracy: number;
  /** NaN where undefined. */
  readonly kappa: number;
  readonly itr: InformationTransferRate;
}

export function metricsOf(classes: readonly string[], confusion: number[][], trialSec: number): ClassificationMetrics {
  const trials = confusionTotal(confusion);
  const accuracy = accuracyOf(confusion);
  return {
    classes,
    confusion,
    trials,
    correct: confusionCorrect(confusion),
    accuracy,
    kappa: cohenKappa(confusion),
    itr: wolpawItr(classes.length, trials ? accuracy : 0, trialSec),
  };
}
