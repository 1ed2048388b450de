// The stream model: routes frames by kind and shape, restarts on a new stream, keeps markers.
import { describe, expect, it } from 'vitest';
import type { SampleFrame } from '../../../../electron/common/contract/frames.js';
import { syntheticDescriptor } from '../../../../electron/common/boards/synthetic.js';
import { StreamModel, shapeOf, MAX_MARKERS } from '../../../../renderer/stream/stream-model.js';
import { QUALITY_RAILED } from '../../../../renderer/stream/channel-quality.js';

function frame(kind: 'raw' | 'filtered', channelCount: number, sampleCount: number, firstSampleIndex: number, value = 0): SampleFrame {
  return { kind, channelCount, sampleCount, firstSampleIndex, lostRows: 0, strideRows: 1, samples: new Float32Array(channelCount * sampleCount).fill(value) };
}

const shape = shapeOf(syntheticDescriptor({ channelCount: 4, sampleRateHz: 250, seed: 1, mode: 'rest', mainsHz: 50 }));

describe('StreamModel', () => {
  it('sets up buffers for a board and keeps them for the same board', () => {
    const m = new StreamModel(10, 800);
    expect(m.configure(shape)).toBe(true);
    const buffer = m.timeSeries;
    expect(buffer?.channelCount).toBe(4);
    expect(m.configure({ ...shape, labels: [...shape.labels] })).toBe(false);
    expect(m.timeSeries).toBe(buffer);
    expect(m.configure(null)).toBe(true);
    expect(m.timeSeries).toBeNull();
  });

  it('takes a frame of no rows that only reports a loss (sent at a stop) without drawing, clearing or restarting', () => {
    const m = new StreamModel(10, 800);
    m.configure(shape);
    m.pushFrame(frame('filtered', 4, 100, 0, 5));
    m.addMarker({ sampleIndex: 50, label: 'M1', source: 'user' });
    m.takeDirty();
    const drawnUpTo = m.timeSeries?.nextSampleIndex;
    m.pushFrame({ ...frame('raw', 4, 0, 130), lostRows: 30 });
    m.pushFrame({ ...frame('filtered', 4, 0, 130), lostRows: 30 });
    expect(m.mismatchedFrames).toBe(0);
    expect(m.timeSeries?.nextSampleIndex).toBe(drawnUpTo);
    expect(m.markers).toHaveLength(1);
    // the stream goes on after the loss: the next rows are drawn where they belong, nothing restarts
    m.pushFrame(frame('filtered', 4, 10, 130, 5));
    expect(m.timeSeries?.nextSampleIndex).toBe(140);
    expect(m.markers).toHaveLength(1);
  });

  it('draws filtered frames, judges quality on raw ones, ignores frames of another shape', () => {
    const m = new StreamModel(10, 800);
    m.configure(shape);
    m.takeDirty();
    m.pushFrame(frame('filtered', 4, 10, 0, 5));
    expect(m.takeDirty()).toBe(true);
    expect(m.takeDirty()).toBe(false);
    expect(m.timeSeries?.nextSampleIndex).toBe(10);
    m.pushFrame(frame('raw', 4, 250, 10, 187_400));
    expect(m.takeDirty()).toBe(false); // raw frames are not drawn
    expect(m.quality?.flag(0)).toBe(QUALITY_RAILED);
    m.pushFrame(frame('filtered', 3, 10, 20));
    expect(m.mismatchedFrames).toBe(1);
  });

  it('keeps a bounded list of markers and forgets them on a new stream', () => {
    const m = new StreamModel(10, 800);
    m.configure(shape);
    m.pushFrame(frame('filtered', 4, 10, 1000));
    for (let i = 0; i < MAX_MARKERS + 20; i++) m.addMarker({ sampleIndex: 1000 + i, label: `M${i}`, source: 'user' });
    expect(m.markers).toHaveLength(MAX_MARKERS);
    expect(m.markers[0].label).toBe('M20');
    m.pushFrame(frame('filtered', 4, 10, 0)); // the sample index went back
    expect(m.markers).toHaveLength(0);
  });

  it('restarts the spectrum when the pipeline changes, not the plot', () => {
    const m = new StreamModel(10, 800);
    m.configure(shape);
    m.pushFrame(frame('filtered', 4, 1000, 0, 1));
    expect(m.spectrum!.bufferedSec).toBeGreaterThan(3);
    m.pipelineChanged();
    expect(m.spectrum!.bufferedSec).toBe(0);
    expect(m.timeSeries!.nextSampleIndex).toBe(1000);
  });
});
