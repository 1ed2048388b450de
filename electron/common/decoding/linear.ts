// A fitted linear classifier as scikit-learn's LinearClassifierMixin holds one (LDA and logistic
// regression both end here): its decision function and probabilities, allocation-free, and its
// JSON form. Two classes: one row of coefficients, decision d = w·x + b for the second class,
// probabilities [1 − σ(d), σ(d)]. More classes: one row per class, probabilities softmax(W x + b).

import type { JsonValue } from './decoder.js';

export interface LinearModel {
  readonly classCount: number;
  readonly featureCount: number;
  /** Row-major rows × featureCount; rows = 1 for two classes, else classCount. */
  readonly coef: Float64Array;
  /** One per row. */
  readonly intercept: Float64Array;
}

export function linearRowCount(classCount: number): number {
  return classCount === 2 ? 1 : classCount;
}

/** Decision values (one per row) of features `x[offset … offset + featureCount)` into `out`. Allocates nothing. */
export function linearDecision(model: LinearModel, x: Float64Array, offset: number, out: Float64Array): void {
  const p = model.featureCount;
  const rows = linearRowCount(model.classCount);
  for (let r = 0; r < rows; r++) {
    let s = model.intercept[r];
    const base = r * p;
    for (let j = 0; j < p; j++) s += model.coef[base + j] * x[offset + j];
    out[r] = s;
  }
}

/** The logistic function 1 / (1 + e^-d), without overflow for large |d|. */
export function expit(d: number): number {
  if (d >= 0) return 1 / (1 + Math.exp(-d));
  const z = Math.exp(d);
  return z / (1 + z);
}

/** In place over out[0 … count): softmax, shifted by the maximum as scipy.special.softmax. */
export function softmaxInPlace(out: Float64Array, count: number): void {
  softmaxInto(out, out, count);
}

/** Softmax of logits[0 … count) into out[0 … count) (out may be logits), shifted by the maximum for stability. Allocates nothing. */
export function softmaxInto(logits: Float64Array, out: Float64Array, count: number): void {
  let max = -Infinity;
  for (let k = 0; k < count; k++) if (logits[k] > max) max = logits[k];
  let sum = 0;
  for (let k = 0; k < count; k++) {
    out[k] = Math.exp(logits[k] - max);
    sum += out[k];
  }
  for (let k = 0; k < count; k++) out[k] /= sum;
}

/** Class probabilities of features `x[offset …]` into out[0 … classCount), as scikit-learn's predict_proba. Allocates nothing. */
export function linearProba(model: LinearModel, x: Float64Array, offset: number, out: Float64Array): void {
  linearDecision(model, x, offset, out);
  if (model.classCount === 2) {
    const p1 = expit(out[0]);
    out[0] = 1 - p1;
    out[1] = p1;
  } else {
    softmaxInPlace(out, model.classCount);
  }
}

export function linearModelToJSON(model: LinearModel): JsonValue {
  const rows = linearRowCount(model.classCount);
  const coef: number[][] = [];
  for (let r = 0; r < rows; r++) coef.push(Array.from(model.coef.subarray(r * model.featureCount, (r + 1) * model.featureCount)));
  return { coef, intercept: Array.from(model.intercept) };
}

/** Reads a linear model back; `what` names it in the refusals (e.g. "the csp-lda model's classifier"). */
export function linearModelFromJSON(json: JsonValue | undefined, classCount: number, featureCount: number, what: string): LinearModel {
  if (!isRecord(json)) throw new RangeError(`${what} is missing or not an object`);
  const rows = linearRowCount(classCount);
  const coef = numberMatrix(json.coef, rows, featureCount, `${what}'s coef`);
  const intercept = numberVector(json.intercept, rows, `${what}'s intercept`);
  return { classCount, featureCount, coef, intercept };
}

export function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON array of `length` finite numbers as a Float64Array, or a sentence saying what is wrong. */
export function numberVector(value: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(value)) throw new RangeError(`${what} must be an array of ${length} numbers`);
  if (value.length !== length) throw new RangeError(`${what} has ${value.length} numbers where ${length} are expected`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what}[${i}] is not a finite number`);
    out[i] = v;
  }
  return out;
}

/** A JSON array of `rows` arrays of `columns` finite numbers, row-major, or a sentence. */
export function numberMatrix(value: unknown, rows: number, columns: number, what: string): Float64Array {
  if (!Array.isArray(value)) throw new RangeError(`${what} must be ${rows} rows of ${columns} numbers`);
  if (value.length !== rows) throw new RangeError(`${what} has ${value.length} rows where ${rows} are expected`);
  const out = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) out.set(numberVector(value[r], columns, `${what}[${r}]`), r * columns);
  return out;
}

export function matrixToJSON(values: Float64Array, rows: number, columns: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from(values.subarray(r * columns, (r + 1) * columns)));
  return out;
}
