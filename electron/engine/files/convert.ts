// Conversion: any readable recording → BDF+, EDF+, plain CSV or the OpenBCI GUI text layout,
// optionally filtered (the live pipeline, causal with a steady-state start; or zero phase as
// SciPy's sosfiltfilt), a subset of channels, a time span. Streaming in blocks: memory stays flat
// whatever the file's size (zero phase is the exception: it needs the whole span, per channel).

import { closeSync, openSync, writeSync, writeFileSync, fsyncSync } from 'node:fs';
import { extname } from 'node:path';
import { openRecording, type OpenRecordingOptions } from './open-recording.js';
import { rowOfRecordingTime, type RecordingInfo } from '../../common/formats/recording.js';
import { EdfLayout, encodeRecord, numberField, type EdfAnnotation } from '../../common/formats/edf-writer.js';
import { eventsTsv } from '../../common/formats/bids.js';
import { Pipeline } from '../../common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../common/pipeline/block.js';
import { pipelineProblems, pipelineSchema, type PipelineInput } from '../../common/contract/pipeline.js';
import { cascadeSos } from '../../common/dsp/sos.js';
import { sosfiltfilt } from '../../common/dsp/filtfilt.js';
import { stageSos } from '../../common/pipeline/stages.js';

export type OutputFormat = 'bdf' | 'edf' | 'csv' | 'openbci-txt';

export interface ConvertOptions extends OpenRecordingOptions {
  readonly pipeline?: PipelineInput;
  readonly zeroPhase?: boolean;
  /** Channel labels or indices among the rows' channels (default: all). */
  readonly channels?: readonly string[];
  readonly startSec?: number;
  readonly endSec?: number;
  readonly outputFormat?: OutputFormat;
}

export interface ConvertResult {
  readonly output: string;
  readonly format: OutputFormat;
  readonly rows: number;
  readonly channels: string[];
  readonly sampleRateHz: number;
  readonly events: number;
  readonly clippedValues: number;
}

export function outputFormatOf(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.bdf') return 'bdf';
  if (ext === '.edf') return 'edf';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt') return 'openbci-txt';
  throw new Error(`cannot tell the output format from "${ext || path}": use .bdf, .edf, .csv or .txt (OpenBCI GUI layout)`);
}

/** A sink for rows (interleaved, physical units) and events, one per output format. */
export interface RowWriter {
  write(rows: Float64Array, count: number, firstRow: number): void;
  close(events: readonly EdfAnnotation[]): void;
  readonly clipped: number;
}

export function openOutput(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw new Error(`${path} already exists: choose another output name (files are never overwritten)`);
    throw new Error(`cannot create ${path}: ${(error as Error).message}`);
  }
}

export interface EdfOutputShape {
  readonly sampleRateHz: number;
  readonly startTime: Date | null;
  readonly signals: readonly { label: string; unit: string; physicalMin: number; physicalMax: number }[];
}

/** Writes rows to a new BDF+/EDF+ file in one-second records; events go into the record they fall in. */
export class EdfRowWriter implements RowWriter {
  private readonly fd: number;
  private readonly layout: EdfLayout;
  private readonly record: Float64Array;
  private readonly bytes: Uint8Array;
  private inRecord = 0;
  private records = 0;
  clipped = 0;

  constructor(
    private readonly path: string,
    variant: 'bdf' | 'edf',
    shape: EdfOutputShape,
    private readonly eventsByRecord: (record: number) => EdfAnnotation[],
  ) {
    if (!Number.isInteger(shape.sampleRateHz)) {
      throw new Error(`${variant.toUpperCase()} output needs a whole sampling rate (one-second records); this recording runs at ${shape.sampleRateHz} Hz: write .csv instead`);
    }
    this.layout = new EdfLayout({
      variant,
      subjectCode: 'X',
      startTime: shape.startTime ?? new Date(0),
      technician: 'X',
      equipment: 'BCI_Workstation',
      sampleRateHz: shape.sampleRateHz,
      signals: shape.signals.map((ch) => {
        const span = ch.physicalMax - ch.physicalMin;
        return { label: ch.label, unit: ch.unit, physicalMin: span > 0 ? ch.physicalMin : ch.physicalMin - 1, physicalMax: span > 0 ? ch.physicalMax : ch.physicalMax + 1 };
      }),
    });
    this.record = new Float64Array(shape.sampleRateHz * shape.signals.length);
    this.bytes = new Uint8Array(this.layout.recordBytes);
    this.fd = openOutput(path);
    writeSync(this.fd, this.layout.header(-1));
  }

