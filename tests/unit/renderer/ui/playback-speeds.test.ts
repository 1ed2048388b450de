// The playback board's speeds: parsing and labels.
import { describe, expect, it } from 'vitest';
import { PLAYBACK_SPEEDS, parseSpeed, speedLabel } from '../../../../renderer/ui/playback-speeds.js';

describe('playback speeds', () => {
  it('parses and labels the speeds the board accepts', () => {
    expect(PLAYBACK_SPEEDS.map((s) => parseSpeed(String(s)))).toEqual([...PLAYBACK_SPEEDS]);
    expect(parseSpeed('32')).toBeNull();
    expect(parseSpeed('')).toBeNull();
    expect(speedLabel(0.25)).toBe('0.25×');
    expect(speedLabel('max')).toBe('max');
  });
});
