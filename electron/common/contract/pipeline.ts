// The declared pipeline: what the pipeline worker runs, as data. Validated wherever it enters
// (CLI flags, renderer commands, network) with one schema, then checked against the board's rate.

import { z } from 'zod';

const order = z.number().int().min(1, 'order must be 1..8').max(8, 'order must be 1..8');
const hz = z.number().finite().positive();
const channels = z.array(z.number().int().min(0)).optional();

export const notchStageSchema = z.object({
  kind: z.literal('notch'),
  frequencyHz: hz,
  /** Quality factor (centre / bandwidth); SciPy's iirnotch Q. */
  q: z.number().finite().positive().default(30),
  /** How many harmonics to remove as well (0 = the fundamental only). */
  harmonics: z.number().int().min(0).max(10).default(0),
  /** Channel indices this stage applies to (default: the ExG channels, see EXG_CHANNEL_TYPES). */
  channels,
});

export const highpassStageSchema = z.object({ kind: z.literal('highpass'), cutoffHz: hz, order: order.default(4), channels });
export const lowpassStageSchema = z.object({ kind: z.literal('lowpass'), cutoffHz: hz, order: order.default(4), channels });
export const bandpassStageSchema = z.object({ kind: z.literal('bandpass'), lowHz: hz, highHz: hz, order: order.default(4), channels });
export const bandstopStageSchema = z.object({ kind: z.literal('bandstop'), lowHz: hz, highHz: hz, order: order.default(4), channels });

export const stageSchema = z.discriminatedUnion('kind', [
  notchStageSchema,
  highpassStageSchema,
  lowpassStageSchema,
  bandpassStageSchema,
  bandstopStageSchema,
]);

export const pipelineSchema = z.object({
  /** Re-reference before filtering: none, or common average over the EEG channels. */
  reference: z.enum(['none', 'car']).default('none'),
  stages: z.array(stageSchema).max(32).default([]),
});

export type StageDescription = z.infer<typeof stageSchema>;

/**
 * The channel types a stage without its own `channels` list filters: the electrophysiology (ExG)
 * channels, in µV. Every other channel (accelerometer, gyroscope, PPG, EDA, temperature, battery,
 * aux and misc inputs) passes through a default stage bit for bit, as the OpenBCI GUI filters only
 * its EEG channels: a 1-40 Hz band-pass would remove gravity from an accelerometer, a notch would
 * turn a battery reading into noise. An explicit `channels` list means exactly those channels.
 * When none of the channels is ExG (a file whose channels' types are unknown, 'misc'; a conversion
 * of the accelerometer channels alone), a default stage applies to all of them: filtering was asked
 * for those channels, and filtering none would ignore the request without a word.
 */
export const EXG_CHANNEL_TYPES: readonly string[] = ['eeg', 'emg', 'eog', 'ecg'];

export function isExgChannelType(type: string): boolean {
  return EXG_CHANNEL_TYPES.includes(type);
}

/** 1 for each channel a stage without a `channels` list applies to (see EXG_CHANNEL_TYPES). */
export function exgMaskOf(types: readonly string[]): Uint8Array {
  const mask = Uint8Array.from(types, (t) => (isExgChannelType(t) ? 1 : 0));
  return mask.includes(1) ? mask : mask.fill(1);
}
export type PipelineDescription = z.infer<typeof pipelineSchema>;
export type PipelineInput = z.input<typeof pipelineSchema>;

export const EMPTY_PIPELINE: PipelineDescription = { reference: 'none', stages: [] };

/**
 * Checks a (schema-valid) pipeline against a board: cut-offs below Nyquist, band edges in order,
 * channel indices in range. Returns the problems as sentences that say what to change.
 */
