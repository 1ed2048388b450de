import { describe, expect, it } from 'vitest';
import { RollingPercentiles } from '../../../electron/common/rolling-stats.js';

describe('RollingPercentiles', () => {
  it('gives nearest-rank percentiles over the window and the all-time max', () => {
    const p = new RollingPercentiles(100);
    for (let i = 1; i <= 100; i++) p.record(i);
    expect(Array.from(p.percentiles([50, 99, 100]))).toEqual([50, 99, 100]);
    for (let i = 0; i < 100; i++) p.record(1);
    expect(Array.from(p.percentiles([50, 99]))).toEqual([1, 1]);
    expect(p.max).toBe(100);
    expect(p.recorded).toBe(200);
  });

  it('is NaN when empty', () => {
    expect(Number.isNaN(new RollingPercentiles(4).percentiles([50])[0])).toBe(true);
  });
});
