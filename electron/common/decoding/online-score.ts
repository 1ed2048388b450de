// Scoring online predictions against cues: for each cue of one of the model's classes, the
// prediction of the window that ends where the model's epoch window ends (the first prediction at
// or after the epoch's last row, no more than a step later) says which class was decoded. What
// `bci replay --model` reports as the online accuracy, and how the tests judge live decoding.

import { confusionMatrix } from './metrics.js';

export interface Cue {
  readonly sampleIndex: number;
  readonly label: string;
}

export interface OnlineScore {
  /** Rows: the cue's class, columns: the decoded class (both in the order of `classes`). */
  readonly confusion: number[][];
  /** Cues of the classes with no prediction at their window's end (a gap, the end of the stream). */
  readonly unscored: number;
}

/**
 * `predictionIndices` (ascending) are the sample indices of the predictions' windows' last rows,
 * `predictedClasses` their decoded classes; the window of a cue ends at
 * `cue + offsetRows + windowRows - 1`.
 */
export function scoreCues(
  cues: readonly Cue[],
  predictionIndices: ArrayLike<number>,
  predictedClasses: ArrayLike<number>,
  classes: readonly string[],
  window: { readonly offsetRows: number; readonly windowRows: number; readonly stepRows: number },
): OnlineScore {
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const truth: number[] = [];
  const decoded: number[] = [];
  let unscored = 0;
  for (const cue of cues) {
    const label = classOf.get(cue.label.trim());
    if (label === undefined) continue;
    const lastRow = cue.sampleIndex + window.offsetRows + window.windowRows - 1;
    // first prediction at or after lastRow (binary search)
    let lo = 0;
    let hi = predictionIndices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (predictionIndices[mid] < lastRow) lo = mid + 1;
      else hi = mid;
    }
    if (lo < predictionIndices.length && predictionIndices[lo] < lastRow + window.stepRows) {
      truth.push(label);
      decoded.push(predictedClasses[lo]);
    } else unscored++;
  }
  return { confusion: confusionMatrix(truth, decoded, classes.length), unscored };
}