export function pipelineProblems(p: PipelineDescription, sampleRateHz: number, channelCount: number): string[] {
  const nyquistHz = sampleRateHz / 2;
  const problems: string[] = [];
  const edge = (what: string, f: number) => {
    if (f >= nyquistHz) problems.push(`${what} ${f} Hz is at or above the Nyquist frequency (${nyquistHz} Hz at ${sampleRateHz} Hz sampling): choose a lower one`);
  };
  for (const s of p.stages) {
    switch (s.kind) {
      case 'notch':
        edge('the notch frequency', s.frequencyHz);
        break;
      case 'highpass':
        edge('the high-pass cut-off', s.cutoffHz);
        break;
      case 'lowpass':
        edge('the low-pass cut-off', s.cutoffHz);
        break;
      case 'bandpass':
      case 'bandstop':
        if (s.lowHz >= s.highHz) {
          problems.push(`the ${s.kind === 'bandpass' ? 'band-pass' : 'band-stop'} low edge (${s.lowHz} Hz) must be below its high edge (${s.highHz} Hz), e.g. ${Math.min(s.lowHz, s.highHz)}-${Math.max(s.lowHz, s.highHz)}`);
        }
        edge(`the ${s.kind === 'bandpass' ? 'band-pass' : 'band-stop'} high edge`, s.highHz);
        break;
    }
    for (const c of s.channels ?? []) {
      if (c >= channelCount) problems.push(`channel index ${c} is out of range: the board has channels 0..${channelCount - 1}`);
    }
  }
  // a high-pass at or above a low-pass on the same channels lets nothing through
  const shared = (a: readonly number[] | undefined, b: readonly number[] | undefined) => !a || !b || a.some((c) => b.includes(c));
  for (const hp of p.stages) {
    if (hp.kind !== 'highpass') continue;
    for (const lp of p.stages) {
      if (lp.kind !== 'lowpass' || !shared(hp.channels, lp.channels) || hp.cutoffHz < lp.cutoffHz) continue;
      problems.push(
        `the high-pass cut-off (${hp.cutoffHz} Hz) is at or above the low-pass cut-off (${lp.cutoffHz} Hz): together they let nothing through; ` +
          `for a band give the lower edge to the high-pass (e.g. --bandpass ${Math.min(hp.cutoffHz, lp.cutoffHz)}-${Math.max(hp.cutoffHz, lp.cutoffHz)})`,
      );
    }
  }
  return problems;
}

/**
 * A short human description, for summaries and BIDS SoftwareFilters. Given the board's channel
 * types, it says where stages without a channel list apply when that is not every channel (the
 * ExG channels only: see EXG_CHANNEL_TYPES).
 */
export function describePipeline(p: PipelineDescription, channelTypes?: readonly string[]): string {
  const parts: string[] = [];
  const eeg = channelTypes?.filter((t) => t === 'eeg').length ?? 0;
  if (p.reference === 'car') parts.push(channelTypes && eeg < channelTypes.length ? `common average reference (over the ${eeg} EEG channels)` : 'common average reference');
  for (const s of p.stages) {
    const on = s.channels ? ` on channels ${s.channels.join(',')}` : '';
    switch (s.kind) {
      case 'notch':
        parts.push(`notch ${s.frequencyHz} Hz (Q ${s.q}${s.harmonics ? `, +${s.harmonics} harmonics` : ''})${on}`);
        break;
      case 'highpass':
      case 'lowpass':
        parts.push(`${s.kind === 'highpass' ? 'high-pass' : 'low-pass'} ${s.cutoffHz} Hz order ${s.order}${on}`);
        break;
      case 'bandpass':
      case 'bandstop':
        parts.push(`${s.kind === 'bandpass' ? 'band-pass' : 'band-stop'} ${s.lowHz}-${s.highHz} Hz order ${s.order}${on}`);
        break;
    }
  }
  if (parts.length === 0) return 'none';
  if (!channelTypes) return parts.join(', ');
  const exg = exgMaskOf(channelTypes).reduce((n, v) => n + v, 0);
  const where = p.stages.some((s) => !s.channels) && exg < channelTypes.length ? ` (filters without a channel list: on the ${exg} ExG channels of ${channelTypes.length})` : '';
  return parts.join(', ') + where;
}
