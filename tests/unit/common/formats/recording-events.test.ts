// Where an event lands in a recording (the recorder and events.tsv both use placeEvent).
import { describe, expect, it } from 'vitest';
import { insideRecording, placeEvent, secondsText } from '../../../../electron/common/formats/recording-events.js';

describe('placeEvent', () => {
  it('keeps an event inside the recording as it is, up to the end itself', () => {
    expect(placeEvent({ onsetSec: 1.25, durationSec: 0.5, label: 'left' }, 20)).toEqual({ onsetSec: 1.25, durationSec: 0.5, label: 'left', after: false });
    expect(placeEvent({ onsetSec: 0, durationSec: 0, label: 'start' }, 20)).toEqual({ onsetSec: 0, durationSec: 0, label: 'start', after: false });
    expect(placeEvent({ onsetSec: 20, durationSec: 0, label: 'end' }, 20)).toEqual({ onsetSec: 20, durationSec: 0, label: 'end', after: false });
    expect(placeEvent({ onsetSec: 19, durationSec: 1, label: 'last second' }, 20)).toEqual({ onsetSec: 19, durationSec: 1, label: 'last second', after: false });
    // whole samples over the rate may sum a rounding step past the end: still inside
    expect(placeEvent({ onsetSec: 0.1 + 0.2, durationSec: 0, label: 'x' }, 0.3).after).toBe(false);
    expect(placeEvent({ onsetSec: 0.1, durationSec: 0.2, label: 'x' }, 0.3)).toEqual({ onsetSec: 0.1, durationSec: 0.2, label: 'x', after: false });
    // up to one rounding step (1e-9 s) past the end, inclusive
    expect(placeEvent({ onsetSec: 20 + 1e-9, durationSec: 0, label: 'x' }, 20).after).toBe(false);
    expect(placeEvent({ onsetSec: 0, durationSec: 20 + 1e-9, label: 'x' }, 20).durationSec).toBe(20 + 1e-9);
    expect(insideRecording({ onsetSec: 0, durationSec: 20 + 1e-9, label: 'x' }, 20)).toBe(true);
  });

  it('places an event after the last sample at the end, its true time in the label', () => {
    expect(placeEvent({ onsetSec: 24.96, durationSec: 0, label: 'operator note' }, 20)).toEqual({
      onsetSec: 20,
      durationSec: 0,
      label: 'operator note (at 24.96 s, after the last sample)',
      after: true,
    });
    expect(placeEvent({ onsetSec: 20.004, durationSec: 2, label: 'cue' }, 20)).toEqual({ onsetSec: 20, durationSec: 0, label: 'cue (at 20.004 s, after the last sample)', after: true });
    expect(placeEvent({ onsetSec: 20.000001, durationSec: 0, label: 'just after' }, 20).after).toBe(true);
  });

  it('cuts a duration that runs past the end, and says so', () => {
    expect(placeEvent({ onsetSec: 18, durationSec: 5, label: 'gap: 1250 samples lost' }, 20)).toEqual({
      onsetSec: 18,
      durationSec: 2,
      label: 'gap: 1250 samples lost (cut at the end of the recording from 5 s)',
      after: false,
    });
    expect(placeEvent({ onsetSec: 19.5, durationSec: 0.500001, label: 'x' }, 20).durationSec).toBeCloseTo(0.5, 12);
  });

  it('every placed event lies inside the recording', () => {
    for (const onsetSec of [0, 3, 19.999, 20, 20.5, 1e6]) {
      for (const durationSec of [0, 0.25, 1, 50]) {
        const placed = placeEvent({ onsetSec, durationSec, label: 'e' }, 20);
        expect(insideRecording(placed, 20), `${onsetSec} + ${durationSec}`).toBe(true);
      }
    }
  });
});

describe('insideRecording', () => {
  it('needs 0 ≤ onset, 0 ≤ duration and onset + duration ≤ end', () => {
    expect(insideRecording({ onsetSec: 0, durationSec: 0, label: '' }, 10)).toBe(true);
    expect(insideRecording({ onsetSec: 10, durationSec: 0, label: '' }, 10)).toBe(true);
    expect(insideRecording({ onsetSec: 9, durationSec: 1, label: '' }, 10)).toBe(true);
    expect(insideRecording({ onsetSec: -0.001, durationSec: 0, label: '' }, 10)).toBe(false);
    expect(insideRecording({ onsetSec: 1, durationSec: -0.5, label: '' }, 10)).toBe(false);
    expect(insideRecording({ onsetSec: 9, durationSec: 1.001, label: '' }, 10)).toBe(false);
    expect(insideRecording({ onsetSec: 10.001, durationSec: 0, label: '' }, 10)).toBe(false);
  });
});

describe('secondsText', () => {
  it('writes milliseconds without trailing noise', () => {
    expect(secondsText(24.96)).toBe('24.96 s');
    expect(secondsText(0.1 + 0.2)).toBe('0.3 s');
    expect(secondsText(12.3456)).toBe('12.346 s');
    expect(secondsText(5)).toBe('5 s');
  });
});
