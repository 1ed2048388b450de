// What every recording reader returns: the channels, the rate of the rows it reads, events,
// discontinuities and notes (RecordingInfo), and random access to samples in physical units
// (RecordingReader). One reader per format lives beside this file; openRecordingSource
// (open-source.ts) picks one. Replay, conversion and `bci info` are built on this interface only.
//
// Time. A reader returns rows at sampleRateHz with no holes; where the file says samples are
// missing (an EDF+D gap between records, an XDF stream break, lost packets in an OpenBCI file) it
// reports a discontinuity instead of inventing samples. Every time in RecordingInfo (event onsets,
// discontinuity onsets) is *recording time*: seconds from the first row, counting rows at
// sampleRateHz plus the missingSec of each discontinuity before it. So an event at recording time
// t falls on row rowOfRecordingTime(info, t), and that stays true across gaps.

export type RecordingFormat = 'bdf' | 'edf' | 'openbci-txt' | 'brainflow-csv' | 'csv' | 'xdf' | 'brainvision';

export type RecordingChannelType = 'eeg' | 'emg' | 'ecg' | 'eog' | 'accel' | 'aux' | 'misc' | 'stim' | 'annotation';

export interface RecordingChannel {
  label: string;
  type: RecordingChannelType;
  /** As the file says, with µV written 'uV' ('' when the file does not say). */
  unit: string;
  sampleRateHz: number;
  /** The range the file declares for the channel (EDF physical min/max, an integer format's range
   * times its resolution); for formats that declare none (text, float data), the observed range. */
  physicalMin: number;
  physicalMax: number;
}

export interface RecordingEvent {
  /** Recording time (see above). */
  onsetSec: number;
  durationSec: number;
  label: string;
}

export interface RecordingDiscontinuity {
  /** Recording time at which the data stops (just after the last row before the gap). */
  onsetSec: number;
  /** The first row after the gap. */
  sampleIndex: number;
  /** Length of the gap in seconds. */
  missingSec: number;
}

export interface RecordingInfo {
  format: RecordingFormat;
  /** Data channels only (no EDF Annotations signal). */
  channels: RecordingChannel[];
  /** The rate of the channels readRows returns (the most common data rate). */
  sampleRateHz: number;
  /** Indices (into channels) of the channels at sampleRateHz, in order: what readRows returns. Trigger
   * channels (type 'stim', decoded as events) are left out; readChannel still reads them. */
  rowChannels: number[];
  sampleCount: number;
  /** Recording time of the end of the last row: sampleCount / sampleRateHz plus all missingSec. */
  durationSec: number;
  startTime: Date | null;
  /** Annotations, markers, Status-channel triggers, XDF marker streams; sorted by onset. */
  events: RecordingEvent[];
  /** EDF+D gaps, XDF/timestamp/sample-counter gaps; [] when continuous. Sorted by sampleIndex. */
  discontinuities: RecordingDiscontinuity[];
  /** Anything the user should know (e.g. "clock offsets applied", "Status channel decoded as events"). */
  notes: string[];
}

export interface RecordingReader {
  readonly info: RecordingInfo;
  /** Reads rows [start, start+count) of the rowChannels at sampleRateHz into out (interleaved, physical units); returns rows read. */
  readRows(start: number, count: number, out: Float64Array): Promise<number>;
  /** Any one channel at its own rate (mixed-rate EDF). */
  readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number>;
}

/** A file that cannot be read: one line that says what is wrong and, where it helps, what to do. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
  constructor(message: string) {
    // one line, whatever bytes of the file ended up in it
    super(message.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 600));
  }
}

/** Validates readRows/readChannel arguments; returns how many rows can actually be read. */
export function clampRead(total: number, start: number, count: number, out: Float64Array, width: number): number {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`start must be a non-negative integer, got ${start}`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const n = Math.max(0, Math.min(count, total - start));
  if (out.length < n * width) throw new RangeError(`out holds ${out.length} values, ${n * width} needed (${n} rows × ${width} channels)`);
  return n;
}

/** Picks the row rate (the rate most non-stim channels share; the higher one on a tie) and the channels at it. */
export function pickRowRate(channels: readonly RecordingChannel[]): { sampleRateHz: number; rowChannels: number[] } {
  const counts = new Map<number, number>();
  for (const c of channels) if (c.type !== 'stim') counts.set(c.sampleRateHz, (counts.get(c.sampleRateHz) ?? 0) + 1);
  if (counts.size === 0) for (const c of channels) counts.set(c.sampleRateHz, (counts.get(c.sampleRateHz) ?? 0) + 1);
  let best = 0;
  let bestCount = -1;
  for (const [rate, n] of counts) {
    if (n > bestCount || (n === bestCount && rate > best)) {
      best = rate;
      bestCount = n;
    }
  }
  const rowChannels: number[] = [];
  channels.forEach((c, i) => {
    if (c.sampleRateHz === best && c.type !== 'stim') rowChannels.push(i);
  });
  return { sampleRateHz: best, rowChannels };
}

/** Recording time of a row (see the header comment). */
export function recordingTimeOfRow(info: Pick<RecordingInfo, 'sampleRateHz' | 'discontinuities'>, row: number): number {
  let missing = 0;
  for (const d of info.discontinuities) {
    if (d.sampleIndex > row) break;
    missing += d.missingSec;
  }
  return row / info.sampleRateHz + missing;
}

/** The row at (or, inside a gap, just after) a recording time. */
export function rowOfRecordingTime(info: Pick<RecordingInfo, 'sampleRateHz' | 'discontinuities'>, timeSec: number): number {
  let missing = 0;
  for (const d of info.discontinuities) {
    const gapStart = d.sampleIndex / info.sampleRateHz + missing;
    if (timeSec < gapStart) break;
    if (timeSec < gapStart + d.missingSec) return d.sampleIndex;
    missing += d.missingSec;
  }
  return Math.round((timeSec - missing) * info.sampleRateHz);
}

/** µV spelled the ASCII way, whitespace trimmed. */
export function normalizeUnit(unit: string): string {
  const u = unit.trim();
  if (u === 'µV' || u === 'μV' || u.toLowerCase() === 'uv' || u.toLowerCase() === 'microvolts') return 'uV';
  return u;
}

/** Orders events by onset (stable), in place. */
export function sortEvents(events: RecordingEvent[]): RecordingEvent[] {
  return events.sort((a, b) => a.onsetSec - b.onsetSec);
}

/** Total missing seconds of a discontinuity list. */
export function totalMissingSec(discontinuities: readonly RecordingDiscontinuity[]): number {
  let s = 0;
  for (const d of discontinuities) s += d.missingSec;
  return s;
}

/**
 * The smallest step a channel's values can take in its file, in its unit, where the format says it
 * (BDF: 24-bit, EDF: 16-bit steps over the declared physical range); undefined where it does not
 * (text and float data). Exports print as many digits as it needs.
 */
export function channelResolution(format: RecordingFormat, channel: Pick<RecordingChannel, 'physicalMin' | 'physicalMax'>): number | undefined {
  const span = channel.physicalMax - channel.physicalMin;
  if (!(span > 0) || !Number.isFinite(span)) return undefined;
  if (format === 'bdf') return span / (2 ** 24 - 1);
  if (format === 'edf') return span / (2 ** 16 - 1);
  return undefined;
}
