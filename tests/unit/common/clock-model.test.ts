import { describe, expect, it } from 'vitest';
import { ClockModel } from '../../../electron/common/clock-model.js';
import { Random } from '../../../electron/common/random.js';

describe('ClockModel', () => {
  it('recovers the true rate and removes delivery jitter', () => {
    // a device whose crystal runs at 250.2 Hz, delivering 10-sample chunks with 0-8 ms of USB jitter
    const trueRateHz = 250.2;
    const clock = new ClockModel({ nominalRateHz: 250 });
    const rng = new Random(7);
    const t0 = 1_700_000_000_000;
    let worst = 0;
    for (let chunk = 1; chunk <= 3000; chunk++) {
      const last = chunk * 10 - 1;
      const trueMs = t0 + (last / trueRateHz) * 1000;
      clock.update(last, trueMs + 2 + rng.nextFloat() * 8);
      if (chunk > 500) worst = Math.max(worst, Math.abs(clock.timeOfSample(last) - trueMs - 6));
    }
    expect(clock.fittedRateHz).toBeCloseTo(trueRateHz, 2);
    // per-sample timestamps are within ~1 ms of the truth (plus the mean latency), arrivals were 8 ms wide
    expect(worst).toBeLessThan(1.5);
    expect(clock.jitterMs).toBeGreaterThan(1.5);
    expect(clock.jitterMs).toBeLessThan(3.5); // RMS of a uniform 8 ms spread is 2.3 ms
  });

  it('maps host times back to sample indices', () => {
    const clock = new ClockModel({ nominalRateHz: 1000 });
    for (let i = 0; i < 100; i++) clock.update(i * 10, 5000 + i * 10);
    expect(clock.sampleAtTime(5500)).toBeCloseTo(500, 6);
    expect(clock.timeOfSample(250)).toBeCloseTo(5250, 6);
  });

  it('uses the nominal rate until it has seen enough', () => {
    const clock = new ClockModel({ nominalRateHz: 250 });
    clock.update(9, 1000);
    expect(clock.fittedRateHz).toBe(250);
    expect(clock.timeOfSample(259)).toBeCloseTo(2000, 6);
    expect(() => new ClockModel({ nominalRateHz: 0 })).toThrow(/positive/);
  });
});
