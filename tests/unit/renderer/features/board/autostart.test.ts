// The page's autostart request: the board id from the URL, its options from the parameters named
// by that board's fields (their command-line flags), checked against the engine's board list.
import { describe, expect, it } from 'vitest';
import { listBoards } from '../../../../../electron/engine/boards/registry.js';
import { parseAutostart } from '../../../../../renderer/features/board/autostart.js';

const boards = listBoards();

describe('autostart', () => {
  it('parses the autostart request', () => {
    expect(parseAutostart('?token=abc', boards)).toBeNull();
    expect(parseAutostart('?token=abc&autostart=synthetic', boards)).toEqual({ options: { board: 'synthetic' } });
    expect(parseAutostart('?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60', boards)).toEqual({
      options: { board: 'synthetic', channelCount: 16, sampleRateHz: 500, mode: 'mi', mainsHz: 60 },
    });
    expect(parseAutostart('?autostart=synthetic&channels=999&rate=abc&mains=55', boards)).toEqual({ options: { board: 'synthetic' } });
    expect(parseAutostart('?autostart=synthetic&seed=7&unpaced&duration=2.5', boards)).toEqual({ options: { board: 'synthetic', seed: 7, paced: false, durationSec: 2.5 } });
  });

  it('takes only the options of the board named', () => {
    // a serial board has no channel count: the parameter is not its option
    expect(parseAutostart('?autostart=cyton&channels=16&port=/dev/ttyUSB0', boards)).toEqual({ options: { board: 'cyton', port: '/dev/ttyUSB0' } });
    expect(parseAutostart('?autostart=playback&file=/tmp/a.bdf&speed=max&loop', boards)).toEqual({ options: { board: 'playback', file: '/tmp/a.bdf', speed: 'max', loop: true } });
  });

  it('refuses an unknown board or a request the engine would refuse, in its words', () => {
    const unknown = parseAutostart('?autostart=nope', boards);
    expect(unknown).toEqual({ error: expect.stringMatching(/unknown board "nope"/) });
    expect(parseAutostart('?autostart=playback', boards)).toEqual({ error: expect.stringMatching(/needs a recording/) });
    // before the board list arrives nothing is known
    expect(parseAutostart('?autostart=synthetic', [])).toEqual({ error: expect.stringMatching(/unknown board/) });
  });
});
