// How `bci train`, `bci evaluate` and `bci replay --model` print a classification: accuracy as a
// percentage with the number right, kappa, the ITR, and the confusion matrix with the true class
// down the side and the predicted class across the top.

import type { ClassificationMetrics, InformationTransferRate } from '../common/decoding/metrics.js';

export const percent = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
export const fixed = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

export function accuracyLine(m: ClassificationMetrics, trialsWord = 'trials'): string {
  return `accuracy ${percent(m.accuracy)} (${m.correct} of ${m.trials} ${trialsWord} right), kappa ${fixed(m.kappa, 3)}`;
}

export function itrLine(itr: InformationTransferRate): string {
  return `${fixed(itr.bitsPerTrial, 3)} bits/trial, ${fixed(itr.bitsPerMinute, 2)} bits/min (${fixed(itr.trialSec, 2)} s trials)`;
}

/** The confusion matrix as aligned text lines. */
export function confusionLines(classes: readonly string[], confusion: readonly (readonly number[])[], indent = '  '): string[] {
  const width = Math.max(5, ...classes.map((c) => c.length), ...confusion.flat().map((n) => String(n).length));
  const first = Math.max(...classes.map((c) => c.length), 4);
  const cell = (s: string) => s.padStart(width);
  return [
    'confusion (rows: true class, columns: predicted)',
    `${indent}${''.padEnd(first)}  ${classes.map(cell).join('  ')}`,
    ...classes.map((c, t) => `${indent}${c.padEnd(first)}  ${confusion[t].map((n) => cell(String(n))).join('  ')}`),
  ];
}
