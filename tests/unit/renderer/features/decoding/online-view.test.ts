// The online view's model: the current class from the newest probabilities, a threshold, the cue.
import { describe, expect, it } from 'vitest';
import { onlineViewModel } from '../../../../../renderer/features/decoding/online-view.js';

const CLASSES = ['left', 'right', 'rest'];

describe('online view model', () => {
  it('shows the most probable class large, with a bar per class', () => {
    const v = onlineViewModel(CLASSES, new Float64Array([0.2, 0.7, 0.1]), null);
    expect(v.current).toBe('right');
    expect(v.confidence).toBe('70%');
    expect(v.bars.map((b) => [b.label, b.percent, b.current])).toEqual([
      ['left', '20%', false],
      ['right', '70%', true],
      ['rest', '10%', false],
    ]);
    expect(v.followsCue).toBeNull();
    expect(v.summary).toBe('right 70%');
  });

  it('says whether it follows the cue on screen', () => {
    expect(onlineViewModel(CLASSES, [0.6, 0.3, 0.1], 'left')).toMatchObject({ followsCue: true, cue: 'left', summary: 'left 60% · cue left' });
    expect(onlineViewModel(CLASSES, [0.6, 0.3, 0.1], 'right').followsCue).toBe(false);
    // a cue that is not one of the classes (a phase marker) is no cue
    expect(onlineViewModel(CLASSES, [0.6, 0.3, 0.1], 'fixation')).toMatchObject({ cue: null, followsCue: null });
    expect(onlineViewModel(CLASSES, [0.6, 0.3, 0.1], 'left').bars[0].cued).toBe(true);
  });

  it('shows no class below the threshold, and nothing before the first prediction', () => {
    expect(onlineViewModel(CLASSES, [0.4, 0.35, 0.25], null, 0.5)).toMatchObject({ current: null, confidence: '—', summary: 'no class above 50%' });
    const none = onlineViewModel(CLASSES, null, 'left');
    expect(none).toMatchObject({ current: null, followsCue: null, summary: 'no prediction yet · cue left' });
    expect(none.bars.every((b) => b.percent === '—')).toBe(true);
    // a prediction of the wrong length is treated as none
    expect(onlineViewModel(CLASSES, [1, 0], null).current).toBeNull();
  });
});
