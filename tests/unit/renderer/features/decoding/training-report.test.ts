// The training report's view model: headline figures, the confusion matrix rows, consistency
// checks, and the learning curves as SVG paths.
import { describe, expect, it } from 'vitest';
import { CURVE_HEIGHT, CURVE_WIDTH, curvePath, trainingReportView, type TrainingReport } from '../../../../../renderer/features/decoding/training-report.js';

const REPORT: TrainingReport = {
  decoder: 'csp-lda',
  classes: ['left', 'right', 'rest'],
  accuracy: 25 / 30,
  kappa: 0.75,
  trials: 30,
  folds: 5,
  confusion: [
    [9, 1, 0],
    [2, 8, 0],
    [0, 2, 8],
  ],
  itrBitsPerMin: 7.349,
};

describe('training report view', () => {
  it('says accuracy against chance, kappa and ITR', () => {
    const v = trainingReportView(REPORT);
    expect(v.headline).toBe('83.3% (25 of 30 trials, 5-fold cross-validation)');
    expect(v.chance).toBe('chance 33.3%');
    expect(v.kappa).toBe('κ 0.75');
    expect(v.itr).toBe('7.3 bits/min');
    expect(v.inconsistent).toBeNull();
    expect(v.curves).toBeNull();
    expect(trainingReportView({ ...REPORT, itrBitsPerMin: undefined, rejectedTrials: 1 })).toMatchObject({ itr: null, rejected: '1 trial rejected (gaps, lost samples or railed channels)' });
  });

  it('lays out the confusion matrix with rows = true class, shares of the row and recall', () => {
    const v = trainingReportView(REPORT);
    expect(v.columns).toEqual(['left', 'right', 'rest']);
    expect(v.rows.map((r) => r.label)).toEqual(['left', 'right', 'rest']);
    expect(v.rows[1]).toMatchObject({ total: 10, recall: 0.8 });
    expect(v.rows[1].cells.map((c) => c.count)).toEqual([2, 8, 0]);
    expect(v.rows[1].cells.map((c) => c.diagonal)).toEqual([false, true, false]);
    expect(v.rows[2].cells[1].fraction).toBeCloseTo(0.2, 12);
  });

  it('flags a report whose matrix does not add up', () => {
    expect(trainingReportView({ ...REPORT, trials: 31 }).inconsistent).toBe('the confusion matrix counts 30 trials, the report 31');
    expect(trainingReportView({ ...REPORT, accuracy: 0.9 }).inconsistent).toMatch(/diagonal gives 83\.3%, the report 90\.0%/);
    expect(trainingReportView({ ...REPORT, confusion: [[1, 2]] }).inconsistent).toBe('the confusion matrix is not 3 × 3');
    // an empty row is not a division by zero
    const empty = trainingReportView({ ...REPORT, trials: 20, accuracy: 17 / 20, confusion: [[9, 1, 0], [2, 8, 0], [0, 0, 0]] });
    expect(Number.isNaN(empty.rows[2].recall)).toBe(true);
  });

  it('draws learning curves as paths, losses on one axis, and finds the best validation epoch', () => {
    const curve = [0, 1, 2, 3].map((e) => ({ epoch: e + 1, trainLoss: 1 - e * 0.2, validationLoss: 1.2 - e * 0.1, trainAccuracy: 0.5 + e * 0.1, validationAccuracy: [0.5, 0.7, 0.65, 0.6][e] }));
    const v = trainingReportView({ ...REPORT, curve }).curves!;
    expect(v.epochs).toBe(4);
    expect(v.lossMax).toBeCloseTo(1.2, 12);
    expect(v.best).toEqual({ epoch: 2, accuracy: 0.7 });
    expect(v.paths.validationLoss.startsWith(`M0 0 L${CURVE_WIDTH / 3}`)).toBe(true);
    expect(v.paths.trainAccuracy).toBe(`M0 ${CURVE_HEIGHT / 2} L100 36 L200 27 L300 18`);
  });

  it('breaks a path at values that are not finite and centres a single point', () => {
    expect(curvePath([0, Number.NaN, 1, 1], 0, 1, 30, 10)).toBe('M0 10 M20 0 L30 0');
    expect(curvePath([0.5], 0, 1, 30, 10)).toBe('M15 5');
    expect(curvePath([2, -1], 0, 1, 10, 10)).toBe('M0 0 L10 10');
    expect(curvePath([], 0, 1, 10, 10)).toBe('');
  });
});
