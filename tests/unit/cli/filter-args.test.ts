import { describe, expect, it } from 'vitest';
import { pipelineFromFlags } from '../../../electron/cli/filter-args.js';
import { boardOptionsFromFlags } from '../../../electron/cli/board-args.js';

describe('filter flags', () => {
  it('build the declared pipeline in a fixed order', () => {
    expect(pipelineFromFlags({ bandpass: '1-40', notch: '50', highpass: '0.5', order: '2', car: true })).toEqual({
      reference: 'car',
      stages: [
        { kind: 'notch', frequencyHz: 50, q: 30, harmonics: 0 },
        { kind: 'highpass', cutoffHz: 0.5, order: 2 },
        { kind: 'bandpass', lowHz: 1, highHz: 40, order: 2 },
      ],
    });
  });

  it.each([
    [{ bandpass: '40-1' }, /did you mean --bandpass 1-40/],
    [{ bandpass: '1to40' }, /two edges in Hz as LO-HI/],
    [{ order: '0' }, /--order must be 1 to 8/],
    [{ order: '2.5' }, /--order needs an integer/],
    [{ notch: '55' }, /50 or 60/],
    [{ highpass: '-3' }, /above 0 Hz/],
    [{ lowpass: 'abc' }, /--lowpass needs a number/],
  ])('refuse %j', (flags, message) => {
    expect(() => pipelineFromFlags(flags)).toThrow(message);
  });

  it('board flags become validated board options', () => {
    expect(boardOptionsFromFlags({ board: 'synthetic', channels: '16', rate: '500', mode: 'mi', mains: '60', duration: '2', unpaced: true })).toEqual({
      options: { board: 'synthetic', channelCount: 16, sampleRateHz: 500, mode: 'mi', mainsHz: 60, durationSec: 2, paced: false },
      durationSec: 2,
    });
    expect(() => boardOptionsFromFlags({ mode: 'sleep' })).toThrow(/rest or mi/);
    expect(() => boardOptionsFromFlags({ duration: '0' })).toThrow(/above 0/);
  });
});
