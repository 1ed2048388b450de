// Exporting rows to files: the one place that opens an output file (never overwriting one), and
// the writers of every export format: CSV (`sample_index,time_s,<label>_<unit>…`, the one writer
// of `bci stream`, `bci replay` and `bci convert`, each channel printed with the digits its source's
// resolution needs), JSON lines, the OpenBCI GUI text layout, and BDF+/EDF+ with events as
// annotations and gaps or missing values as annotated zeros; plus the events sidecar beside a text
// export. `openExport` puts them behind one object that takes rows and events as
// they come: what `bci replay --out` and `bci convert` use, and what the engine or the UI can use
// for "replay to file".

import { closeSync, createWriteStream, fsyncSync, openSync, writeFileSync, writeSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { extname } from 'node:path';
import { appendAnnotations, EdfLayout, encodeRecord, MAX_TIMEKEEPING_BYTES, numberField, unfitExample, utf8, type EdfAnnotation } from '../../common/formats/edf-writer.js';
import { eventsTsv } from '../../common/formats/bids.js';
import { EngineError } from '../../common/contract/failure.js';
import { XdfRowWriter } from './xdf-export.js';

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
  /** The channel type (the OpenBCI layout puts accelerometer channels in their own columns). */
  readonly type?: string;
  /** The smallest step the source can represent, in `unit` (absent when unknown): text exports print
   * enough digits to keep it. */
  readonly resolution?: number;
}

/** Takes rows of interleaved values in physical units, one writer per output format. */
export interface RowWriter {
  /** `count` rows from `rows`; `firstRow` is the first one's index in the output's row numbering. */
  write(rows: Float64Array, count: number, firstRow: number): void;
  /** Values outside the format's range, written clipped (BDF/EDF only). */
  readonly clipped: number;
  close(): Promise<void>;
}

/** Decimals of the time column of every text export (1 µs). */
export const TIME_DECIMALS = 6;
/** Significant digits of a value whose source resolution is unknown (text and float sources). */
export const UNKNOWN_RESOLUTION_DIGITS = 10;

/** Decimals that keep a value to 1/200 of its source's resolution (0.02235 µV → 4; 0.001 mV → 5). */
export function decimalsForResolution(resolution: number): number {
  return Math.min(15, Math.max(0, Math.ceil(-Math.log10(resolution)) + 2));
}

/**
 * How a channel's values are printed in every text export (CSV, JSON lines, OpenBCI text): as many
 * decimals as its source's resolution needs, or 10 significant digits (trailing zeros dropped) when the resolution is unknown.
 * So a channel in mV or V keeps its resolution as one in µV does.
 */
export function valueFormatter(resolution: number | undefined): (x: number) => string {
  if (resolution !== undefined && resolution > 0 && Number.isFinite(resolution)) {
    const decimals = decimalsForResolution(resolution);
    return (x) => x.toFixed(decimals);
  }
  return (x) => {
    // 10 significant digits, without the trailing zeros (a value read as 61379.36 is written so)
    const text = x.toPrecision(UNKNOWN_RESOLUTION_DIGITS);
    if (text.includes('e')) return String(Number(text));
    return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  };
}

/** What a text export's time column counts: seconds from the recording's start, or Unix seconds of the host clock (a live stream). */
export type TimeBase = 'recording' | 'unix';

/**
 * The CSV header: `sample_index,time_s,<label>_<unit>…` (a channel without a unit gets `x`); with
 * Unix time the time column says so: `unix_time_s`.
 */
export function csvHeader(signals: readonly Pick<ExportSignal, 'label' | 'unit'>[], timeBase: TimeBase = 'recording'): string {
  return `sample_index,${timeBase === 'unix' ? 'unix_time_s' : 'time_s'},${signals.map((c) => `${c.label}_${c.unit || 'x'}`).join(',')}\n`;
}

/**
 * CSV, the one writer of `bci stream`, `bci replay` and `bci convert`: a header row, then one row per
 * sample: its index, its time in seconds (TIME_DECIMALS), then the values, each channel printed as its
 * resolution needs (valueFormatter). A sample with no data is written NaN.
 */
