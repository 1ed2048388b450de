// Boards that cue by themselves: recognised from the connected board's option fields and the option
// picked (the real board list, not an id), and the tally of their cues.
import { describe, expect, it } from 'vitest';
import { listBoards } from '../../../../../electron/engine/boards/registry.js';
import { boardCueMode, boardCueProgress, cueLabelsAmong } from '../../../../../renderer/features/decoding/board-cues.js';
import type { BoardInfo } from '../../../../../electron/common/contract/board-options.js';

const boards = listBoards();
const withMode = boards.find((b) => b.fields.some((f) => f.key === 'mode'))!;
const withoutMode = boards.find((b) => !b.fields.some((f) => f.key === 'mode'))!;

describe('board cue mode', () => {
  it('is on when the board offers the motor-imagery signal and was connected with it', () => {
    expect(boardCueMode(withMode, { board: withMode.id, mode: 'mi' })).toBe('Motor-imagery cues');
    expect(boardCueMode(withMode, { board: withMode.id, mode: 'rest' })).toBeNull();
    // its default is resting EEG
    expect(boardCueMode(withMode, { board: withMode.id })).toBeNull();
  });

  it('is off for boards without the option, another board’s options, or unknown options', () => {
    expect(boardCueMode(withoutMode, { board: withoutMode.id, mode: 'mi' })).toBeNull();
    expect(boardCueMode(withMode, { board: withoutMode.id, mode: 'mi' })).toBeNull();
    expect(boardCueMode(withMode, null)).toBeNull();
    expect(boardCueMode(undefined, { board: 'x', mode: 'mi' })).toBeNull();
    // any board whose fields offer it, whatever its id
    const other: BoardInfo = { ...withMode, id: 'lsl:some-stream' };
    expect(boardCueMode(other, { board: 'lsl:some-stream', mode: 'mi' })).toBe('Motor-imagery cues');
  });
});

describe('board cue progress', () => {
  it('counts cues per class until every class has its count', () => {
    const classes = ['left', 'right', 'rest'];
    const p = boardCueProgress(classes, 2, ['rest', 'left', 'rest', 'right', 'left', 'M1']);
    expect(p).toEqual({ counts: [2, 1, 2], total: 5, done: false, text: 'left 2/2 · right 1/2 · rest 2/2' });
    expect(boardCueProgress(classes, 2, ['rest', 'left', 'rest', 'right', 'left', 'right']).done).toBe(true);
    expect(boardCueProgress([], 2, []).done).toBe(false);
  });

  it('lists the class labels among the markers seen, once each', () => {
    expect(cueLabelsAmong(['left', 'right'], ['rest', 'right', 'gap', 'left', 'right'])).toEqual(['right', 'left']);
  });
});
