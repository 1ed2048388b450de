// `bci stream`'s sample output: filtered samples as they arrive, as CSV or JSON lines, to stdout or
// a new file, through the engine's exporter (engine/files/export.ts) with buffered writes: a slow
// pipe or disk delays them, it never drops them. What this adds is the CLI's side: times come
// from the engine's clock model (a file that cannot be created fails with its kind, as everywhere).

import type { BoardDescriptor } from '../common/boards/descriptor.js';
import { openExport, type Exporter } from '../engine/files/export.js';

export type SampleFormat = 'csv' | 'jsonl';

export class SampleWriter {
  private readonly exporter: Exporter;
  /** The host-time function of the rows being written (given with each block). */
  private timeOfMs: (sampleIndex: number) => number = () => Number.NaN;

  constructor(target: string, format: SampleFormat, descriptor: BoardDescriptor) {
    // an output that cannot be created is refused with its kind (OutputFileError): exists or no folder 2, permission 1
    this.exporter = openExport({
      path: target,
      format,
      sampleRateHz: descriptor.sampleRateHz,
      signals: descriptor.channels,
      timeSecOf: (index) => this.timeOfMs(index) / 1000,
      buffered: true,
      eventsSidecar: false,
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
  }

  /** Waits for everything to be written; closes the file (not stdout). */
  close(): Promise<void> {
    return this.exporter.close();
  }
}