export class CsvRowWriter implements RowWriter {
  readonly clipped = 0;
  private readonly format: ((x: number) => string)[];

  /** `timeSecOf` gives the time column of a row: recording time, or host time for a live stream. */
  constructor(
    private readonly sink: TextSink,
    signals: readonly Pick<ExportSignal, 'label' | 'unit' | 'resolution'>[],
    private readonly timeSecOf: (row: number) => number,
    timeBase: TimeBase = 'recording',
  ) {
    this.format = signals.map((s) => valueFormatter(s.resolution));
    sink.write(csvHeader(signals, timeBase));
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const format = this.format;
    const width = format.length;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      text += `${row},${this.timeSecOf(row).toFixed(TIME_DECIMALS)}`;
      for (let c = 0; c < width; c++) text += ',' + format[c](rows[r * width + c]);
      text += '\n';
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/** JSON lines: `{"sampleIndex":…,"time":…,"values":[…]}` per sample, values as CSV prints them (NaN → null). */
export class JsonlRowWriter implements RowWriter {
  readonly clipped = 0;
  private readonly format: ((x: number) => string)[];

  constructor(
    private readonly sink: TextSink,
    signals: readonly Pick<ExportSignal, 'resolution'>[],
    private readonly timeSecOf: (row: number) => number,
  ) {
    this.format = signals.map((s) => valueFormatter(s.resolution));
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const format = this.format;
    const width = format.length;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      const values: (number | null)[] = new Array<number | null>(width);
      for (let c = 0; c < width; c++) {
        const x = rows[r * width + c];
        values[c] = Number.isFinite(x) ? Number(format[c](x)) : null;
      }
      text += JSON.stringify({ sampleIndex: row, time: Number(this.timeSecOf(row).toFixed(TIME_DECIMALS)), values }) + '\n';
    }
    this.sink.write(text);
  }

  /** A marker line, `{"sampleIndex":…,"time":…,"marker":"…"}`, between the samples. */
  writeMarker(sampleIndex: number, label: string): void {
    const time = this.timeSecOf(sampleIndex);
    this.sink.write(JSON.stringify({ sampleIndex, time: Number.isFinite(time) ? Number(time.toFixed(TIME_DECIMALS)) : null, marker: label }) + '\n');
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

// ---- OpenBCI GUI text ---------------------------------------------------------------------------

/** Scale to µV of a voltage unit (the OpenBCI layout's EXG columns are µV), or undefined. */
const TO_UV: Record<string, number> = { uV: 1, mV: 1e3, V: 1e6, nV: 1e-3 };

/** How a recording's channels go into the OpenBCI GUI (v6) layout. */
export interface OpenBciTxtPlan {
  /** Positions (among the signals) of the EXG columns, with their scale to µV. */
  readonly exg: readonly { readonly index: number; readonly scaleToUv: number }[];
  /** Positions of the three accelerometer columns (g), or [] (the columns are then left out). */
  readonly accel: readonly number[];
  readonly boardLine: string;
}

/** The board line for a source: a Cyton, Cyton+Daisy or Ganglion only when the source came from one. */
export function openBciBoardLine(source: { readonly format: string; readonly exgChannels: number; readonly sampleRateHz: number }): string {
  const fromOpenBci = source.format === 'openbci-txt' || source.format === 'brainflow-csv';
  if (fromOpenBci && source.exgChannels === 8 && source.sampleRateHz === 250) return 'OpenBCI_GUI$BoardCytonSerial';
  if (fromOpenBci && source.exgChannels === 16 && source.sampleRateHz === 125) return 'OpenBCI_GUI$BoardCytonSerialDaisy';
  if (fromOpenBci && source.exgChannels === 4 && source.sampleRateHz === 200) return 'OpenBCI_GUI$BoardGanglionBLE';
  return `BCI_Workstation (converted from ${source.format}, not an OpenBCI board)`;
}

/**
 * Which channels become EXG columns (any voltage, written in µV) and which the three accelerometer
 * columns (g); refuses, in a sentence, a recording the layout cannot hold.
 */
export function planOpenBciTxt(signals: readonly ExportSignal[], boardLine: string): OpenBciTxtPlan {
  const exg: { index: number; scaleToUv: number }[] = [];
  const accel: number[] = [];
  const refused: string[] = [];
  signals.forEach((s, index) => {
    if (s.type === 'accel' && s.unit === 'g') accel.push(index);
    else if (s.type !== 'accel' && TO_UV[s.unit] !== undefined) exg.push({ index, scaleToUv: TO_UV[s.unit] });
    else refused.push(`${s.label} (${s.type ?? 'channel'}${s.unit ? ` in ${s.unit}` : ', no unit'})`);
  });
  const hint = 'choose the channels with --channels, or write .csv, .bdf or .edf';
  if (refused.length) throw new EngineError('invalid-request', `the OpenBCI GUI layout holds EXG channels in µV and three accelerometer axes in g: ${refused.join(', ')} cannot be written there: ${hint}`);
  if (accel.length !== 0 && accel.length !== 3) throw new EngineError('invalid-request', `the OpenBCI GUI layout holds exactly three accelerometer axes; this recording has ${accel.length}: ${hint}`);
  if (exg.length === 0) throw new EngineError('invalid-request', `the OpenBCI GUI layout needs at least one EXG channel (in µV, mV or V): ${hint}`);
  return { exg, accel, boardLine };
}

/** The GUI's formatted time column: the date and time of day (UTC), or the time from the start when the start is unknown. */
function formattedTime(ms: number, dated: boolean): string {
  const t = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(dated ? t.getUTCHours() : Math.floor(ms / 3_600_000))}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
  return dated ? `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())} ${time}` : time;
}

/**
 * The OpenBCI GUI v6 text layout, as the workstation's own reader reads it back: a header with the
 * EXG channel count, the rate and a board line true to the source; named columns; the sample index
 * (mod 256, as the Cyton counts) of the row's true place in time, so gaps show as counter and time
 * jumps; EXG values in µV and the accelerometer in g, printed as their resolution needs; the
 * timestamp in seconds (since the epoch when the start is known, else from 0); the marker column.
 */
export class OpenBciTxtRowWriter implements RowWriter {
  readonly clipped = 0;
  private readonly exgFormat: ((x: number) => string)[];
  private readonly accelFormat: ((x: number) => string)[];
  private readonly width: number;

  constructor(
    private readonly sink: TextSink,
    signals: readonly ExportSignal[],
    private readonly plan: OpenBciTxtPlan,
    sampleRateHz: number,
    private readonly startTime: Date | null,
    private readonly timeSecOf: (row: number) => number,
    private readonly markerAt: (row: number) => number,
  ) {
    this.width = signals.length;
    this.exgFormat = plan.exg.map((e) => valueFormatter(signals[e.index].resolution === undefined ? undefined : signals[e.index].resolution! * e.scaleToUv));
    this.accelFormat = plan.accel.map((i) => valueFormatter(signals[i].resolution));
    const exgNames = plan.exg.map((_, k) => `EXG Channel ${k}`);
    const accelNames = plan.accel.map((_, k) => `Accel Channel ${k}`);
    sink.write(
      `%OpenBCI Raw EXG Data\n%Number of channels = ${plan.exg.length}\n%Sample Rate = ${sampleRateHz} Hz\n%Board = ${plan.boardLine}\n` +
        `%Channel labels = ${plan.exg.map((e) => signals[e.index].label.replace(/[,\n]/g, ' ')).join(', ')}\n` +
        `${['Sample Index', ...exgNames, ...accelNames, 'Timestamp', 'Marker Channel', 'Timestamp (Formatted)'].join(', ')}\n`,
    );
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    const { width, plan } = this;
    const startSec = (this.startTime?.getTime() ?? 0) / 1000;
    let text = '';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r;
      const at = r * width;
      text += row % 256;
      for (let k = 0; k < plan.exg.length; k++) text += ', ' + this.exgFormat[k](rows[at + plan.exg[k].index] * plan.exg[k].scaleToUv);
      for (let k = 0; k < plan.accel.length; k++) text += ', ' + this.accelFormat[k](rows[at + plan.accel[k]]);
      const timeSec = startSec + this.timeSecOf(row);
      text += `, ${timeSec.toFixed(TIME_DECIMALS)}, ${this.markerAt(row)}, ${formattedTime(Math.round(timeSec * 1000), this.startTime !== null)}\n`;
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

// ---- BDF+ / EDF+ --------------------------------------------------------------------------------

export interface EdfOutputShape {
  readonly sampleRateHz: number;
  readonly startTime: Date | null;
  readonly signals: readonly ExportSignal[];
  /** Bytes reserved per record for annotations (default 1024); events that do not fit go into the next record. */
  readonly annotationBytesPerRecord?: number;
}

/** Bytes an annotation takes in a record's annotations signal (its TAL). */
export function annotationBytes(a: EdfAnnotation): number {
  return utf8(`+${a.onsetSec.toFixed(6)}\x15${a.durationSec.toFixed(6)}\x14${a.label}\x14\x00`).length;
}

/**
 * Writes rows to a new BDF+/EDF+ file in one-second records. Annotations go into the record they fall
 * in (or the next with room: onsets are absolute); those past the last row go into the last record.
 * Values must be finite (the exporter turns missing data into annotated zeros).
 */
export class EdfRowWriter implements RowWriter {
  private readonly fd: number;
  private readonly layout: EdfLayout;
  private readonly record: Float64Array;
  private readonly bytes: Uint8Array;
  private inRecord = 0;
  private records = 0;
  /** Sorted by onset; `next` is the first not yet written. */
  private readonly annotations: EdfAnnotation[] = [];
  private next = 0;
  /** Annotations due that did not fit their record. */
  private carried: EdfAnnotation[] = [];
  /** Bytes in use in the last written record's annotations area (late annotations go after them). */
  private lastUsed = 0;
  clipped = 0;
  annotationsWritten = 0;

  constructor(path: string, variant: 'bdf' | 'edf', shape: EdfOutputShape) {
    if (!Number.isInteger(shape.sampleRateHz)) {
      throw new EngineError('invalid-request', `${variant.toUpperCase()} output needs a whole sampling rate (one-second records); this recording runs at ${shape.sampleRateHz} Hz: write .csv instead`);
    }
    this.layout = new EdfLayout({
      variant,
      subjectCode: 'X',
      startTime: shape.startTime ?? new Date(0),
      technician: 'X',
      equipment: 'BCI_Workstation',
      sampleRateHz: shape.sampleRateHz,
      annotationBytesPerRecord: shape.annotationBytesPerRecord ?? 1024,
      signals: shape.signals.map((ch) => {
        const span = ch.physicalMax - ch.physicalMin;
        // EDF headers are ASCII: µ is written u, as EDF itself spells µV
        return { label: ch.label, unit: ch.unit.replace(/[µμ]/g, 'u'), physicalMin: span > 0 ? ch.physicalMin : ch.physicalMin - 1, physicalMax: span > 0 ? ch.physicalMax : ch.physicalMax + 1 };
      }),
    });
    this.record = new Float64Array(shape.sampleRateHz * shape.signals.length);
    this.bytes = new Uint8Array(this.layout.recordBytes);
    this.fd = openOutput(path);
    writeSync(this.fd, this.layout.header(-1));
  }

  /** Physical ranges as the header says them (after rounding to 8 characters). */
  get physical(): readonly { min: number; max: number }[] {
    return this.layout.physical;
  }

  addAnnotation(a: EdfAnnotation): void {
    // keep [next, end) sorted; one that is already due goes into the next record written
    if (Math.floor(a.onsetSec) < this.records) {
      this.carried.push(a);
      return;
    }
    let at = this.annotations.length;
    while (at > this.next && this.annotations[at - 1].onsetSec > a.onsetSec) at--;
    this.annotations.splice(at, 0, a);
  }

  write(rows: Float64Array, count: number, _firstRow?: number): void {
    const width = this.layout.spec.signals.length;
    for (let r = 0; r < count; r++) {
      this.record.set(rows.subarray(r * width, (r + 1) * width), this.inRecord * width);
      if (++this.inRecord === this.layout.samplesPerRecord) this.flush(false);
    }
  }

  private due(last: boolean): EdfAnnotation[] {
    const due = this.carried;
    this.carried = [];
    while (this.next < this.annotations.length && (last || Math.floor(this.annotations[this.next].onsetSec) <= this.records)) due.push(this.annotations[this.next++]);
    return due;
  }

  private flush(last: boolean): void {
    const due = this.due(last);
    const { clipped, overflow, unfit, annotationBytesUsed } = encodeRecord(this.layout, this.record, this.records, due, this.bytes);
    if (unfit.length) throw tooLong(unfit);
    this.clipped += clipped;
    this.annotationsWritten += due.length - overflow.length;
    this.carried = overflow;
    this.lastUsed = annotationBytesUsed;
    writeSync(this.fd, this.bytes);
    this.records++;
    this.inRecord = 0;
  }

  /** Pads the last record with zeros (the caller annotates them), adds the annotations still due to
   * the last record, fixes up the record count in the header, syncs and closes. */
  async close(): Promise<void> {
    try {
      if (this.inRecord > 0) {
        this.record.fill(0, this.inRecord * this.layout.spec.signals.length);
        this.inRecord = this.layout.samplesPerRecord;
        this.flush(true);
      }
      const left = this.due(true);
      if (left.length && this.records > 0) {
        // into the last record written, after what it holds
        const width = this.layout.spec.signals.length * this.layout.samplesPerRecord * this.layout.bytesPerSample;
        const area = this.layout.annotationSamples * this.layout.bytesPerSample;
        const { overflow, unfit, used } = appendAnnotations(this.bytes, width, area, this.lastUsed, left, MAX_TIMEKEEPING_BYTES);
        if (unfit.length) throw tooLong(unfit);
        this.lastUsed = used;
        this.annotationsWritten += left.length - overflow.length;
        writeSync(this.fd, this.bytes, 0, this.bytes.length, this.layout.headerBytes + (this.records - 1) * this.layout.recordBytes);
        if (overflow.length) throw new EngineError('io', `${overflow.length} events did not fit in the file's annotations (more than fit in one second): write .csv, whose events go to an _events.tsv`);
      }
      writeSync(this.fd, Buffer.from(numberField(this.records), 'latin1'), 0, 8, 236);
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Events too long for an EDF+ record's annotations: refused in a sentence (a CSV keeps them whole). */
function tooLong(unfit: readonly EdfAnnotation[]): EngineError {
  return new EngineError('io', `${unfit.length === 1 ? 'an event is' : `${unfit.length} events are`} too long for an EDF+ annotation (${unfitExample(unfit)}): write .csv, whose events go to an _events.tsv`);
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

/** The marker code of each event label in the OpenBCI layout's marker column: a label that is a
 * non-zero number is its own code; otherwise labels get 1, 2, … in order of first appearance. */
export function markerCodes(labels: readonly string[]): Map<string, number> {
  const codes = new Map<string, number>();
  const numeric = labels.every((l) => Number.isFinite(Number(l)) && Number(l) !== 0 && l.trim() !== '');
  for (const l of labels) if (!codes.has(l)) codes.set(l, numeric ? Number(l) : codes.size + 1);
  return codes;
}

// ---- exports -----------------------------------------------------------------------------------

export type ExportFormat = 'bdf' | 'edf' | 'csv' | 'openbci-txt' | 'jsonl' | 'xdf';

/** The format a file name asks for (the formats a recording is converted to). */
export function exportFormatOf(path: string): Exclude<ExportFormat, 'jsonl'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.bdf') return 'bdf';
  if (ext === '.edf') return 'edf';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt') return 'openbci-txt';
  if (ext === '.xdf') return 'xdf';
  throw new EngineError('invalid-request', `cannot tell the output format from "${ext || path}": use .bdf, .edf, .csv, .txt (OpenBCI GUI layout) or .xdf`);
}

export interface ExportOptions {
  /** A new file (never overwritten), or '-' for standard output (text formats). */
  readonly path: string;
  readonly format: ExportFormat;
  readonly sampleRateHz: number;
  readonly signals: readonly ExportSignal[];
  /** Wall-clock time of the first row, if known (BDF/EDF header, OpenBCI timestamps). */
  readonly startTime?: Date | null;
  /** Text formats: the time of a row, in seconds (default: row / sampleRateHz). */
  readonly timeSecOf?: (row: number) => number;
  /** Text formats: what the time column counts (default 'recording'; a live stream's is 'unix'). */
  readonly timeBase?: TimeBase;
  /** Text formats: buffered writes (a live stream to a pipe) rather than synchronous ones. */
  readonly buffered?: boolean;
  /** CSV and OpenBCI text to a file: write the events to an `_events.tsv` beside it (default true). */
  readonly eventsSidecar?: boolean;
  /** Events known before the rows (more can be added as they come, except in the OpenBCI layout). */
  readonly events?: readonly ExportEvent[];
  /** BDF/EDF: bytes per record for annotations (see EdfOutputShape). */
  readonly annotationBytesPerRecord?: number;
  /** OpenBCI text: the board line (default: a generic one that names no OpenBCI board). */
  readonly boardLine?: string;
}

/** What an export wrote besides the rows: the honest part of a summary. */
export interface ExportCounts {
  /** Values outside the format's range, written clipped (BDF/EDF). */
  readonly clipped: number;
  /** Rows skipped by the writer's caller (a gap), written as annotated zeros in BDF/EDF. */
  readonly gapRows: number;
  readonly gaps: number;
  /** NaN values (empty fields, no data) received: BDF/EDF write them as annotated zeros, text as NaN. */
  readonly emptyValues: number;
  /** Zero rows that complete the last one-second record (BDF/EDF), annotated. */
  readonly paddingRows: number;
  /** Annotations written besides the events: gaps, empty values, padding. */
  readonly noteAnnotations: number;
}

/**
 * An export in progress: rows and events as they come, in any of the export formats. Rows that
 * skip ahead leave a gap: text formats carry the row's true index and time; BDF/EDF (fixed one-second
 * records) write zeros with a "gap" annotation, as the recorder does, so time stays true. Missing
 * values (NaN: empty fields, no data) are written as zeros with a "no data" annotation in BDF/EDF.
 */
export class Exporter {
  private readonly writer: RowWriter;
  private readonly edf: EdfRowWriter | undefined;
  private readonly eventList: ExportEvent[];
  private readonly sink: TextSink | undefined;
  private readonly width: number;
  private scratch = new Float64Array(0);
  private nextRow = 0;
  private gapRows = 0;
  private gaps = 0;
  private emptyValues = 0;
  private paddingRows = 0;
  private noteAnnotations = 0;
  /** BDF/EDF: the first row of the current run of rows with missing values, or -1. */
  private emptyRunStart = -1;

  constructor(private readonly options: ExportOptions) {
    const { path, format, sampleRateHz: rate, signals } = options;
    this.width = signals.length;
    this.eventList = [...(options.events ?? [])];
    const timeSecOf = options.timeSecOf ?? ((row: number) => row / rate);
    if (format === 'bdf' || format === 'edf') {
      if (path === '-') throw new EngineError('invalid-request', `${format.toUpperCase()} cannot go to standard output: name a file`);
      this.edf = new EdfRowWriter(path, format, { sampleRateHz: rate, startTime: options.startTime ?? null, signals, annotationBytesPerRecord: options.annotationBytesPerRecord });
      for (const e of this.eventList) this.edf.addAnnotation(e);
      this.writer = this.edf;
      return;
    }
    if (format === 'xdf') {
      if (path === '-') throw new EngineError('invalid-request', 'XDF cannot go to standard output: name a file');
      this.writer = new XdfRowWriter(path, rate, signals, options.startTime ?? null, timeSecOf, () => this.eventList);
      return;
    }
    const plan = format === 'openbci-txt' ? planOpenBciTxt(signals, options.boardLine ?? 'BCI_Workstation (not an OpenBCI board)') : undefined;
    this.sink = openTextSink(path, options.buffered ?? false);
    if (format === 'csv') this.writer = new CsvRowWriter(this.sink, signals, timeSecOf, options.timeBase);
    else if (format === 'jsonl') this.writer = new JsonlRowWriter(this.sink, signals, timeSecOf);
    else {
      const codes = markerCodes(this.eventList.map((e) => e.label));
      const byRow = new Map<number, number>();
      for (const e of this.eventList) byRow.set(sampleOf(e, rate), codes.get(e.label)!);
      this.writer = new OpenBciTxtRowWriter(this.sink, signals, plan!, rate, options.startTime ?? null, timeSecOf, (row) => byRow.get(row) ?? 0);
    }
  }

  get events(): readonly ExportEvent[] {
    return this.eventList;
  }

  /** Values written clipped to the format's range (BDF/EDF). */
  get clipped(): number {
    return this.writer.clipped;
  }

  get counts(): ExportCounts {
    return { clipped: this.writer.clipped, gapRows: this.gapRows, gaps: this.gaps, emptyValues: this.emptyValues, paddingRows: this.paddingRows, noteAnnotations: this.noteAnnotations };
  }

  /** A buffered sink's write error, if writing failed (disk full, closed pipe). */
  get error(): Error | undefined {
    return this.sink?.error;
  }

  addEvent(event: ExportEvent): void {
    if (this.options.format === 'openbci-txt') throw new Error('the OpenBCI layout takes its events before its rows');
    this.eventList.push(event);
    this.edf?.addAnnotation(event);
    // JSON lines carry their events as lines of their own, where they come
    if (this.writer instanceof JsonlRowWriter) this.writer.writeMarker(sampleOf(event, this.options.sampleRateHz), event.label);
  }

  private note(onsetRow: number, rows: number, label: string): void {
    const rate = this.options.sampleRateHz;
    this.edf!.addAnnotation({ onsetSec: onsetRow / rate, durationSec: rows / rate, label });
    this.noteAnnotations++;
  }

  /** `count` interleaved rows, the first being row `firstRow` of the export. */
  write(rows: Float64Array, count: number, firstRow: number): void {
    const width = this.width;
    if (firstRow > this.nextRow) {
      const gap = firstRow - this.nextRow;
      this.gapRows += gap;
      this.gaps++;
      if (this.edf) {
        this.endEmptyRun(this.nextRow);
        this.note(this.nextRow, gap, `gap: ${gap} samples lost`);
        const zeros = new Float64Array(Math.min(gap, 4096) * width);
        for (let left = gap; left > 0; left -= 4096) this.edf.write(zeros, Math.min(left, 4096), 0);
      }
    }
    if (this.edf) {
      // missing values: zeros in the file, one annotation per run of rows that hold any
      if (this.scratch.length < count * width) this.scratch = new Float64Array(count * width);
      const out = this.scratch;
      for (let r = 0; r < count; r++) {
        let empty = false;
        for (let c = 0; c < width; c++) {
          const x = rows[r * width + c];
          if (x !== x) {
            empty = true;
            this.emptyValues++;
            out[r * width + c] = 0;
          } else out[r * width + c] = x;
        }
        if (empty && this.emptyRunStart < 0) this.emptyRunStart = firstRow + r;
        else if (!empty) this.endEmptyRun(firstRow + r);
      }
      this.edf.write(out, count, firstRow);
    } else {
      for (let i = 0; i < count * width; i++) if (rows[i] !== rows[i]) this.emptyValues++;
      this.writer.write(rows, count, firstRow);
    }
    this.nextRow = firstRow + count;
  }

  private endEmptyRun(row: number): void {
    if (this.emptyRunStart < 0) return;
    const n = row - this.emptyRunStart;
    this.note(this.emptyRunStart, n, `no data: ${n} samples empty or NaN in the source (written as 0)`);
    this.emptyRunStart = -1;
  }

  /** Finishes the file (and its events sidecar); throws a buffered sink's write error. */
  async close(): Promise<void> {
    if (this.edf) {
      this.endEmptyRun(this.nextRow);
      const rate = this.options.sampleRateHz;
      const pad = (rate - (this.nextRow % rate)) % rate;
      if (pad > 0) {
        this.paddingRows = pad;
        this.note(this.nextRow, pad, `end of data: ${pad} samples of padding (written as 0) complete the last second`);
      }
    }
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
