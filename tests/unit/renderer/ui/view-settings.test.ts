// Scale ladder, autostart URL parsing, status formats.
import { describe, expect, it } from 'vitest';
import { autoscaleGlobal, formatDb, formatRate, parseAutostart, scaleForPeakToPeak, stepScale } from '../../../../renderer/ui/view-settings.js';

describe('view settings', () => {
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

  it('parses the autostart request', () => {
    expect(parseAutostart('?token=abc')).toBeNull();
    expect(parseAutostart('?token=abc&autostart=synthetic')).toEqual({ options: { board: 'synthetic' } });
    expect(parseAutostart('?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60')).toEqual({
      options: { board: 'synthetic', channelCount: 16, sampleRateHz: 500, mode: 'mi', mainsHz: 60 },
    });
    expect(parseAutostart('?autostart=synthetic&channels=999&rate=abc')).toEqual({ options: { board: 'synthetic' } });
  });

  it('formats figures for the status bar', () => {
    expect(formatRate(249.96)).toBe('250.0 Hz');
    expect(formatRate(0)).toBe('— Hz');
    expect(formatDb(23.04)).toBe('+23.0 dB');
    expect(formatDb(-4.2)).toBe('−4.2 dB');
  });
});
