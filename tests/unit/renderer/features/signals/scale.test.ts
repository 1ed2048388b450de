// The time series' scale ladder and autoscale.
import { describe, expect, it } from 'vitest';
import { autoscaleGlobal, scaleForPeakToPeak, stepScale } from '../../../../../renderer/features/signals/scale.js';

describe('scale', () => {
  it('steps along the 1-2-5 ladder and clamps at its ends', () => {
    expect(stepScale(100, 1)).toBe(200);
    expect(stepScale(100, -1)).toBe(50);
    expect(stepScale(75, 0)).toBe(100);
    expect(stepScale(1, -1)).toBe(1);
    expect(stepScale(500_000, 1)).toBe(500_000);
  });

  it('autoscales to the median channel', () => {
    expect(scaleForPeakToPeak(42)).toBe(50);
    expect(scaleForPeakToPeak(0)).toBeNull();
    expect(autoscaleGlobal([30, 45, 80, NaN, 375_000])).toBe(100);
    expect(autoscaleGlobal([])).toBeNull();
  });
});
