// The impedance view's model: colours, text, merging per channel, the expected duration.
import { describe, expect, it } from 'vitest';
import { impedanceQuality } from '../../../../../electron/common/boards/cyton-impedance.js';
import { expectedMeasureSec, formatImpedance, mergeReadings, qualityCounts, qualityOf, readReadings } from '../../../../../renderer/features/amplifier/impedance-view.js';

describe('impedance view', () => {
  it('colours like the engine: good < 10 kΩ ≤ fair < 50 kΩ ≤ bad, railed is bad', () => {
    for (const k of [0, 4.9, 9.99, 10, 30, 49.9, 50, 400]) expect(qualityOf(k, false)).toBe(impedanceQuality(k));
    expect(qualityOf(5, true)).toBe('bad');
    expect(qualityOf(Number.NaN, false)).toBe('bad');
  });

  it('formats kΩ, MΩ and railed', () => {
    expect(formatImpedance(4.84, false)).toBe('4.8 kΩ');
    expect(formatImpedance(123.4, false)).toBe('123 kΩ');
    expect(formatImpedance(1500, false)).toBe('1.5 MΩ');
    expect(formatImpedance(8, true)).toBe('railed');
  });

  it('expects about 2 s per channel', () => {
    expect(expectedMeasureSec(1)).toBe(3);
    expect(expectedMeasureSec(8)).toBe(17);
  });

  it('reads a host answer, skipping malformed entries and filling in the quality', () => {
    const r = readReadings([{ channel: 1, label: 'Fp1', impedanceKOhm: 8, quality: 'good', railed: false }, { channel: 'x' }, null, { channel: 2, impedanceKOhm: 70, railed: false }], 1000);
    expect(r).toEqual([
      { channel: 1, label: 'Fp1', impedanceKOhm: 8, quality: 'good', railed: false, measuredAtMs: 1000 },
      { channel: 2, label: 'Ch 2', impedanceKOhm: 70, quality: 'bad', railed: false, measuredAtMs: 1000 },
    ]);
    expect(readReadings(undefined, 0)).toEqual([]);
  });

  it('measuring one channel keeps the others', () => {
    const all = readReadings([1, 2, 3].map((channel) => ({ channel, impedanceKOhm: 5 * channel, railed: false })), 1);
    const one = readReadings([{ channel: 2, impedanceKOhm: 60, railed: false }], 2);
    const merged = mergeReadings(all, one);
    expect(merged.map((r) => [r.channel, r.impedanceKOhm, r.measuredAtMs])).toEqual([
      [1, 5, 1],
      [2, 60, 2],
      [3, 15, 1],
    ]);
    expect(qualityCounts(merged)).toEqual({ good: 1, fair: 1, bad: 1 });
  });
});
