// Binary frames: sample frames and prediction frames round-trip with their header fields; a frame of
// an older writer (stride 0) reads as stride 1; malformed frames are refused with a reason.
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FRAME_HEADER_BYTES } from '../../../../electron/common/contract/frames.js';

describe('frames', () => {
  it('round-trips a sample frame (stride 1) and a prediction frame (stride = the step)', () => {
    const samples = decodeFrame(encodeFrame('filtered', 1000, 3, 2, Float64Array.of(1, 2, 3, 4, 5, 6), 7));
    expect(samples).toMatchObject({ kind: 'filtered', channelCount: 2, sampleCount: 3, lostRows: 7, firstSampleIndex: 1000, strideRows: 1 });
    expect([...samples.samples]).toEqual([1, 2, 3, 4, 5, 6]);
    const probabilities = Float64Array.of(0.25, 0.75, 0.5, 0.5);
    const predictions = decodeFrame(encodeFrame('prediction', 249, 2, 2, probabilities, 0, 25));
    expect(predictions).toMatchObject({ kind: 'prediction', channelCount: 2, sampleCount: 2, lostRows: 0, firstSampleIndex: 249, strideRows: 25 });
    expect([...predictions.samples]).toEqual([0.25, 0.75, 0.5, 0.5]);
  });

  it('carries a chunk of no rows that only reports a loss (the one a stop sends when a loss went unsaid)', () => {
    const lossOnly = decodeFrame(encodeFrame('filtered', 1838, 0, 8, new Float64Array(0), 162));
    expect(lossOnly).toMatchObject({ kind: 'filtered', channelCount: 8, sampleCount: 0, lostRows: 162, firstSampleIndex: 1838 });
    expect(lossOnly.samples.length).toBe(0);
  });

  it('reads stride 0 (frames written before predictions existed) as 1, and refuses bad strides and kinds', () => {
    const buffer = encodeFrame('raw', 0, 1, 1, Float64Array.of(1));
    new DataView(buffer).setUint16(6, 0, true);
    expect(decodeFrame(buffer).strideRows).toBe(1);
    expect(() => encodeFrame('prediction', 0, 1, 2, Float64Array.of(0.5, 0.5), 0, 0)).toThrow(/stride 0 out of range/);
    expect(() => encodeFrame('prediction', 0, 1, 2, Float64Array.of(0.5, 0.5), 0, 70000)).toThrow(/stride 70000 out of range/);
    const bad = encodeFrame('raw', 0, 1, 1, Float64Array.of(1));
    new DataView(bad).setUint8(2, 9);
    expect(() => decodeFrame(bad)).toThrow(/unknown kind 9/);
    expect(() => decodeFrame(new ArrayBuffer(FRAME_HEADER_BYTES - 1))).toThrow(/shorter than/);
  });
});
