import { describe, expect, it } from 'vitest';
import {
  amplitudeUvForImpedance,
  impedanceKOhmFromAmplitude,
  impedanceQuality,
  measureImpedance,
  toneAmplitude,
} from '../../../../electron/common/boards/cyton-impedance.js';
import { Random } from '../../../../electron/common/random.js';

describe('impedance from the 31.25 Hz lead-off tone', () => {
  it('is √2·Vrms / 6 nA − 2.2 kΩ', () => {
    // 10 kΩ electrode + 2.2 kΩ series: 12.2 kΩ × 6 nA = 73.2 µV peak
    expect(amplitudeUvForImpedance(10)).toBeCloseTo(73.2, 9);
    expect(impedanceKOhmFromAmplitude(73.2)).toBeCloseTo(10, 9);
    expect(impedanceKOhmFromAmplitude(5)).toBe(0);
  });

  it('measures the tone amplitude under drift, noise and other rhythms', () => {
    const rng = new Random(3);
    for (const rate of [250, 125]) {
      const n = Math.round(1.5 * rate);
      const x = new Float64Array(n);
      const amp = amplitudeUvForImpedance(27);
      for (let i = 0; i < n; i++) {
        const t = i / rate;
        x[i] = 5000 + 300 * t + amp * Math.sin(2 * Math.PI * 31.25 * t + 1.1) + 20 * Math.sin(2 * Math.PI * 10 * t) + 10 * Math.sin(2 * Math.PI * 50 * t) + 2 * rng.nextGaussian();
      }
      const a = toneAmplitude(x, n, rate, 31.25);
      expect(a / amp).toBeGreaterThan(0.97);
      expect(a / amp).toBeLessThan(1.03);
      const reading = measureImpedance(x, n, { channel: 3, label: 'C3', sampleRateHz: rate, fullScaleUv: 187500 });
      expect(reading.impedanceKOhm).toBeGreaterThan(25);
      expect(reading.impedanceKOhm).toBeLessThan(29);
      expect(reading.quality).toBe('fair');
      expect(reading.railed).toBe(false);
    }
  });

  it('reads interleaved rows directly, and flags a railed channel as bad', () => {
    const width = 11;
    const n = 250;
    const rows = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      rows[i * width + 2] = amplitudeUvForImpedance(4) * Math.sin((2 * Math.PI * i) / 8);
      rows[i * width + 5] = 187000;
    }
    const good = measureImpedance(rows, n, { channel: 3, label: 'C3', sampleRateHz: 250, fullScaleUv: 187500, offset: 2, stride: width });
    expect(good.impedanceKOhm).toBeCloseTo(4, 4);
    expect(good.quality).toBe('good');
    const railed = measureImpedance(rows, n, { channel: 6, label: 'P8', sampleRateHz: 250, fullScaleUv: 187500, offset: 5, stride: width });
    expect(railed).toMatchObject({ railed: true, quality: 'bad' });
    expect(impedanceQuality(9.99)).toBe('good');
    expect(impedanceQuality(10)).toBe('fair');
    expect(impedanceQuality(50)).toBe('bad');
    expect(impedanceQuality(Number.NaN)).toBe('bad');
  });
});
