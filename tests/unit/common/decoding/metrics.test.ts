// Decoding metrics: the stratified folds' deal, the confusion matrix, kappa and ITR against values
// worked out by hand and against scikit-learn's cohen_kappa_score.
import { describe, expect, it } from 'vitest';
import { accuracyOf, argmax, cohenKappa, confusionMatrix, metricsOf, stratifiedFolds, wolpawItr } from '../../../../electron/common/decoding/metrics.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { pythonHas, runPython } from '../../../support/python.js';

function labelsOf(perClass: number[]): Int32Array {
  return Int32Array.from(perClass.flatMap((n, c) => new Array<number>(n).fill(c)));
}

describe('stratifiedFolds', () => {
  it('deals each class evenly over the folds, fold sizes within one of each other', () => {
    const labels = labelsOf([23, 17, 9]);
    const k = 5;
    const folds = stratifiedFolds(labels, 3, k, 42);
    const sizes = new Array<number>(k).fill(0);
    const perClass = Array.from({ length: 3 }, () => new Array<number>(k).fill(0));
    folds.forEach((f, i) => {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(k);
      sizes[f]++;
      perClass[labels[i]][f]++;
    });
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const [c, n] of [23, 17, 9].entries()) {
      for (const m of perClass[c]) expect([Math.floor(n / k), Math.ceil(n / k)]).toContain(m);
    }
  });

  it('is a function of the seed: the same seed gives the same folds, another seed others', () => {
    const labels = labelsOf([30, 30]);
    expect(stratifiedFolds(labels, 2, 5, 42)).toEqual(stratifiedFolds(labels, 2, 5, 42));
    expect(stratifiedFolds(labels, 2, 5, 42)).not.toEqual(stratifiedFolds(labels, 2, 5, 43));
  });

  it('carries the round-robin counter from one class to the next (documented deal)', () => {
    // 3 + 3 epochs in 2 folds: class 0 takes folds 0,1,0; class 1 goes on from the counter: 1,0,1
    const folds = stratifiedFolds(labelsOf([3, 3]), 2, 2, 1);
    const count = (c: number, f: number) => [...folds].filter((x, i) => (i < 3 ? 0 : 1) === c && x === f).length;
    expect([count(0, 0), count(0, 1), count(1, 0), count(1, 1)]).toEqual([2, 1, 1, 2]);
  });

  it('refuses fewer epochs of a class than folds, and fewer than 2 folds, with sentences', () => {
    expect(() => stratifiedFolds(labelsOf([10, 3]), 2, 5, 1, ['left', 'right'])).toThrow(/class right has 3 epochs, fewer than the 5 folds/);
    expect(() => stratifiedFolds(labelsOf([10, 10]), 2, 1, 1)).toThrow(EngineError);
  });
});

describe('confusion, accuracy, kappa', () => {
  it('counts rows as the true class and columns as the predicted one', () => {
    const m = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], 3);
    expect(m).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
    expect(accuracyOf(m)).toBeCloseTo(4 / 6, 15);
  });

  it('kappa matches values worked out by hand', () => {
    // p_o = 35/50 = 0.7; p_e = (25·30 + 25·20)/50² = 0.5; κ = 0.2/0.5 = 0.4
    expect(cohenKappa([[20, 5], [10, 15]])).toBeCloseTo(0.4, 15);
    expect(cohenKappa([[10, 0], [0, 10]])).toBe(1);
    // chance agreement only: κ = 0
    expect(cohenKappa([[5, 5], [5, 5]])).toBeCloseTo(0, 15);
    // undefined (one class in truth and prediction alike)
    expect(cohenKappa([[7, 0], [0, 0]])).toBeNaN();
  });

  it.runIf(pythonHas('sklearn'))('kappa matches scikit-learn cohen_kappa_score', () => {
    const truth = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 1, 2, 2, 1, 0];
    const pred = [0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 2, 2, 0, 0, 2, 1, 1, 0];
    const expected = runPython<number>('import sys,json; from sklearn.metrics import cohen_kappa_score as k; a=json.loads(sys.argv[1]); print(json.dumps(k(a[0],a[1])))', [JSON.stringify([truth, pred])]);
    expect(cohenKappa(confusionMatrix(truth, pred, 3))).toBeCloseTo(expected, 12);
  });

  it('argmax takes the first of equal values and never a NaN', () => {
    expect(argmax([0.2, 0.5, 0.5])).toBe(1);
    expect(argmax([Number.NaN, 0.1, 0.3])).toBe(2);
    expect(argmax(Float64Array.of(9, 0.1, 0.9, 0.3, 9), 1, 3)).toBe(1);
  });
});

describe('Wolpaw information transfer rate', () => {
  it('matches the formula worked out by hand', () => {
    // 2 classes at 90 %: 1 + 0.9 log2 0.9 + 0.1 log2 0.1 = 0.531004 bits; 4 s trials: × 15 per minute
    const itr = wolpawItr(2, 0.9, 4);
    expect(itr.bitsPerTrial).toBeCloseTo(0.5310044064107189, 12);
    expect(itr.bitsPerMinute).toBeCloseTo(0.5310044064107189 * 15, 10);
    expect(wolpawItr(4, 1, 2).bitsPerTrial).toBe(2);
    expect(wolpawItr(4, 1, 2).bitsPerMinute).toBe(60);
    // 3 classes at 80 %: log2 3 + 0.8 log2 0.8 + 0.2 log2 0.1
    expect(wolpawItr(3, 0.8, 1).bitsPerTrial).toBeCloseTo(Math.log2(3) + 0.8 * Math.log2(0.8) + 0.2 * Math.log2(0.1), 12);
  });

  it('is zero at or below chance', () => {
    expect(wolpawItr(2, 0.5, 4).bitsPerTrial).toBe(0);
    expect(wolpawItr(3, 0.2, 4).bitsPerTrial).toBe(0);
    expect(() => wolpawItr(2, 0.9, 0)).toThrow(/above 0 s/);
  });

  it('metricsOf gathers accuracy, kappa and ITR from one confusion matrix', () => {
    const m = metricsOf(['left', 'right'], [[20, 5], [10, 15]], 4);
    expect(m).toMatchObject({ trials: 50, correct: 35, accuracy: 0.7 });
    expect(m.kappa).toBeCloseTo(0.4, 15);
    expect(m.itr.bitsPerTrial).toBeCloseTo(wolpawItr(2, 0.7, 4).bitsPerTrial, 15);
  });
});