  write(rows: Float64Array, count: number, _firstRow?: number): void {
    const width = this.layout.spec.signals.length;
    for (let r = 0; r < count; r++) {
      this.record.set(rows.subarray(r * width, (r + 1) * width), this.inRecord * width);
      if (++this.inRecord === this.layout.samplesPerRecord) this.flush();
    }
  }

  private flush(): void {
    const { clipped, overflow } = encodeRecord(this.layout, this.record, this.records, this.eventsByRecord(this.records), this.bytes);
    this.clipped += clipped;
    if (overflow.length) throw new Error(`too many events in second ${this.records} for the annotations signal`);
    writeSync(this.fd, this.bytes);
    this.records++;
    this.inRecord = 0;
  }

  close(_events?: readonly EdfAnnotation[]): void {
    if (this.inRecord > 0) {
      this.record.fill(Number.NaN, this.inRecord * this.layout.spec.signals.length);
      this.inRecord = this.layout.samplesPerRecord;
      this.flush();
    }
    writeSync(this.fd, Buffer.from(numberField(this.records), 'latin1'), 0, 8, 236);
    fsyncSync(this.fd);
    closeSync(this.fd);
    void this.path;
  }
}

class CsvRowWriter implements RowWriter {
  private readonly fd: number;
  clipped = 0;

  constructor(
    private readonly path: string,
    private readonly layout: 'csv' | 'openbci-txt',
    private readonly info: RecordingInfo,
    private readonly channels: number[],
    private readonly markerAt: (row: number) => number,
  ) {
    this.fd = openOutput(path);
    const labels = channels.map((c) => info.channels[c]);
    if (layout === 'csv') {
      writeSync(this.fd, `sample_index,time_s,${labels.map((c) => `${c.label}_${c.unit || 'x'}`).join(',')}\n`);
    } else {
      const exg = labels.map((_, i) => `EXG Channel ${i}`);
      writeSync(
        this.fd,
        `%OpenBCI Raw EXG Data\n%Number of channels = ${labels.length}\n%Sample Rate = ${info.sampleRateHz} Hz\n%Board = OpenBCI_GUI$BoardCytonSerial\n` +
          `Sample Index, ${exg.join(', ')}, Accel Channel 0, Accel Channel 1, Accel Channel 2, Timestamp, Marker Channel, Timestamp (Formatted)\n`,
      );
    }
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const width = this.channels.length;
    const start = this.info.startTime?.getTime() ?? 0;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      const timeSec = row / this.info.sampleRateHz;
      const values: string[] = [];
      for (let c = 0; c < width; c++) values.push(rows[r * width + c].toFixed(this.layout === 'csv' ? 4 : 2));
      if (this.layout === 'csv') text += `${row},${timeSec.toFixed(6)},${values.join(',')}\n`;
      else {
        const ms = Math.round(start + timeSec * 1000);
        const t = new Date(ms);
        const formatted = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')}.${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
        text += `${row % 256}, ${values.join(', ')}, 0.000, 0.000, 0.000, ${ms},${this.markerAt(row)}, ${formatted}\n`;
      }
    }
    writeSync(this.fd, text);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    void this.path;
  }
}

