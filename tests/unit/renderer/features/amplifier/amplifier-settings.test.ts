// The channel-settings panel's model: Apply sends only what changed; SRB1 is board-wide.
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../../../../electron/common/contract/commands.js';
import { amplifierChannelCount, channelDiffers, defaultSettings, diffSettings, mergeConfirmed, readSettings, withChannel, withSrb1 } from '../../../../../renderer/features/amplifier/amplifier-settings.js';

describe('amplifier settings', () => {
  it('counts only EEG channels of a descriptor', () => {
    const eeg = { unit: 'uV', physicalMin: -1, physicalMax: 1, type: 'eeg' } as const;
    const accel = { unit: 'g', physicalMin: -4, physicalMax: 4, type: 'accel' } as const;
    expect(amplifierChannelCount({ id: 'cyton', name: 'Cyton', sampleRateHz: 250, channels: [...Array.from({ length: 8 }, (_, i) => ({ ...eeg, label: `E${i}` })), { ...accel, label: 'X' }] })).toBe(8);
    expect(amplifierChannelCount(null)).toBe(0);
  });

  it('sends nothing when the draft equals the board', () => {
    const base = defaultSettings(8);
    expect(diffSettings(base, base)).toEqual([]);
  });

  it('sends only the changed fields of the changed channels, 1-based, and the request validates', () => {
    const base = defaultSettings(8);
    let draft = withChannel(base, 3, { gain: 8 });
    draft = withChannel(draft, 5, { input: 'shorted', bias: false });
    const changes = diffSettings(base, draft);
    expect(changes).toEqual([
      { channel: 3, gain: 8 },
      { channel: 5, input: 'shorted', bias: false },
    ]);
    expect(commandSchemas.setChannels.safeParse({ changes }).success).toBe(true);
    expect(channelDiffers(base[2], draft[2])).toBe(true);
    expect(channelDiffers(base[0], draft[0])).toBe(false);
  });

  it('sends SRB1 (board-wide) to every channel when it changes', () => {
    const base = defaultSettings(4);
    const changes = diffSettings(base, withChannel(withSrb1(base, true), 2, { powerOn: false }));
    expect(changes).toEqual([
      { channel: 1, srb1: true },
      { channel: 2, powerOn: false, srb1: true },
      { channel: 3, srb1: true },
      { channel: 4, srb1: true },
    ]);
  });

  it('merges the settings the board confirmed, in the order of the changes', () => {
    const base = defaultSettings(8);
    const changes = [{ channel: 3, gain: 8 }, { channel: 7, powerOn: false }];
    const answer = [
      { ...base[2], gain: 8 as const },
      { ...base[6], powerOn: false },
    ];
    const next = mergeConfirmed(base, changes, answer);
    expect(next[2].gain).toBe(8);
    expect(next[6].powerOn).toBe(false);
    expect(next[0]).toEqual(base[0]);
    expect(base[2].gain).toBe(24); // not mutated
  });

  it('reads settings from a host answer and refuses anything else', () => {
    expect(readSettings([{ powerOn: true, gain: 24, input: 'normal', bias: true, srb2: true, srb1: false, extra: 1 }])).toEqual([{ powerOn: true, gain: 24, input: 'normal', bias: true, srb2: true, srb1: false }]);
    expect(readSettings([{ powerOn: true, gain: 3, input: 'normal', bias: true, srb2: true, srb1: false }])).toBeNull();
    expect(readSettings('nope')).toBeNull();
    expect(readSettings([])).toEqual([]);
  });
});
