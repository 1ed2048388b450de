// The channel-settings panel's model (Cyton, Cyton+Daisy): the amplifier's channel count,
// the settings the board confirmed, the draft the user edits, and the changes Apply sends (only
// the channels that differ; SRB1 is board-wide, so changing it sends every channel).

import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import { CYTON_DEFAULT_CHANNEL, CYTON_GAINS, CYTON_INPUT_TYPES, type CytonChannelSettings } from '../../../electron/common/boards/cyton-protocol.js';

export type ChannelSetting = CytonChannelSettings;

/** One entry of a setChannels request (1-based channel, only the fields that change). */
export interface ChannelChange {
  channel: number;
  powerOn?: boolean;
  gain?: number;
  input?: string;
  bias?: boolean;
  srb2?: boolean;
  srb1?: boolean;
}

export const GAIN_CHOICES: readonly number[] = CYTON_GAINS;
export const INPUT_CHOICES: readonly string[] = CYTON_INPUT_TYPES;

export const INPUT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  normal: 'Normal',
  shorted: 'Shorted',
  'bias-meas': 'Bias meas.',
  mvdd: 'MVDD',
  temp: 'Temperature',
  test: 'Test signal',
  'bias-drp': 'Bias drive P',
  'bias-drn': 'Bias drive N',
});

/** The amplifier's channels of a board: its EEG channels (not the accelerometer). */
export function amplifierChannelCount(descriptor: BoardDescriptor | null): number {
  if (!descriptor) return 0;
  return descriptor.channels.filter((c) => c.type === 'eeg').length;
}

/** Every channel at the board's power-on defaults (what a Cyton runs after `d`). */
export function defaultSettings(channelCount: number): ChannelSetting[] {
  return Array.from({ length: channelCount }, () => ({ ...CYTON_DEFAULT_CHANNEL }));
}

function isSetting(value: unknown): value is ChannelSetting {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.powerOn === 'boolean' &&
    typeof v.gain === 'number' &&
    GAIN_CHOICES.includes(v.gain) &&
    typeof v.input === 'string' &&
    INPUT_CHOICES.includes(v.input) &&
    typeof v.bias === 'boolean' &&
    typeof v.srb2 === 'boolean' &&
    typeof v.srb1 === 'boolean'
  );
}

/** The settings in a host's answer, or null when they are not channel settings. */
export function readSettings(value: unknown): ChannelSetting[] | null {
  if (!Array.isArray(value) || !value.every(isSetting)) return null;
  return value.map((s: ChannelSetting) => ({ powerOn: s.powerOn, gain: s.gain, input: s.input, bias: s.bias, srb2: s.srb2, srb1: s.srb1 }));
}

/** The confirmed settings after a setChannels answer (one setting per change, in order). */
export function mergeConfirmed(confirmed: readonly ChannelSetting[], changes: readonly ChannelChange[], answer: readonly ChannelSetting[]): ChannelSetting[] {
  const next = confirmed.slice();
  changes.forEach((change, i) => {
    const setting = answer[i];
    if (setting && change.channel >= 1 && change.channel <= next.length) next[change.channel - 1] = setting;
  });
  // SRB1 is board-wide: the last confirmed value holds for every channel
  const last = answer[answer.length - 1];
  if (last) for (let c = 0; c < next.length; c++) if (next[c].srb1 !== last.srb1) next[c] = { ...next[c], srb1: last.srb1 };
  return next;
}

const FIELDS = ['powerOn', 'gain', 'input', 'bias', 'srb2'] as const;

/** Whether a channel's draft differs from what the board confirmed (SRB1 included). */
export function channelDiffers(confirmed: ChannelSetting | undefined, draft: ChannelSetting): boolean {
  if (!confirmed) return true;
  return FIELDS.some((f) => confirmed[f] !== draft[f]) || confirmed.srb1 !== draft.srb1;
}

/**
 * What Apply sends: the changed fields of each changed channel, 1-based. A changed SRB1 (board
 * wide) goes to every channel, so the board and the confirmed settings agree on all of them.
 */
export function diffSettings(confirmed: readonly ChannelSetting[], draft: readonly ChannelSetting[]): ChannelChange[] {
  const srb1 = draft[0]?.srb1;
  const srb1Changed = srb1 !== undefined && confirmed.some((c) => c.srb1 !== srb1);
  const changes: ChannelChange[] = [];
  draft.forEach((d, i) => {
    const c = confirmed[i];
    const change: { -readonly [K in keyof ChannelChange]: ChannelChange[K] } = { channel: i + 1 };
    let any = false;
    if (!c || c.powerOn !== d.powerOn) change.powerOn = d.powerOn;
    if (!c || c.gain !== d.gain) change.gain = d.gain;
    if (!c || c.input !== d.input) change.input = d.input;
    if (!c || c.bias !== d.bias) change.bias = d.bias;
    if (!c || c.srb2 !== d.srb2) change.srb2 = d.srb2;
    if (Object.keys(change).length > 1) any = true;
    if (srb1Changed) {
      change.srb1 = srb1;
      any = true;
    }
    if (any) changes.push(change);
  });
  return changes;
}

/** The draft with SRB1 (board-wide) set on every channel. */
export function withSrb1(draft: readonly ChannelSetting[], on: boolean): ChannelSetting[] {
  return draft.map((s) => (s.srb1 === on ? s : { ...s, srb1: on }));
}

/** The draft with one channel changed (1-based). */
export function withChannel(draft: readonly ChannelSetting[], channel: number, change: Partial<ChannelSetting>): ChannelSetting[] {
  return draft.map((s, i) => (i === channel - 1 ? { ...s, ...change } : s));
}