export async function convertRecording(input: string, output: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const format = options.outputFormat ?? outputFormatOf(output);
  const reader = await openRecording(input, options);
  try {
    const info = reader.info;
    const rowLabels = info.rowChannels.map((c) => info.channels[c].label);
    // the channels to keep, as positions within a row
    const keep = (options.channels ?? []).length
      ? options.channels!.map((wanted) => {
          const byLabel = rowLabels.findIndex((l) => l.toLowerCase() === wanted.toLowerCase() || l.replace(/\.+$/, '').toLowerCase() === wanted.toLowerCase());
          const index = byLabel >= 0 ? byLabel : /^\d+$/.test(wanted) ? Number(wanted) : -1;
          if (index < 0 || index >= rowLabels.length) throw new Error(`no channel "${wanted}" in ${input}: it has ${rowLabels.join(', ')}`);
          return index;
        })
      : rowLabels.map((_, i) => i);
    const first = options.startSec === undefined ? 0 : rowOfRecordingTime(info, options.startSec);
    const end = options.endSec === undefined ? info.sampleCount : Math.min(info.sampleCount, rowOfRecordingTime(info, options.endSec));
    if (!(end > first)) throw new Error(`the span --start ${options.startSec ?? 0} --end ${options.endSec ?? info.durationSec} holds no samples (the recording lasts ${info.durationSec.toFixed(3)} s)`);
    const pipeline = pipelineSchema.parse(options.pipeline ?? {});
    const problems = pipelineProblems(pipeline, info.sampleRateHz, keep.length);
    if (problems.length) throw new Error(problems.join('; '));
    const rate = info.sampleRateHz;

    // events inside the span, relative to its start
    const offsetSec = first / rate;
    const events = info.events
      .filter((e) => e.onsetSec >= offsetSec && e.onsetSec < end / rate + 1e-9)
      .map((e) => ({ onsetSec: e.onsetSec - offsetSec, durationSec: e.durationSec, label: e.label }));
    const keptChannels = keep.map((k) => info.rowChannels[k]);
    const writer: RowWriter =
      format === 'bdf' || format === 'edf'
        ? new EdfRowWriter(output, format, { sampleRateHz: info.sampleRateHz, startTime: info.startTime, signals: keptChannels.map((c) => info.channels[c]) }, (record) => events.filter((e) => Math.floor(e.onsetSec) === record))
        : new CsvRowWriter(output, format, info, keptChannels, (row) => (events.some((e) => Math.round(e.onsetSec * rate) === row) ? 1 : 0));

    const width = info.rowChannels.length;
    const outWidth = keep.length;
    if (options.zeroPhase && pipeline.stages.length > 0) {
      // offline zero phase: each kept channel over the whole span, forward and backward
      const n = end - first;
      const columns = keep.map(() => new Float64Array(n));
      const block = new Float64Array(4096 * width);
      for (let at = first; at < end; ) {
        const got = await reader.readRows(at, Math.min(4096, end - at), block);
        if (got <= 0) break;
        for (let r = 0; r < got; r++) keep.forEach((k, i) => (columns[i][at - first + r] = block[r * width + k]));
        at += got;
      }
      const sos = cascadeSos(...pipeline.stages.map((s) => stageSos(s, rate)));
      const filtered = columns.map((x, i) => (pipeline.stages.every((s) => !s.channels || s.channels.includes(i)) ? sosfiltfilt(sos, x) : x));
      const rows = new Float64Array(4096 * outWidth);
      for (let at = 0; at < n; at += 4096) {
        const count = Math.min(4096, n - at);
        for (let r = 0; r < count; r++) for (let i = 0; i < outWidth; i++) rows[r * outWidth + i] = filtered[i][at + r];
        writer.write(rows, count, at);
      }
    } else {
      const blockRows = 4096;
      const filters = pipeline.stages.length > 0 || pipeline.reference !== 'none' ? new Pipeline(pipeline, { sampleRateHz: rate, channelCount: outWidth, maxBlockFrames: blockRows }) : undefined;
      const planar = createBlock(outWidth, blockRows);
      const raw = new Float64Array(blockRows * width);
      const rows = new Float64Array(blockRows * outWidth);
      for (let at = first; at < end; ) {
        const got = await reader.readRows(at, Math.min(blockRows, end - at), raw);
        if (got <= 0) break;
        for (let r = 0; r < got; r++) for (let i = 0; i < outWidth; i++) rows[r * outWidth + i] = raw[r * width + keep[i]];
        if (filters) {
          deinterleave(rows, got, planar);
          filters.process(planar);
          interleave(planar, rows);
        }
        writer.write(rows, got, at - first);
        at += got;
      }
    }
    writer.close(events);
    if (format === 'csv' || format === 'openbci-txt') {
      writeFileSync(output.replace(/\.(csv|txt)$/i, '') + '_events.tsv', eventsTsv(events.map((e) => ({ onsetSec: e.onsetSec, durationSec: e.durationSec, trialType: 'annotation', value: e.label, sample: Math.round(e.onsetSec * rate) }))));
    }
    return { output, format, rows: end - first, channels: keep.map((k) => rowLabels[k]), sampleRateHz: rate, events: events.length, clippedValues: writer.clipped };
  } finally {
    await reader.close();
  }
}
