// The training report as the screen shows it: the figures a trained model comes with (accuracy,
// Cohen's kappa, the confusion matrix with rows = true class, the information transfer rate, and
// for gradient-trained models the loss and accuracy per epoch) turned into text, table rows and
// SVG paths. The report is plain typed input: whatever trains a model (a command on another
// branch) hands one over. Pure: no DOM.

import type { EpochCurvePoint } from '../../../electron/common/decoding/decoder.js';

export type { EpochCurvePoint } from '../../../electron/common/decoding/decoder.js';

export interface TrainingReport {
  /** The decoder's kind or name ("csp-lda"). */
  readonly decoder: string;
  readonly classes: readonly string[];
  /** Cross-validated accuracy, a fraction 0-1. */
  readonly accuracy: number;
  readonly kappa: number;
  /** Trials (epochs) the figures are over. */
  readonly trials: number;
  /** Folds of the cross-validation (absent: a held-out or training-set figure). */
  readonly folds?: number;
  /** Counts, rows = true class, columns = predicted, both in the order of `classes`. */
  readonly confusion: readonly (readonly number[])[];
  /** Wolpaw's information transfer rate for the trial length (bits/min). */
  readonly itrBitsPerMin?: number;
  /** Epochs rejected before training (gaps, lost samples, railed channels). */
  readonly rejectedTrials?: number;
  /** Per-epoch learning curves of a gradient-trained decoder. */
  readonly curve?: readonly EpochCurvePoint[];
}

export interface MatrixCell {
  readonly count: number;
  /** Of the row (the true class): 0-1, NaN for an empty row. */
  readonly fraction: number;
  readonly diagonal: boolean;
}

export interface MatrixRow {
  readonly label: string;
  readonly cells: readonly MatrixCell[];
  readonly total: number;
  /** Recall of this class: right / total (NaN for an empty row). */
  readonly recall: number;
}

export interface CurveView {
  readonly epochs: number;
  /** Both losses share one axis, from 0 to the largest loss. */
  readonly lossMax: number;
  readonly paths: {
    readonly trainLoss: string;
    readonly validationLoss: string;
    readonly trainAccuracy: string;
    readonly validationAccuracy: string;
  };
  /** The epoch with the best validation accuracy (1-based), and that accuracy. */
  readonly best: { readonly epoch: number; readonly accuracy: number };
}

export interface TrainingReportView {
  /** "83.3% (25 of 30 trials, 5-fold cross-validation)". */
  readonly headline: string;
  /** "chance 33.3%". */
  readonly chance: string;
  /** "κ 0.75". */
  readonly kappa: string;
  readonly itr: string | null;
  readonly rejected: string | null;
  readonly columns: readonly string[];
  readonly rows: readonly MatrixRow[];
  /** The matrix does not add up to the trials (a report to read with care). */
  readonly inconsistent: string | null;
  readonly curves: CurveView | null;
}

/** Width and height of the learning-curve drawings (SVG user units). */
export const CURVE_WIDTH = 300;
export const CURVE_HEIGHT = 90;

const percent = (f: number): string => (Number.isFinite(f) ? `${(f * 100).toFixed(1)}%` : '—');

export function trainingReportView(report: TrainingReport): TrainingReportView {
  const k = report.classes.length;
  const rows: MatrixRow[] = report.classes.map((label, r) => {
    const counts = report.confusion[r] ?? [];
    const total = counts.reduce((a, b) => a + b, 0);
    const cells = report.classes.map((_, c): MatrixCell => {
      const count = counts[c] ?? 0;
      return { count, fraction: total > 0 ? count / total : Number.NaN, diagonal: r === c };
    });
    return { label, cells, total, recall: total > 0 ? (counts[r] ?? 0) / total : Number.NaN };
  });
  const matrixTotal = rows.reduce((a, r) => a + r.total, 0);
  const right = rows.reduce((a, r, i) => a + r.cells[i].count, 0);
  const how = report.folds ? `, ${report.folds}-fold cross-validation` : '';
  const rightOf = report.trials > 0 ? `${Math.round(report.accuracy * report.trials)} of ${report.trials} trials` : 'no trials';
  let inconsistent: string | null = null;
  if (report.confusion.length !== k || report.confusion.some((row) => row.length !== k)) inconsistent = `the confusion matrix is not ${k} × ${k}`;
  else if (matrixTotal !== report.trials) inconsistent = `the confusion matrix counts ${matrixTotal} trials, the report ${report.trials}`;
  else if (matrixTotal > 0 && Math.abs(right / matrixTotal - report.accuracy) > 0.005) inconsistent = `the matrix's diagonal gives ${percent(right / matrixTotal)}, the report ${percent(report.accuracy)}`;
  return {
    headline: `${percent(report.accuracy)} (${rightOf}${how})`,
    chance: k > 0 ? `chance ${percent(1 / k)}` : '',
    kappa: `κ ${Number.isFinite(report.kappa) ? report.kappa.toFixed(2) : '—'}`,
    itr: report.itrBitsPerMin !== undefined && Number.isFinite(report.itrBitsPerMin) ? `${report.itrBitsPerMin.toFixed(1)} bits/min` : null,
    rejected: report.rejectedTrials ? `${report.rejectedTrials} trial${report.rejectedTrials === 1 ? '' : 's'} rejected (gaps, lost samples or railed channels)` : null,
    columns: report.classes,
    rows,
    inconsistent,
    curves: report.curve && report.curve.length > 0 ? curveView(report.curve) : null,
  };
}

function curveView(curve: readonly EpochCurvePoint[]): CurveView {
  const lossMax = Math.max(1e-9, ...curve.flatMap((p) => [p.trainLoss, p.validationLoss].filter(Number.isFinite)));
  const epochs = curve.length;
  const path = (pick: (p: EpochCurvePoint) => number, yMax: number) => curvePath(curve.map(pick), 0, yMax, CURVE_WIDTH, CURVE_HEIGHT);
  let best = { epoch: 1, accuracy: -Infinity };
  curve.forEach((p, i) => {
    if (p.validationAccuracy > best.accuracy) best = { epoch: i + 1, accuracy: p.validationAccuracy };
  });
  return {
    epochs,
    lossMax,
    paths: {
      trainLoss: path((p) => p.trainLoss, lossMax),
      validationLoss: path((p) => p.validationLoss, lossMax),
      trainAccuracy: path((p) => p.trainAccuracy, 1),
      validationAccuracy: path((p) => p.validationAccuracy, 1),
    },
    best: { epoch: best.epoch, accuracy: Number.isFinite(best.accuracy) ? best.accuracy : Number.NaN },
  };
}

/**
 * An SVG path through `values` (one per epoch, evenly spaced across `width`), y from `yMin` at the
 * bottom to `yMax` at the top of `height`. A value that is not finite breaks the line. Coordinates
 * are rounded to 0.1 unit.
 */
export function curvePath(values: readonly number[], yMin: number, yMax: number, width: number, height: number): string {
  const n = values.length;
  const span = yMax - yMin || 1;
  const r = (v: number) => Math.round(v * 10) / 10;
  let out = '';
  let pen = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    const x = n === 1 ? width / 2 : (i / (n - 1)) * width;
    const clamped = Math.min(yMax, Math.max(yMin, v));
    const y = height - ((clamped - yMin) / span) * height;
    out += `${out === '' ? '' : ' '}${pen ? 'L' : 'M'}${r(x)} ${r(y)}`;
    pen = true;
  }
  return out;
}
