import { describe, expect, it } from 'vitest';
import { CYTON_DEFAULT_CHANNEL, channelSettingsCommand, impedanceCommand, type CytonChannelSettings } from '../../../../electron/common/boards/cyton-protocol.js';
import { restoreCommands, sameChannelSettings } from '../../../../electron/common/boards/cyton-restore.js';

const defaults = (n: number): CytonChannelSettings[] => Array.from({ length: n }, () => CYTON_DEFAULT_CHANNEL);

describe('Cyton restore commands after a reconnection', () => {
  it('sends nothing for a board at its defaults', () => {
    expect(restoreCommands({ settings: defaults(8), daisyDetached: false, leadOffDirty: [] })).toEqual([]);
    expect(restoreCommands({ settings: defaults(16), daisyDetached: false, leadOffDirty: new Set() })).toEqual([]);
  });

  it('re-sends only the channels that differ from the defaults, 1-based, in channel order', () => {
    const settings = defaults(16);
    settings[2] = { ...CYTON_DEFAULT_CHANNEL, gain: 8 };
    settings[11] = { ...CYTON_DEFAULT_CHANNEL, powerOn: false, input: 'shorted' };
    const commands = restoreCommands({ settings, daisyDetached: false, leadOffDirty: [] });
    expect(commands).toEqual([channelSettingsCommand(3, settings[2]), channelSettingsCommand(12, settings[11])]);
    expect(commands).toEqual(['x3040110X', 'xR161110X']);
  });

  it('detaches the Daisy first, then settings, then lead-off currents off, then the channel under test on', () => {
    const settings = defaults(8);
    settings[0] = { ...CYTON_DEFAULT_CHANNEL, srb2: false };
    const commands = restoreCommands({ settings, daisyDetached: true, leadOffDirty: new Set([2, 5, 4]), leadOffChannel: 5 });
    expect(commands).toEqual(['c', channelSettingsCommand(1, settings[0]), impedanceCommand(2, false, false), impedanceCommand(4, false, false), impedanceCommand(5, false, true)]);
    expect(commands.slice(2)).toEqual(['z200Z', 'z400Z', 'z501Z']);
  });

  it('switches the channel under test on even when it is not marked dirty', () => {
    expect(restoreCommands({ settings: defaults(8), daisyDetached: false, leadOffDirty: [], leadOffChannel: 7 })).toEqual(['z701Z']);
  });

  it('compares every field of a channel', () => {
    expect(sameChannelSettings(CYTON_DEFAULT_CHANNEL, { ...CYTON_DEFAULT_CHANNEL })).toBe(true);
    for (const change of [{ powerOn: false }, { gain: 12 }, { input: 'test' }, { bias: false }, { srb2: false }, { srb1: true }] as const) {
      expect(sameChannelSettings(CYTON_DEFAULT_CHANNEL, { ...CYTON_DEFAULT_CHANNEL, ...change })).toBe(false);
    }
  });
});
