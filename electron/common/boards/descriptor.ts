// Board descriptors: what a board produces, as data (rate, channels with label, type, unit and
// physical range). Drivers live in electron/engine; descriptors are pure and shared with the UI.

export type ChannelType = 'eeg' | 'emg' | 'ecg' | 'eog' | 'accel' | 'aux';

/** Physical unit of a channel's values as they sit in the ring buffer. */
export type ChannelUnit = 'uV' | 'mV' | 'g' | 'V' | 'counts';

export interface ChannelDescriptor {
  readonly label: string;
  readonly type: ChannelType;
  readonly unit: ChannelUnit;
  /** The smallest and largest value the board can produce (e.g. ±187500 µV on a Cyton at gain 24). */
  readonly physicalMin: number;
  readonly physicalMax: number;
  /** The smallest step the board or file can represent, in `unit` (absent when unknown): exports
   * print as many digits as it needs. */
  readonly resolution?: number;
  /** The 10-20 / 10-10 position an applied montage gives the channel ('' for none); absent: the label says it, if it is one. */
  readonly position?: string;
}

export interface BoardDescriptor {
  /** Stable id used on the command line and in the contract (`synthetic`, `cyton`, …). */
  readonly id: string;
  /** Human name for pickers and file headers. */
  readonly name: string;
  readonly sampleRateHz: number;
  readonly channels: readonly ChannelDescriptor[];
}

/** A marker produced by a board itself (a synthetic cue, a trigger line), stamped by sample index. */
export interface BoardMarker {
  readonly sampleIndex: number;
  readonly label: string;
  /** How long the event lasts, in seconds (a file's annotation; 0 or absent for a point event). */
  readonly durationSec?: number;
}
