// Writes filtered samples as they arrive, as CSV or JSON lines, to stdout or a file, honouring the
// writes in order: a slow pipe or disk delays them (buffered), it never drops them.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { BoardDescriptor } from '../common/boards/descriptor.js';
import { UsageError } from './errors.js';

export type SampleFormat = 'csv' | 'jsonl';

export class SampleWriter {
  private readonly stream: Writable;
  private readonly ownsStream: boolean;
  private failure: Error | undefined;

  constructor(
    target: string,
    private readonly format: SampleFormat,
    private readonly descriptor: BoardDescriptor,
  ) {
    if (target === '-') {
      this.stream = process.stdout;
      this.ownsStream = false;
    } else {
      this.stream = createWriteStream('', { fd: openOutput(target) });
      this.ownsStream = true;
    }
    this.stream.on('error', (e) => (this.failure ??= e));
    if (format === 'csv') {
      const labels = descriptor.channels.map((c) => `${c.label}_${c.unit}`);
      this.write(`sample_index,time_s,${labels.join(',')}\n`);
    }
  }

  /** The stream's error, if writing failed (disk full, closed pipe). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Rows of interleaved values; timeOf gives each row's host time in ms. */
  writeRows(firstSampleIndex: number, rowCount: number, data: Float64Array, timeOfMs: (sampleIndex: number) => number): void {
    const channels = this.descriptor.channels.length;
    let text = '';
    for (let r = 0; r < rowCount; r++) {
      const index = firstSampleIndex + r;
      const timeSec = (timeOfMs(index) / 1000).toFixed(4);
      if (this.format === 'csv') {
        text += `${index},${timeSec}`;
        for (let c = 0; c < channels; c++) text += ',' + data[r * channels + c].toFixed(3);
        text += '\n';
      } else {
        const values: number[] = new Array<number>(channels);
        for (let c = 0; c < channels; c++) values[c] = Math.round(data[r * channels + c] * 1000) / 1000;
        text += JSON.stringify({ sampleIndex: index, time: Number(timeSec), values }) + '\n';
      }
    }
    this.write(text);
  }

  private write(text: string): void {
    if (this.failure) return;
    // the stream buffers what the pipe or disk has not taken yet; close() waits for all of it
    this.stream.write(text);
  }

  /** Waits for everything to be written; closes the file (not stdout). */
  async close(): Promise<void> {
    if (!this.ownsStream && this.stream.writableNeedDrain) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
    if (this.ownsStream) {
      await new Promise<void>((resolve) => (this.stream as WriteStream).end(resolve));
    }
    if (this.failure) throw this.failure;
  }
}

/** Opens a new output file; an existing file is never overwritten. */
function openOutput(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw new UsageError(`${path} already exists: choose another --out (files are never overwritten)`);
    if (code === 'ENOENT') throw new UsageError(`cannot create ${path}: its folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`cannot create ${path}: permission denied (choose a folder you can write to)`);
    throw error;
  }
}
