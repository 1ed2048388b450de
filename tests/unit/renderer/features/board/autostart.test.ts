// The page's autostart request.
import { describe, expect, it } from 'vitest';
import { parseAutostart } from '../../../../../renderer/features/board/autostart.js';

describe('autostart', () => {
  it('parses the autostart request', () => {
    expect(parseAutostart('?token=abc')).toBeNull();
    expect(parseAutostart('?token=abc&autostart=synthetic')).toEqual({ options: { board: 'synthetic' } });
    expect(parseAutostart('?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60')).toEqual({
      options: { board: 'synthetic', channelCount: 16, sampleRateHz: 500, mode: 'mi', mainsHz: 60 },
    });
    expect(parseAutostart('?autostart=synthetic&channels=999&rate=abc')).toEqual({ options: { board: 'synthetic' } });
  });
});
