// The accelerometer view's model: which channels are axes, the held readings, the window laid out
// oldest-first for uPlot, the readout and the y range; and which views open at start.
import { describe, expect, it } from 'vitest';
import { ACCEL_MAX_POINTS, AccelHistory, accelAxes, accelRange, formatG } from '../../../../../renderer/features/views/accelerometer.js';
import { initialViews, parseViews, storedViews } from '../../../../../renderer/features/views/views.js';
import { CYTON_DAISY_DESCRIPTOR, CYTON_DESCRIPTOR } from '../../../../../electron/common/boards/cyton-descriptor.js';
import { SYNTHETIC_DEFAULTS, syntheticDescriptor } from '../../../../../electron/common/boards/synthetic.js';
import type { BoardDescriptor } from '../../../../../electron/common/boards/descriptor.js';

/** Interleaved rows of `channels` values: EEG 1, 2, …, then the accelerometer triple of each row. */
function rows(channels: number, accel: readonly (readonly [number, number, number])[]): Float32Array {
  const out = new Float32Array(accel.length * channels);
  accel.forEach((xyz, r) => {
    for (let c = 0; c < channels - 3; c++) out[r * channels + c] = c + 1;
    out.set(xyz, r * channels + channels - 3);
  });
  return out;
}

describe('accelerometer axes of a board', () => {
  it('are the Cyton’s three accel channels after the EEG, named X, Y, Z', () => {
    expect(accelAxes(CYTON_DESCRIPTOR)).toEqual([
      { channel: 8, label: 'AccelX', name: 'X' },
      { channel: 9, label: 'AccelY', name: 'Y' },
      { channel: 10, label: 'AccelZ', name: 'Z' },
    ]);
    expect(accelAxes(CYTON_DAISY_DESCRIPTOR).map((a) => a.channel)).toEqual([16, 17, 18]);
  });

  it('are none on the synthetic board (EEG only) and without a board', () => {
    expect(accelAxes(syntheticDescriptor({ ...SYNTHETIC_DEFAULTS, channelCount: 8 }))).toEqual([]);
    expect(accelAxes(null)).toEqual([]);
  });

  it('keep their labels when there are not exactly three, and skip accel channels not in g', () => {
    const board: BoardDescriptor = {
      id: 'x',
      name: 'x',
      sampleRateHz: 100,
      channels: [
        { label: 'Fz', type: 'eeg', unit: 'uV', physicalMin: -1, physicalMax: 1 },
        { label: 'Acc1', type: 'accel', unit: 'g', physicalMin: -2, physicalMax: 2 },
        { label: 'Acc2', type: 'accel', unit: 'g', physicalMin: -2, physicalMax: 2 },
        { label: 'AccRaw', type: 'accel', unit: 'counts', physicalMin: -1, physicalMax: 1 },
      ],
    };
    expect(accelAxes(board)).toEqual([
      { channel: 1, label: 'Acc1', name: 'Acc1' },
      { channel: 2, label: 'Acc2', name: 'Acc2' },
    ]);
  });
});

