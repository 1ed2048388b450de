// Conversion of a recording's events alone to a BIDS-style events table (`bci convert IN
// OUT_events.tsv`): the way to take the scorings out of an annotation-only EDF+ (a hypnogram: no
// samples), and of any other recording. Onsets are recording time (seconds from the first sample,
// gaps included); `sample` is the row at the onset, `n/a` when the file has no samples.

import { closeSync, fsyncSync, writeSync } from 'node:fs';
import { eventsTsv } from '../../common/formats/bids.js';
import { rowOfRecordingTime } from '../../common/formats/recording.js';
import { openOutput } from './export.js';
import { openRecording, type OpenRecordingOptions } from './open-recording.js';

/** Does OUT ask for the events table only (a `.tsv` name)? */
export function isEventsOutput(output: string): boolean {
  return /\.tsv$/i.test(output);
}

export interface EventsConvertResult {
  readonly output: string;
  readonly format: 'events-tsv';
  readonly rows: number;
  readonly channels: string[];
  readonly sampleRateHz: number;
  readonly events: number;
  readonly clippedValues: number;
}

export async function convertEventsOnly(input: string, output: string, options: OpenRecordingOptions = {}): Promise<EventsConvertResult> {
  const reader = await openRecording(input, options);
  try {
    const info = reader.info;
    const rate = info.sampleRateHz;
    const text = eventsTsv(
      info.events.map((e) => ({
        onsetSec: e.onsetSec,
        durationSec: e.durationSec,
        trialType: 'annotation',
        value: e.label,
        sample: rate > 0 && info.sampleCount > 0 ? Math.min(info.sampleCount - 1, rowOfRecordingTime(info, e.onsetSec)) : NaN,
      })),
    );
    const fd = openOutput(output);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { output, format: 'events-tsv', rows: 0, channels: [], sampleRateHz: rate, events: info.events.length, clippedValues: 0 };
  } finally {
    await reader.close();
  }
}
