import { describe, expect, it } from 'vitest';
import {
  CYTON_DEFAULT_CHANNEL,
  CytonReplyReader,
  channelChar,
  channelSettingsCommand,
  impedanceCommand,
  isBoardUnreachable,
  parseBanner,
  parseChannelSettingsCommands,
  replyFailure,
} from '../../../../electron/common/boards/cyton-protocol.js';
import { CYTON_DAISY_DESCRIPTOR, CYTON_DESCRIPTOR, cytonDescriptor } from '../../../../electron/common/boards/cyton-descriptor.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('Cyton text replies', () => {
  it('frames replies on $$$ whatever the split', () => {
    const reader = new CytonReplyReader();
    const text = 'Success: Channel set for 3$$$updating channel settings to default$$$par';
    const got: string[] = [];
    for (const ch of text) got.push(...reader.push(bytes(ch)));
    expect(got).toEqual(['Success: Channel set for 3', 'updating channel settings to default']);
    expect(reader.partial).toBe('par');
    const r2 = new CytonReplyReader(10);
    r2.push(bytes('x'.repeat(100)));
    expect(r2.partial.length).toBe(10);
  });

  it('parses the firmware 3 banner, with and without a Daisy', () => {
    const plain = parseBanner('OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nLIS3DH Device ID: 0x33\nFirmware: v3.1.2\n');
    expect(plain).toMatchObject({ isCyton: true, firmware: '3.1.2', firmwareMajor: 3, daisy: false, failure: undefined });
    const daisy = parseBanner('\x00\xa0OpenBCI V3 8-16 channel\r\nOn Board ADS1299 Device ID: 0x3E\r\nOn Daisy ADS1299 Device ID: 0x3E\r\nLIS3DH Device ID: 0x33\r\nFirmware: v3.1.1\r\n');
    expect(daisy).toMatchObject({ isCyton: true, firmware: '3.1.1', daisy: true });
    const old = parseBanner('OpenBCI V3 16 channel\nADS1299 Device ID: 0x3E\n');
    expect(old).toMatchObject({ isCyton: true, firmware: undefined, firmwareMajor: 3 });
    expect(parseBanner('AT OK').isCyton).toBe(false);
  });

  it('recognises the dongle saying it cannot reach the board', () => {
    const b = parseBanner('Failure: Communications timeout - Device failed to poll Host');
    expect(b.isCyton).toBe(false);
    expect(b.failure).toBe('Failure: Communications timeout - Device failed to poll Host');
    expect(isBoardUnreachable(b.failure!)).toBe(true);
    expect(replyFailure('Failure: too few chars')).toBe('Failure: too few chars');
    expect(isBoardUnreachable('Failure: too few chars')).toBe(false);
    expect(replyFailure('Success: Channel set for 1')).toBeUndefined();
  });
});

describe('Cyton commands', () => {
  it('builds channel settings commands x CH POWER GAIN INPUT BIAS SRB2 SRB1 X', () => {
    expect(channelSettingsCommand(1, CYTON_DEFAULT_CHANNEL)).toBe('x1060110X');
    expect(channelSettingsCommand(3, { ...CYTON_DEFAULT_CHANNEL, gain: 8 })).toBe('x3040110X');
    expect(channelSettingsCommand(9, { powerOn: false, gain: 1, input: 'shorted', bias: false, srb2: false, srb1: true })).toBe('xQ101001X');
    expect(channelSettingsCommand(16, { ...CYTON_DEFAULT_CHANNEL, input: 'test', gain: 12 })).toBe('xI055110X');
    expect(channelSettingsCommand(2, { ...CYTON_DEFAULT_CHANNEL, input: 'bias-drn' })).toBe('x2067110X');
    expect(() => channelSettingsCommand(17, CYTON_DEFAULT_CHANNEL)).toThrow(/1..16/);
    expect(() => channelSettingsCommand(1, { ...CYTON_DEFAULT_CHANNEL, gain: 3 as 24 })).toThrow(/gain/);
    expect(['Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I']).toEqual([9, 10, 11, 12, 13, 14, 15, 16].map(channelChar));
  });

  it('reads channel settings back out of a command string', () => {
    const found = parseChannelSettingsCommands('x3040110Xjunk xQ101001X');
    expect(found).toEqual([
      { channel: 3, settings: { ...CYTON_DEFAULT_CHANNEL, gain: 8 } },
      { channel: 9, settings: { powerOn: false, gain: 1, input: 'shorted', bias: false, srb2: false, srb1: true } },
    ]);
  });

  it('builds lead-off commands z CH P N Z', () => {
    expect(impedanceCommand(1, false, true)).toBe('z101Z');
    expect(impedanceCommand(12, false, false)).toBe('zR00Z');
    expect(impedanceCommand(4, true, true)).toBe('z411Z');
  });
});

describe('Cyton descriptors', () => {
  it('describes the Cyton: 8 EEG at 250 Hz (±187500 µV at gain 24) + 3 accel in g', () => {
    expect(CYTON_DESCRIPTOR.id).toBe('cyton');
    expect(CYTON_DESCRIPTOR.sampleRateHz).toBe(250);
    expect(CYTON_DESCRIPTOR.channels.map((c) => c.label)).toEqual(['Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2', 'AccelX', 'AccelY', 'AccelZ']);
    expect(CYTON_DESCRIPTOR.channels[0]).toMatchObject({ type: 'eeg', unit: 'uV', physicalMin: -187500, physicalMax: 187500 });
    expect(CYTON_DESCRIPTOR.channels[8]).toMatchObject({ type: 'accel', unit: 'g' });
  });

  it('describes the Cyton + Daisy: 16 EEG at 125 Hz + accel; gains widen the range', () => {
    expect(CYTON_DAISY_DESCRIPTOR.sampleRateHz).toBe(125);
    expect(CYTON_DAISY_DESCRIPTOR.channels).toHaveLength(19);
    expect(CYTON_DAISY_DESCRIPTOR.channels[15].label).toBe('P4');
    const d = cytonDescriptor('cyton', { gains: [1] });
    expect(d.channels[0].physicalMax).toBe(4.5e6);
    expect(d.channels[1].physicalMax).toBe(187500);
  });
});
