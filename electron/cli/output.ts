// `bci stream`'s sample output: filtered samples as they arrive, as CSV or JSON lines, to stdout or
// a new file, through the engine's exporter (engine/files/export.ts) with buffered writes: a slow
// pipe or disk delays them, it never drops them. What this adds is the CLI's side: times come
// from the engine's clock model (a file that cannot be created fails with its kind, as everywhere).
// Markers (board cues, UDP, LSL) go into the output too: a marker line in JSON lines, and for a CSV
// file an `_events.tsv` beside it; each waits for its sample's row, so it is timed as the rows are.

import type { BoardDescriptor } from '../common/boards/descriptor.js';
import { openExport, type Exporter } from '../engine/files/export.js';
import { MarkerQueue } from './marker-queue.js';

export type SampleFormat = 'csv' | 'jsonl';

export class SampleWriter {
  private readonly exporter: Exporter;
  private readonly rateHz: number;
  /** The host-time function of the rows being written (given with each block). */
  private timeOfMs: (sampleIndex: number) => number = () => Number.NaN;
  /** Markers wait for their row, so they are timed as the rows are. */
  private readonly markers = new MarkerQueue((sampleIndex, label) => {
    this.exporter.addEvent({ onsetSec: sampleIndex / this.rateHz, durationSec: 0, label, sample: sampleIndex });
    this.markerCounts.set(label, (this.markerCounts.get(label) ?? 0) + 1);
  });
  /** Markers written, by label. */
  readonly markerCounts = new Map<string, number>();

  constructor(target: string, format: SampleFormat, descriptor: BoardDescriptor) {
    this.rateHz = descriptor.sampleRateHz;
    // an output that cannot be created is refused with its kind (OutputFileError): exists or no folder 2, permission 1
    this.exporter = openExport({
      path: target,
      format,
      sampleRateHz: descriptor.sampleRateHz,
      signals: descriptor.channels,
      timeSecOf: (index) => this.timeOfMs(index) / 1000,
      // the clock model's host time: the header says unix_time_s (replay and convert write time_s, from the start)
      timeBase: 'unix',
      buffered: true,
      // a CSV file gets its markers in an _events.tsv beside it (standard output cannot)
      eventsSidecar: format === 'csv' && target !== '-',
    });
  }

  /** The stream's error, if writing failed (disk full, closed pipe). */
  get error(): Error | undefined {
    return this.exporter.error;
  }

  /** Rows of interleaved values; timeOf gives each row's host time in ms. */
  writeRows(firstSampleIndex: number, rowCount: number, data: Float64Array, timeOfMs: (sampleIndex: number) => number): void {
    this.timeOfMs = timeOfMs;
    this.exporter.write(data, rowCount, firstSampleIndex);
    if (rowCount > 0) this.markers.rowsWritten(firstSampleIndex + rowCount);
  }

  /** A marker at its sample: written once its row has been (a cue can come before its row). */
  addMarker(sampleIndex: number, label: string): void {
    this.markers.add(sampleIndex, label);
  }

  /** Waits for everything to be written; closes the file (not stdout). Markers after the last row go last. */
  close(): Promise<void> {
    this.markers.flush();
    return this.exporter.close();
  }
}
