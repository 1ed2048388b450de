// Exporting rows to files: the one place that opens an output file (never overwriting one), and
// the writers of every export format: CSV (`sample_index,time_s,<label>_<unit>…`, for `bci
// stream`, `bci replay` and `bci convert` alike, each with its own number precision), JSON lines,
// the OpenBCI GUI text layout, and BDF+/EDF+ with events as annotations; plus the events sidecar
// beside a text export. `openExport` puts them behind one object that takes rows and events as
// they come: what `bci replay --out` and `bci convert` use, and what the engine or the UI can use
// for "replay to file".

import { closeSync, createWriteStream, fsyncSync, openSync, writeFileSync, writeSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { extname } from 'node:path';
import { EdfLayout, encodeRecord, numberField, type EdfAnnotation } from '../../common/formats/edf-writer.js';
import { eventsTsv } from '../../common/formats/bids.js';
import { EngineError } from '../../common/contract/failure.js';

// ---- output files ------------------------------------------------------------------------------

export type OutputFileProblem = 'exists' | 'no-folder' | 'permission' | 'other';

/**
 * An output file that could not be created, with why (a sentence that says what to do). A path that
 * exists or has no folder is a request that cannot work as given; permission and the rest are io.
 */
export class OutputFileError extends EngineError {
  constructor(
    readonly path: string,
    readonly problem: OutputFileProblem,
    message: string,
  ) {
    super(problem === 'exists' || problem === 'no-folder' ? 'invalid-request' : 'io', message);
  }
}

/** Opens a new output file for writing and returns its descriptor; an existing file is never overwritten. */
export function openOutput(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw new OutputFileError(path, 'exists', `${path} already exists: choose another output name (files are never overwritten)`);
    if (code === 'ENOENT') throw new OutputFileError(path, 'no-folder', `cannot create ${path}: its folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new OutputFileError(path, 'permission', `cannot create ${path}: permission denied (choose a folder you can write to)`);
    throw new OutputFileError(path, 'other', `cannot create ${path}: ${(error as Error).message}`);
  }
}

// ---- text sinks --------------------------------------------------------------------------------

/** Where a text export goes: a file or standard output. */
export interface TextSink {
  write(text: string): void;
  /** The first write error of a buffered sink (a synchronous sink throws instead). */
  readonly error: Error | undefined;
  /** Everything written; a file this sink opened is flushed to disk and closed. */
  close(): Promise<void>;
}

/** Synchronous writes to a file descriptor: memory stays flat however fast rows come. */
export class FdSink implements TextSink {
  readonly error = undefined;

  /** `owned`: the sink opened it, so close() syncs and closes it (never standard output). */
  constructor(
    private readonly fd: number,
    private readonly owned: boolean,
  ) {}

  write(text: string): void {
    writeSync(this.fd, text);
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** Buffered writes to a stream, in order: a slow pipe or disk delays them, it never drops them. */
export class StreamSink implements TextSink {
  private failure: Error | undefined;

  /** `owned`: the sink opened it, so close() ends it (never process.stdout). */
  constructor(
    private readonly stream: Writable,
    private readonly owned: boolean,
  ) {
    stream.on('error', (e) => (this.failure ??= e));
  }

  get error(): Error | undefined {
    return this.failure;
  }

  write(text: string): void {
    if (this.failure) return;
    // the stream buffers what the pipe or disk has not taken yet; close() waits for all of it
    this.stream.write(text);
  }

  async close(): Promise<void> {
    if (!this.owned && this.stream.writableNeedDrain) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
    if (this.owned) {
      await new Promise<void>((resolve) => (this.stream as WriteStream).end(resolve));
    }
    if (this.failure) throw this.failure;
  }
}

/** A sink for PATH, or standard output for '-'; `buffered` chooses StreamSink over FdSink. */
export function openTextSink(path: string, buffered: boolean): TextSink {
  if (path === '-') return buffered ? new StreamSink(process.stdout, false) : new FdSink(1, false);
  const fd = openOutput(path);
  return buffered ? new StreamSink(createWriteStream('', { fd }), true) : new FdSink(fd, true);
}

// ---- row writers -------------------------------------------------------------------------------

/** A channel as an export names and scales it. */
export interface ExportSignal {
  readonly label: string;
  readonly unit: string;
  readonly physicalMin: number;
  readonly physicalMax: number;
}

/** Takes rows of interleaved values in physical units, one writer per output format. */
export interface RowWriter {
  /** `count` rows from `rows`; `firstRow` is the first one's index in the output's row numbering. */
  write(rows: Float64Array, count: number, firstRow: number): void;
  /** Values outside the format's range, written clipped (BDF/EDF only). */
  readonly clipped: number;
  close(): Promise<void>;
}

/** How numbers are printed in text exports: the only thing that differs between commands. */
export interface TextPrecision {
  /** Decimals of time_s. */
  readonly timeDecimals: number;
  /** Values with a fixed number of decimals, or a number of significant digits. */
  readonly values: { readonly decimals: number } | { readonly significantDigits: number };
}

/** The precision each command writes (unchanged since each was first written). */
export const TEXT_PRECISION = {
  /** `bci stream`: host time to 0.1 ms, values to 0.001 (µV). */
  stream: { timeDecimals: 4, values: { decimals: 3 } },
  /** `bci replay`: recording time to 1 µs, values to 10 significant digits (outputs compare run to run). */
  replay: { timeDecimals: 6, values: { significantDigits: 10 } },
  /** `bci convert`: recording time to 1 µs, values to 0.0001. */
  convert: { timeDecimals: 6, values: { decimals: 4 } },
} as const satisfies Record<string, TextPrecision>;

function valueFormatter(precision: TextPrecision): (x: number) => string {
  const v = precision.values;
  return 'decimals' in v ? (x) => x.toFixed(v.decimals) : (x) => x.toPrecision(v.significantDigits);
}

/** The CSV header: `sample_index,time_s,<label>_<unit>…` (a channel without a unit gets `x`). */
export function csvHeader(signals: readonly Pick<ExportSignal, 'label' | 'unit'>[]): string {
  return `sample_index,time_s,${signals.map((c) => `${c.label}_${c.unit || 'x'}`).join(',')}\n`;
}

/** CSV: a header row, then one row per sample: its index, its time in seconds, then the values. */
export class CsvRowWriter implements RowWriter {
  readonly clipped = 0;
  private readonly value: (x: number) => string;
  private readonly width: number;

  /** `timeSecOf` gives the time column of a row: recording time, or host time for a live stream. */
  constructor(
    private readonly sink: TextSink,
    signals: readonly Pick<ExportSignal, 'label' | 'unit'>[],
    private readonly precision: TextPrecision,
    private readonly timeSecOf: (row: number) => number,
  ) {
    this.value = valueFormatter(precision);
    sink.write(csvHeader(signals));
    this.width = signals.length;
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const width = this.width;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      text += `${row},${this.timeSecOf(row).toFixed(this.precision.timeDecimals)}`;
      for (let c = 0; c < width; c++) text += ',' + this.value(rows[r * width + c]);
      text += '\n';
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/** JSON lines: `{"sampleIndex":…,"time":…,"values":[…]}` per sample, numbers rounded as `precision` says. */
export class JsonlRowWriter implements RowWriter {
  readonly clipped = 0;
  private readonly round: (x: number) => number;

  constructor(
    private readonly sink: TextSink,
    private readonly width: number,
    private readonly precision: TextPrecision,
    private readonly timeSecOf: (row: number) => number,
  ) {
    const v = precision.values;
    if ('decimals' in v) {
      const scale = 10 ** v.decimals;
      this.round = (x) => Math.round(x * scale) / scale;
    } else {
      this.round = (x) => Number(x.toPrecision(v.significantDigits));
    }
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const width = this.width;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      const values: number[] = new Array<number>(width);
      for (let c = 0; c < width; c++) values[c] = this.round(rows[r * width + c]);
      text += JSON.stringify({ sampleIndex: row, time: Number(this.timeSecOf(row).toFixed(this.precision.timeDecimals)), values }) + '\n';
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/** The OpenBCI GUI text layout (as the GUI writes a Cyton session), values to 0.01, a marker column. */
export class OpenBciTxtRowWriter implements RowWriter {
  readonly clipped = 0;

  constructor(
    private readonly sink: TextSink,
    private readonly width: number,
    private readonly sampleRateHz: number,
    private readonly startTime: Date | null,
    private readonly markerAt: (row: number) => number,
  ) {
    const exg = Array.from({ length: width }, (_, i) => `EXG Channel ${i}`);
    sink.write(
      `%OpenBCI Raw EXG Data\n%Number of channels = ${width}\n%Sample Rate = ${sampleRateHz} Hz\n%Board = OpenBCI_GUI$BoardCytonSerial\n` +
        `Sample Index, ${exg.join(', ')}, Accel Channel 0, Accel Channel 1, Accel Channel 2, Timestamp, Marker Channel, Timestamp (Formatted)\n`,
    );
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const width = this.width;
    const start = this.startTime?.getTime() ?? 0;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      const timeSec = row / this.sampleRateHz;
      const values: string[] = [];
      for (let c = 0; c < width; c++) values.push(rows[r * width + c].toFixed(2));
      const ms = Math.round(start + timeSec * 1000);
      const t = new Date(ms);
      const formatted = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')}.${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
      text += `${row % 256}, ${values.join(', ')}, 0.000, 0.000, 0.000, ${ms},${this.markerAt(row)}, ${formatted}\n`;
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

export interface EdfOutputShape {
  readonly sampleRateHz: number;
  readonly startTime: Date | null;
  readonly signals: readonly ExportSignal[];
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
    path: string,
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

  /** Pads the last record with NaN (no data), fixes up the record count in the header, syncs and closes. */
  async close(): Promise<void> {
    if (this.inRecord > 0) {
      this.record.fill(Number.NaN, this.inRecord * this.layout.spec.signals.length);
      this.inRecord = this.layout.samplesPerRecord;
      this.flush();
    }
    writeSync(this.fd, Buffer.from(numberField(this.records), 'latin1'), 0, 8, 236);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

// ---- events sidecar ----------------------------------------------------------------------------

/** An event in an export, in the export's own time (seconds from its first row). */
export interface ExportEvent {
  readonly onsetSec: number;
  readonly durationSec: number;
  readonly label: string;
  /** Its row; by default the row nearest its onset. */
  readonly sample?: number;
}

function sampleOf(event: ExportEvent, sampleRateHz: number): number {
  return event.sample ?? Math.round(event.onsetSec * sampleRateHz);
}

/** The BIDS-style `_events.tsv` beside a text export: `x.csv` → `x_events.tsv`. */
export function eventsSidecarPath(path: string): string {
  return path.replace(/\.(csv|txt)$/i, '') + '_events.tsv';
}

/** Writes the events of an export at PATH to the `_events.tsv` beside it (onsets in seconds, rows). */
export function writeEventsSidecar(path: string, events: readonly ExportEvent[], sampleRateHz: number): void {
  writeFileSync(eventsSidecarPath(path), eventsTsv(events.map((e) => ({ onsetSec: e.onsetSec, durationSec: e.durationSec, trialType: 'annotation', value: e.label, sample: sampleOf(e, sampleRateHz) }))));
}

// ---- exports -----------------------------------------------------------------------------------

export type ExportFormat = 'bdf' | 'edf' | 'csv' | 'openbci-txt' | 'jsonl';

/** The format a file name asks for (the formats a recording is converted to). */
export function exportFormatOf(path: string): Exclude<ExportFormat, 'jsonl'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.bdf') return 'bdf';
  if (ext === '.edf') return 'edf';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt') return 'openbci-txt';
  throw new EngineError('invalid-request', `cannot tell the output format from "${ext || path}": use .bdf, .edf, .csv or .txt (OpenBCI GUI layout)`);
}

export interface ExportOptions {
  /** A new file (never overwritten), or '-' for standard output (text formats). */
  readonly path: string;
  readonly format: ExportFormat;
  readonly sampleRateHz: number;
  readonly signals: readonly ExportSignal[];
  /** Wall-clock time of the first row, if known (BDF/EDF header, OpenBCI timestamps). */
  readonly startTime?: Date | null;
  /** CSV and JSON lines: how numbers are printed (default: TEXT_PRECISION.replay). */
  readonly precision?: TextPrecision;
  /** CSV and JSON lines: the time column of a row (default: row / sampleRateHz). */
  readonly timeSecOf?: (row: number) => number;
  /** Text formats: buffered writes (a live stream to a pipe) rather than synchronous ones. */
  readonly buffered?: boolean;
  /** CSV and OpenBCI text to a file: write the events to an `_events.tsv` beside it (default true). */
  readonly eventsSidecar?: boolean;
  /** Events known before the rows (more can be added as they come). */
  readonly events?: readonly ExportEvent[];
}

/**
 * An export in progress: rows and events as they come, in any of the export formats. Rows that
 * skip ahead leave a gap, which BDF/EDF (fixed one-second records) fill with NaN so time stays
 * true; CSV rows carry their index and need no filling.
 */
export class Exporter {
  private readonly writer: RowWriter;
  private readonly eventList: ExportEvent[];
  private readonly sink: TextSink | undefined;
  private nextRow = 0;

  constructor(private readonly options: ExportOptions) {
    const { path, format, sampleRateHz: rate, signals } = options;
    this.eventList = [...(options.events ?? [])];
    const timeSecOf = options.timeSecOf ?? ((row: number) => row / rate);
    const precision = options.precision ?? TEXT_PRECISION.replay;
    if (format === 'bdf' || format === 'edf') {
      if (path === '-') throw new Error(`${format.toUpperCase()} cannot go to standard output: name a file`);
      this.writer = new EdfRowWriter(path, format, { sampleRateHz: rate, startTime: options.startTime ?? null, signals }, (record) =>
        this.eventList.filter((e) => Math.floor(e.onsetSec) === record).map((e) => ({ onsetSec: e.onsetSec, durationSec: e.durationSec, label: e.label })),
      );
      return;
    }
    this.sink = openTextSink(path, options.buffered ?? false);
    if (format === 'csv') this.writer = new CsvRowWriter(this.sink, signals, precision, timeSecOf);
    else if (format === 'jsonl') this.writer = new JsonlRowWriter(this.sink, signals.length, precision, timeSecOf);
    else {
      this.writer = new OpenBciTxtRowWriter(this.sink, signals.length, rate, options.startTime ?? null, (row) =>
        this.eventList.some((e) => sampleOf(e, rate) === row) ? 1 : 0,
      );
    }
  }

  get events(): readonly ExportEvent[] {
    return this.eventList;
  }

  /** Values written clipped to the format's range (BDF/EDF). */
  get clipped(): number {
    return this.writer.clipped;
  }

  /** A buffered sink's write error, if writing failed (disk full, closed pipe). */
  get error(): Error | undefined {
    return this.sink?.error;
  }

  addEvent(event: ExportEvent): void {
    this.eventList.push(event);
  }

  /** `count` interleaved rows, the first being row `firstRow` of the export. */
  write(rows: Float64Array, count: number, firstRow: number): void {
    const { format, signals } = this.options;
    if ((format === 'bdf' || format === 'edf') && firstRow > this.nextRow) {
      const gap = firstRow - this.nextRow;
      this.writer.write(new Float64Array(gap * signals.length).fill(Number.NaN), gap, this.nextRow);
    }
    this.writer.write(rows, count, firstRow);
    this.nextRow = firstRow + count;
  }

  /** Finishes the file (and its events sidecar); throws a buffered sink's write error. */
  async close(): Promise<void> {
    await this.writer.close();
    const { path, format } = this.options;
    if ((format === 'csv' || format === 'openbci-txt') && path !== '-' && (this.options.eventsSidecar ?? true)) {
      writeEventsSidecar(path, this.eventList, this.options.sampleRateHz);
    }
  }
}

/** Starts an export (creating its file; never overwriting one). */
export function openExport(options: ExportOptions): Exporter {
  return new Exporter(options);
}