describe('accelerometer history', () => {
  it('shows nothing before the first reading, then holds each reading over the all-zero rows between (counted)', () => {
    const h = new AccelHistory(1, 1000);
    h.configure([8, 9, 10], 250);
    const out = new Float64Array(3);
    // a Cyton source that does not hold: a reading in one row of ten, zeros between
    h.push(rows(11, [[0, 0, 0], [0, 0, 0]]), 11, 2, 0);
    expect(h.latest(out)).toBe(-1);
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
    const frame: [number, number, number][] = [];
    for (let r = 0; r < 20; r++) frame.push(r % 10 === 0 ? [0.125 * (r / 10 + 1), -0.5, 1] : [0, 0, 0]);
    h.push(rows(11, frame), 11, 20, 2);
    expect(h.latest(out)).toBe(12);
    expect(Array.from(out)).toEqual([0.25, -0.5, 1]);
    expect(h.readingRows).toBe(2);
    expect(h.heldRows).toBe(20);
    const { timesSec, axes } = h.layout();
    expect(timesSec.length).toBe(22);
    expect(timesSec[0]).toBe(0);
    expect(timesSec[21]).toBeCloseTo(21 / 250, 12);
    // before the first reading NaN (a gap), then the reading held until the next one
    expect(Number.isNaN(axes[0][0])).toBe(true);
    expect(Array.from(axes[0].subarray(2, 12))).toEqual(new Array(10).fill(0.125));
    expect(Array.from(axes[0].subarray(12))).toEqual(new Array(10).fill(0.25));
    expect(Array.from(axes[2].subarray(2))).toEqual(new Array(20).fill(1));
  });

  it('a held source (the Cyton driver) draws the same: its rows are already the readings', () => {
    const h = new AccelHistory(1, 1000);
    h.configure([8, 9, 10], 250);
    h.push(rows(11, Array.from({ length: 10 }, () => [0.01, 0.02, -0.98] as [number, number, number])), 11, 10, 100);
    expect(h.heldRows).toBe(0);
    const out = new Float64Array(3);
    expect(h.latest(out)).toBe(109);
    expect(Array.from(out).map((v) => Math.round(v * 1000) / 1000)).toEqual([0.01, 0.02, -0.98]);
  });

  it('keeps the last window, oldest first, the same views while the window is full', () => {
    const h = new AccelHistory(2, 1000);
    h.configure([0, 1, 2], 10); // capacity: 2 s × 10 Hz + 1 = 21 points
    for (let i = 0; i < 50; i++) h.push(Float32Array.of(i + 1, -(i + 1), 1), 3, 1, i);
    expect(h.length).toBe(21);
    const a = h.layout();
    expect(Array.from(a.axes[0])).toEqual(Array.from({ length: 21 }, (_, k) => 30 + k));
    expect(a.timesSec[0]).toBeCloseTo(2.9, 12);
    expect(h.newestSec).toBeCloseTo(4.9, 12);
    h.push(Float32Array.of(51, -51, 1), 3, 1, 50);
    const b = h.layout();
    expect(b.timesSec).toBe(a.timesSec); // no new arrays per frame
    expect(b.axes[1]).toBe(a.axes[1]);
    expect(b.axes[1][20]).toBe(-51);
    expect(h.range()).toEqual([-51.25, 51.25]);
  });

  it('keeps every k-th row at high rates, at most ACCEL_MAX_POINTS a window', () => {
    const h = new AccelHistory();
    h.configure([0, 1, 2], 16_000);
    expect(h.stride).toBeGreaterThan(1);
    const chunk = new Float32Array(1000 * 3).fill(0.5);
    for (let i = 0; i < 200; i++) h.push(chunk, 3, 1000, i * 1000);
    expect(h.length).toBeLessThanOrEqual(ACCEL_MAX_POINTS + 1);
    const { timesSec } = h.layout();
    expect(timesSec[timesSec.length - 1] - timesSec[0]).toBeGreaterThan(4.9);
  });

  it('starts over when the stream goes back (a replay sought backwards) or is configured anew', () => {
    const h = new AccelHistory(1, 1000);
    h.configure([0, 1, 2], 100);
    h.push(Float32Array.of(1, 1, 1, 2, 2, 2), 3, 2, 500);
    const v = h.version;
    h.push(Float32Array.of(0, 0, 0), 3, 1, 10);
    expect(h.version).toBeGreaterThan(v);
    expect(h.length).toBe(1);
    const out = new Float64Array(3);
    expect(h.latest(out)).toBe(-1);
    h.configure([0, 1, 2], 100);
    expect(h.length).toBe(0);
  });
});

describe('accelerometer readout and range', () => {
  it('prints g with a sign and three decimals, a dash before any reading', () => {
    expect(formatG(0.98125)).toBe('+0.981 g');
    expect(formatG(-0.0625)).toBe('−0.063 g');
    expect(formatG(-0.0001)).toBe('+0.000 g');
    expect(formatG(Number.NaN)).toBe('—');
  });

  it('spans the data with a margin, at least half a g, on quarter-g steps', () => {
    expect(accelRange(-0.02, 0.03)).toEqual([-0.25, 0.5]);
    expect(accelRange(0.9, 1.1)).toEqual([0.75, 1.25]);
    expect(accelRange(-1.2, 1.05)).toEqual([-1.25, 1.25]);
    expect(accelRange(Infinity, -Infinity)).toEqual([-1, 1]);
  });
});

describe('open views', () => {
  it('the query wins over the stored choice, which wins over all open', () => {
    expect(initialViews('?views=spectrogram,accel', 'headmap')).toEqual(['spectrogram', 'accel']);
    expect(initialViews('?views=none', null)).toEqual([]);
    expect(initialViews('?token=x', 'headmap')).toEqual(['headmap']);
    expect(initialViews('', null)).toEqual(['spectrogram', 'headmap', 'accel']);
    expect(initialViews('?views=all', 'none')).toEqual(['spectrogram', 'headmap', 'accel']);
    expect(parseViews(' Accel , nonsense')).toEqual(['accel']);
    expect(storedViews([])).toBe('none');
    expect(initialViews('', storedViews([]))).toEqual([]);
    expect(storedViews(['accel', 'spectrogram'])).toBe('spectrogram,accel');
  });
});
