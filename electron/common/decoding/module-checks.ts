// What the decoder modules share around their numerics: reading options from an untyped request
// (CLI flags arrive as strings, a model file as JSON) with refusals that are sentences, and
// checking an EpochSet before a fit.

import type { EpochSet } from './decoder.js';

/** The options object of a request: undefined/null mean "all defaults"; unknown keys are refused. */
export function optionRecord(input: unknown, kind: string, known: readonly string[]): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new RangeError(`${kind} options must be an object such as { ${known.map((k) => `"${k}": …`).join(', ')} }`);
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) throw new RangeError(`${kind} has no option "${key}": its options are ${known.join(', ')}`);
  }
  return record;
}

/** A number given as a number or a numeric string (a CLI flag); null when it is neither. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Checks an EpochSet for fitting: shapes, finite samples, labels naming classes, at least two
 * classes, and at least `minPerClass` epochs of every class. Returns the epochs per class.
 */
export function checkEpochSet(set: EpochSet, kind: string, minPerClass = 2): Int32Array {
  const { channelCount, rowCount, epochs, labels, classes } = set;
  if (!Number.isInteger(channelCount) || channelCount < 1) throw new RangeError(`${kind}: the epochs need at least one channel (got ${String(channelCount)})`);
  if (!Number.isInteger(rowCount) || rowCount < 2) throw new RangeError(`${kind}: an epoch needs at least two samples (got ${String(rowCount)}): widen the epoch window`);
  if (classes.length < 2) throw new RangeError(`${kind} needs at least two classes (got ${classes.length}: ${classes.join(', ') || 'none'})`);
  if (labels.length !== epochs.length) throw new RangeError(`${kind}: ${labels.length} labels for ${epochs.length} epochs`);
  const counts = new Int32Array(classes.length);
  epochs.forEach((epoch, i) => {
    if (epoch.length !== channelCount * rowCount) throw new RangeError(`${kind}: epoch ${i} holds ${epoch.length} values, ${channelCount} channels × ${rowCount} samples = ${channelCount * rowCount} expected`);
    for (let k = 0; k < epoch.length; k++) {
      if (!Number.isFinite(epoch[k])) throw new RangeError(`${kind}: epoch ${i} has a sample that is not a finite number (NaN or infinite): reject that epoch or fix the recording`);
    }
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes.length) throw new RangeError(`${kind}: epoch ${i} has label ${y}, which names none of the ${classes.length} classes`);
    counts[y]++;
  });
  classes.forEach((name, k) => {
    if (counts[k] < minPerClass) throw new RangeError(`${kind}: class "${name}" has ${counts[k]} epoch${counts[k] === 1 ? '' : 's'}; at least ${minPerClass} per class are needed to train`);
  });
  return counts;
}

/** Refuses a window of the wrong size, naming what was expected. */
export function checkWindow(kind: string, window: Float64Array, channelCount: number, rowCount: number, out: Float64Array, classCount: number): void {
  if (window.length !== channelCount * rowCount) throw new RangeError(`${kind}: the window holds ${window.length} values, ${channelCount} channels × ${rowCount} samples = ${channelCount * rowCount} expected`);
  if (out.length < classCount) throw new RangeError(`${kind}: the output holds ${out.length} values, one per class (${classCount}) expected`);
}

/** Checks what fromJSON is given against the model's own shape. */
export function checkShape(kind: string, classes: readonly string[], channelCount: number, rowCount: number): void {
  if (classes.length < 2) throw new RangeError(`the ${kind} model needs at least two classes (got ${classes.length})`);
  if (!Number.isInteger(channelCount) || channelCount < 1) throw new RangeError(`the ${kind} model needs a positive channel count (got ${String(channelCount)})`);
  if (!Number.isInteger(rowCount) || rowCount < 2) throw new RangeError(`the ${kind} model needs a window of at least two samples (got ${String(rowCount)})`);
}
