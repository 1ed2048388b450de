// The time-series display buffer: min/max per pixel column, sweep and scroll layouts, gaps.
import { describe, expect, it } from 'vitest';
import { TimeSeriesBuffer } from '../../../../renderer/stream/time-series-buffer.js';

function rows(channelCount: number, sampleCount: number, value: (row: number, channel: number) => number): Float32Array {
  const out = new Float32Array(channelCount * sampleCount);
  for (let r = 0; r < sampleCount; r++) for (let c = 0; c < channelCount; c++) out[r * channelCount + c] = value(r, c);
  return out;
}

function target(buffer: TimeSeriesBuffer, n: number) {
  return { ys: Array.from({ length: n }, () => new Float64Array(2 * buffer.bucketCount)) };
}

describe('TimeSeriesBuffer', () => {
  it('has one bucket per column, never more than samples per window', () => {
    expect(new TimeSeriesBuffer({ channelCount: 2, sampleRateHz: 1000, windowSec: 10, columns: 1200 }).bucketCount).toBe(1200);
    expect(new TimeSeriesBuffer({ channelCount: 2, sampleRateHz: 100, windowSec: 5, columns: 1200 }).bucketCount).toBe(500);
  });

  it('keeps the min and max of every column, in the order they occurred', () => {
    const b = new TimeSeriesBuffer({ channelCount: 2, sampleRateHz: 100, windowSec: 1, columns: 10 }); // 10 samples per bucket
    b.removeBaseline = false;
    // channel 0: a rising ramp in each bucket (min first); channel 1: falling (max first)
    b.push(rows(2, 100, (r, c) => (c === 0 ? r % 10 : -(r % 10))), 2, 100, 0);
    const t = target(b, 2);
    b.fill(t, [0, 1], [1, 1], 'scroll', Infinity);
    // channel 0 centred at 1.5, channel 1 at 0.5
    expect(t.ys[0][0]).toBeCloseTo(1.5 + 0);
    expect(t.ys[0][1]).toBeCloseTo(1.5 + 9);
    expect(t.ys[1][0]).toBeCloseTo(0.5 + 0);
    expect(t.ys[1][1]).toBeCloseTo(0.5 - 9);
  });

  it('applies per-channel gain and clamps to ±clip around the centre', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 10, windowSec: 1, columns: 10 });
    b.removeBaseline = false;
    b.push(rows(1, 10, (r) => (r === 3 ? 1000 : 10)), 1, 10, 0);
    const t = target(b, 1);
    b.fill(t, [0], [0.01], 'scroll', 1);
    expect(t.ys[0][0]).toBeCloseTo(0.5 + 0.1);
    expect(t.ys[0][6]).toBeCloseTo(1.5); // 0.5 + 10 clamped to 0.5 + 1
  });

  it('draws a blank gap ahead of the sweep cursor and overwrites the oldest data', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.removeBaseline = false;
    b.push(rows(1, 100, () => 1), 1, 100, 0); // one full sweep
    b.push(rows(1, 30, () => 2), 1, 30, 100); // 30 samples into the second sweep
    const t = target(b, 1);
    b.fill(t, [0], [0.1], 'sweep', Infinity);
    const y = t.ys[0];
    // columns 0..29 are new (value 2), 30..30+gap blank, the rest old (value 1)
    expect(y[2 * 10]).toBeCloseTo(0.5 + 0.2);
    expect(y[2 * 29]).toBeCloseTo(0.5 + 0.2);
    for (let col = 30; col < 30 + b.gapBuckets; col++) expect(y[2 * col]).toBeNaN();
    expect(y[2 * (30 + b.gapBuckets)]).toBeCloseTo(0.5 + 0.1);
    expect(y[2 * 99]).toBeCloseTo(0.5 + 0.1);
    expect(b.sweepCursorSec()).toBeCloseTo(0.3);
  });

  it('puts the newest column at the right edge in scroll mode', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.removeBaseline = false;
    b.push(rows(1, 130, (r) => r), 1, 130, 0);
    const t = target(b, 1);
    b.fill(t, [0], [1], 'scroll', Infinity);
    const y = t.ys[0];
    expect(y[2 * 99] - 0.5).toBeCloseTo(129);
    expect(y[0] - 0.5).toBeCloseTo(30);
    const x = b.xValues('scroll');
    expect(x[2 * 99]).toBeCloseTo(0);
    expect(x[0]).toBeCloseTo(-0.99);
  });

  it('shows nothing before data and leaves a gap where the sample index jumped', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    const t = target(b, 1);
    b.fill(t, [0], [1], 'sweep');
    expect(t.ys[0].every((v) => Number.isNaN(v))).toBe(true);
    b.removeBaseline = false;
    b.push(rows(1, 20, () => 1), 1, 20, 0);
    b.push(rows(1, 20, () => 1), 1, 20, 50); // 30 rows lost
    b.fill(t, [0], [0.1], 'sweep');
    expect(t.ys[0][2 * 10]).toBeCloseTo(0.6);
    expect(t.ys[0][2 * 30]).toBeNaN();
    expect(t.ys[0][2 * 60]).toBeCloseTo(0.6);
    expect(t.ys[0][2 * 80]).toBeNaN(); // never written
  });

  it('removes a large DC offset for display', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 250, windowSec: 10, columns: 2500 });
    const n = 2500;
    b.push(rows(1, n, (r) => 3000 + 20 * Math.sin((2 * Math.PI * 10 * r) / 250)), 1, n, 0);
    const t = target(b, 1);
    b.fill(t, [0], [1], 'scroll', Infinity);
    const last = t.ys[0].subarray(2 * 2000); // after the baseline has converged
    const max = Math.max(...last);
    expect(max - 0.5).toBeGreaterThan(15);
    expect(max - 0.5).toBeLessThan(25);
  });

  it('places markers in the window and hides them in the sweep gap or off screen', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.push(rows(1, 150, () => 0), 1, 150, 0);
    expect(b.sampleX(140, 'sweep')).toBeCloseTo(0.4);
    expect(b.sampleX(149, 'scroll')).toBeCloseTo(0);
    expect(b.sampleX(60, 'sweep')).toBeCloseTo(0.6);
    expect(b.sampleX(51, 'sweep')).toBeNull(); // inside the blank gap ahead of the cursor (at 0.5 s)
    expect(b.sampleX(10, 'sweep')).toBeNull(); // older than the window
    expect(b.sampleX(200, 'sweep')).toBeNull(); // not yet received
  });

  it('measures a robust peak-to-peak for autoscale', () => {
    const b = new TimeSeriesBuffer({ channelCount: 2, sampleRateHz: 100, windowSec: 2, columns: 200 });
    b.removeBaseline = false;
    b.push(rows(2, 200, (r, c) => (c === 0 ? 50 * Math.sin(r / 3) : 0)), 2, 200, 0);
    expect(b.peakToPeak(0)).toBeGreaterThan(95);
    expect(b.peakToPeak(0)).toBeLessThanOrEqual(100.01);
    expect(b.peakToPeak(1)).toBe(0);
  });

  it('starts over when the sample index goes back (a new session)', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.push(rows(1, 500, () => 0), 1, 500, 0);
    b.push(rows(1, 10, () => 0), 1, 10, 0);
    expect(b.nextSampleIndex).toBe(10);
  });

  it('fills 64 channels from 20 s of 1000 Hz frames', () => {
    const b = new TimeSeriesBuffer({ channelCount: 64, sampleRateHz: 1000, windowSec: 10, columns: 1200 });
    const frame = rows(64, 10, (r, c) => Math.sin(r + c));
    const t = target(b, 64);
    const channels = Array.from({ length: 64 }, (_, i) => i);
    const gain = new Float64Array(64).fill(0.01);
    for (let i = 0; i < 2000; i++) b.push(frame, 64, 10, i * 10);
    b.fill(t, channels, gain, 'sweep');
    expect(t.ys[63].some((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('TimeSeriesBuffer.withColumns (a resized plot)', () => {
  it('re-bins what is on screen instead of dropping it', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.removeBaseline = false;
    b.push(rows(1, 150, (r) => r), 1, 150, 0); // sweep 1 is half written
    const narrow = b.withColumns(50);
    expect(narrow.bucketCount).toBe(50);
    expect(narrow.nextSampleIndex).toBe(150);
    const t = target(narrow, 1);
    narrow.fill(t, [0], [1], 'scroll', Infinity);
    // newest column: samples 148, 149; oldest shown: 50, 51 (from the previous sweep)
    expect(t.ys[0][2 * 49] - 0.5).toBeCloseTo(148);
    expect(t.ys[0][2 * 49 + 1] - 0.5).toBeCloseTo(149);
    expect(t.ys[0][0] - 0.5).toBeCloseTo(50);
    expect(t.ys[0][1] - 0.5).toBeCloseTo(51);
    // and new samples continue where they left off
    narrow.push(rows(1, 2, () => 0), 1, 2, 150);
    expect(narrow.nextSampleIndex).toBe(152);
  });

  it('keeps gaps and the sweep cursor', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 100, windowSec: 1, columns: 100 });
    b.push(rows(1, 40, () => 0), 1, 40, 0);
    const wide = b.withColumns(100).withColumns(100);
    const t = target(wide, 1);
    wide.fill(t, [0], [1], 'sweep');
    expect(Number.isFinite(t.ys[0][2 * 39])).toBe(true);
    expect(t.ys[0][2 * 60]).toBeNaN();
    expect(wide.sweepCursorSec()).toBeCloseTo(0.4);
  });
});

describe('TimeSeriesBuffer.rebaseline (a filter change)', () => {
  it('follows a removed DC offset at once instead of clipping for seconds', () => {
    const b = new TimeSeriesBuffer({ channelCount: 1, sampleRateHz: 250, windowSec: 10, columns: 2500 });
    b.push(rows(1, 1000, () => 3000), 1, 1000, 0); // 4 s at a 3000 µV offset: baseline settled
    b.rebaseline(); // a high-pass was switched on: the offset is gone from here on
    b.push(rows(1, 250, (r) => 10 * Math.sin(r / 4)), 1, 250, 1000);
    const t = target(b, 1);
    b.fill(t, [0], [1 / 100], 'scroll', Infinity);
    const last = t.ys[0][2 * 2499] - 0.5;
    expect(Math.abs(last)).toBeLessThan(0.2); // within 20 µV of the baseline, not −3000
  });
});
