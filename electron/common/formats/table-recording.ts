// A recording held in delimited text, one row per sample: the shared reader behind OpenBCI GUI
// files, BrainFlow CSV and CSV with a header row. Each format describes its columns (a TableSpec:
// which column is which channel, the sample counter, the timestamp, marker columns); this reader
// scans the file once in chunks to count rows, keep the byte offset of every 1024th row, find gaps
// (sample-counter jumps, or timestamp jumps) and marker events, and measure each channel's range;
// then it reads rows on demand from the nearest kept offset.

import {
  clampRead,
  RecordingFormatError,
  sortEvents,
  totalMissingSec,
  type RecordingChannel,
  type RecordingChannelType,
  type RecordingDiscontinuity,
  type RecordingEvent,
  type RecordingFormat,
  type RecordingInfo,
  type RecordingReader,
} from './recording.js';
import type { ByteSource } from './source.js';
import { forEachRow } from './text-table.js';

export interface TableChannelSpec {
  readonly column: number;
  readonly label: string;
  readonly type: RecordingChannelType;
  readonly unit: string;
  /** Left out when it reads zero throughout (e.g. the Cyton's analog pins outside analog mode). */
  readonly optional?: boolean;
}

export interface TableSpec {
  readonly format: RecordingFormat;
  /** For messages: "OpenBCI GUI file", … */
  readonly what: string;
  /** Field separator byte (',' or '\t'). */
  readonly delimiter: number;
  /** Byte offset and 1-based line number of the first data line. */
  readonly dataStart: number;
  readonly firstLine: number;
  readonly columns: number;
  readonly channels: readonly TableChannelSpec[];
  /** Known rate, or null to estimate it from the timestamp column. */
  readonly sampleRateHz: number | null;
  /** A sample counter that wraps at 256 (OpenBCI): its jumps are lost samples. */
  readonly counterColumn?: number;
  /** Host timestamps, in seconds or milliseconds since the epoch, or any clock in seconds (LSL). */
  readonly timestampColumn?: number;
  /** Columns whose non-zero values are events (labelled with the value). */
  readonly markerColumns?: readonly number[];
  /** Column groups that read zero when not updated (OpenBCI v4 accelerometer): the last values are held. */
  readonly holdZeroGroups?: readonly (readonly number[])[];
  /** Rows of zeros before the first real row are dropped (the OpenBCI GUI v5 writes one). */
  readonly skipLeadingZeroRows?: boolean;
  readonly notes: readonly string[];
}

const CHECKPOINT_ROWS = 1024;
const PRESCAN_ROWS = 4096;
const COUNTER_MODULO = 256;
const MAX_EVENTS = 1_000_000;
const MAX_GAPS = 100_000;
/** Rates a timestamp estimate snaps to when within 1%. */
const COMMON_RATES = [100, 125, 128, 160, 200, 250, 256, 500, 512, 1000, 1024, 1600, 2000, 2048, 4000, 4096, 8000, 8192, 16384];

interface Gap {
  row: number;
  missingRows?: number;
  wallSec?: number;
}

interface Resume {
  row: number;
  offset: number;
  line: number;
  hold: Float64Array[];
}

function snapRate(estimate: number): number {
  for (const r of COMMON_RATES) if (Math.abs(estimate - r) / r < 0.01) return r;
  return Math.round(estimate * 1000) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

export class TableRecordingReader implements RecordingReader {
  readonly info: RecordingInfo;
  private resume: Resume | null = null;

  private constructor(
    private readonly source: ByteSource,
    private readonly spec: TableSpec,
    private readonly dataStart: number,
    private readonly channelColumns: number[],
    private readonly checkpoints: { offset: number; line: number; hold: Float64Array[] }[],
    info: RecordingInfo,
  ) {
    this.info = info;
  }

  static async open(source: ByteSource, spec: TableSpec): Promise<TableRecordingReader> {
    const notes = [...spec.notes];
    const what = spec.what;
    const delim = spec.delimiter;
    const ts = spec.timestampColumn;
    const counter = spec.counterColumn;
    const holdGroups = spec.holdZeroGroups ?? [];
    const markers = spec.markerColumns ?? [];

    // --- pre-scan: leading zero rows, counter regularity, timestamp unit and step
    let dataStart = spec.dataStart;
    let firstLine = spec.firstLine;
    let leading = spec.skipLeadingZeroRows ?? false;
    let skipped = 0;
    let prevCounter = NaN;
    let prevTime = NaN;
    let firstTime = NaN;
    let counterSteps = 0;
    let counterOnes = 0;
    const steps: number[] = [];
    await forEachRow(
      source,
      spec.dataStart,
      delim,
      spec.columns,
      (v) => {
        if (leading) {
          if (v.values.every((x) => x === 0)) {
            skipped++;
            return;
          }
          leading = false;
          dataStart = v.offset;
          firstLine = v.line;
        }
        if (counter !== undefined) {
          const c = v.values[counter];
          if (Number.isFinite(prevCounter)) {
            counterSteps++;
            if ((((c - prevCounter) % COUNTER_MODULO) + COUNTER_MODULO) % COUNTER_MODULO === 1) counterOnes++;
          }
          prevCounter = c;
        }
        if (ts !== undefined) {
          const t = v.values[ts];
          if (Number.isNaN(firstTime)) firstTime = t;
          if (Number.isFinite(prevTime) && Number.isFinite(t)) steps.push(t - prevTime);
          prevTime = t;
        }
      },
      { firstLine: spec.firstLine, maxRows: PRESCAN_ROWS, what },
    );
    if (skipped) notes.push(`${skipped} row${skipped > 1 ? 's' : ''} of zeros before the first sample ${skipped > 1 ? 'were' : 'was'} dropped.`);
    const timeScale = ts !== undefined && Math.abs(firstTime) > 1e11 ? 1e-3 : 1;
    const useCounter = counter !== undefined && counterSteps > 0 && counterOnes / counterSteps >= 0.5;
    if (counter !== undefined && counterSteps > 0 && !useCounter) notes.push('The sample counter does not count one by one: gaps are found from the timestamps instead.');
    let rate: number;
    if (spec.sampleRateHz === null) {
      const step = median(steps) * timeScale;
      if (!(step > 0)) throw new RecordingFormatError(`${what}: cannot tell the sampling rate: no increasing timestamps in the first rows`);
      rate = 1 / step;
    } else rate = spec.sampleRateHz;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RecordingFormatError(`${what}: the sampling rate ${rate} is not a positive number`);

    // --- full scan
    const checkpoints: { offset: number; line: number; hold: Float64Array[] }[] = [];
    const hold = holdGroups.map((g) => new Float64Array(g.length));
    const mins = spec.channels.map(() => Infinity);
    const maxs = spec.channels.map(() => -Infinity);
    const gaps: Gap[] = [];
    const rawEvents: { row: number; label: string }[] = [];
    let eventsCapped = false;
    let gapsCapped = false;
    let lastCounter = NaN;
    let lastTime = NaN;
    let startSec = NaN;
    let tsGapWall = 0;
    let tsGaps = 0;
    let held = 0;
    const gapThresholdSec = Math.max(0.5, 50 / rate);
    const scan = await forEachRow(
      source,
      dataStart,
      delim,
      spec.columns,
      (v) => {
        const values = v.values;
        const row = v.row;
        if (row % CHECKPOINT_ROWS === 0) checkpoints.push({ offset: v.offset, line: v.line, hold: hold.map((h) => h.slice()) });
        if (holdGroups.length && applyHold(values, holdGroups, hold)) held++;
        for (let c = 0; c < spec.channels.length; c++) {
          const x = values[spec.channels[c].column];
          if (x < mins[c]) mins[c] = x;
          if (x > maxs[c]) maxs[c] = x;
        }
        const t = ts !== undefined ? values[ts] * timeScale : NaN;
        if (row === 0) startSec = t;
        else {
          let gap: Gap | null = null;
          if (useCounter) {
            const step = (((values[counter] - lastCounter) % COUNTER_MODULO) + COUNTER_MODULO) % COUNTER_MODULO;
            let lost = step === 0 ? 0 : step - 1;
            if (Number.isFinite(t) && Number.isFinite(lastTime)) {
              // the counter wraps at 256: timestamps tell longer gaps apart
              const byTime = (t - lastTime) * rate - 1;
              if (byTime > lost + COUNTER_MODULO / 2) lost += COUNTER_MODULO * Math.round((byTime - lost) / COUNTER_MODULO);
            }
            if (lost > 0) gap = { row, missingRows: lost };
          } else if (Number.isFinite(t) && Number.isFinite(lastTime) && t - lastTime > gapThresholdSec) {
            gap = { row, wallSec: t - lastTime };
            tsGapWall += t - lastTime;
            tsGaps++;
          }
          if (gap) {
            if (gaps.length < MAX_GAPS) gaps.push(gap);
            else gapsCapped = true;
          }
        }
        for (const m of markers) {
          const x = values[m];
          if (x !== 0 && Number.isFinite(x)) {
            if (rawEvents.length < MAX_EVENTS) rawEvents.push({ row, label: String(x) });
            else eventsCapped = true;
          }
        }
        if (useCounter) lastCounter = values[counter];
        if (Number.isFinite(t)) lastTime = t;
      },
      { firstLine, what },
    );
    const rowCount = scan.rows;
    if (scan.droppedTail) notes.push(scan.droppedTail);
    if (rowCount === 0) throw new RecordingFormatError(`${what}: no data rows`);
    if (held) notes.push(`${held} rows had no new accelerometer reading (zeros): the previous reading is held, as the OpenBCI GUI does.`);
    if (gapsCapped) notes.push(`More than ${MAX_GAPS} gaps: the rest are not reported.`);
    if (eventsCapped) notes.push(`More than ${MAX_EVENTS} markers: the rest were not read.`);

    if (spec.sampleRateHz === null) {
      const span = lastTime - startSec - tsGapWall;
      const estimate = span > 0 && rowCount > 1 ? (rowCount - 1 - tsGaps) / span : rate;
      rate = snapRate(estimate);
      notes.push(`Sampling rate estimated from the timestamps: ${estimate.toFixed(3)} Hz, taken as ${rate} Hz.`);
    }

    const discontinuities: RecordingDiscontinuity[] = [];
    let missing = 0;
    for (const g of gaps) {
      const missingSec = g.missingRows !== undefined ? g.missingRows / rate : Math.max(0, (g.wallSec ?? 0) - 1 / rate);
      discontinuities.push({ onsetSec: g.row / rate + missing, sampleIndex: g.row, missingSec });
      missing += missingSec;
    }
    if (discontinuities.length) {
      const lostRows = gaps.reduce((s, g) => s + (g.missingRows ?? 0), 0);
      notes.push(useCounter ? `${discontinuities.length} gaps in the sample counter (${lostRows} samples lost).` : `${discontinuities.length} gaps in the timestamps.`);
    }
    const events: RecordingEvent[] = [];
    let d = 0;
    let missingBefore = 0;
    for (const e of rawEvents) {
      while (d < discontinuities.length && discontinuities[d].sampleIndex <= e.row) missingBefore += discontinuities[d++].missingSec;
      events.push({ onsetSec: e.row / rate + missingBefore, durationSec: 0, label: e.label });
    }
    if (markers.length) notes.push(`Marker column: ${events.length} non-zero values read as events.`);

    const kept = spec.channels.map((c, i) => ({ c, i })).filter(({ c, i }) => !(c.optional && mins[i] === 0 && maxs[i] === 0));
    const dropped = spec.channels.filter((_, i) => !kept.some((k) => k.i === i));
    if (dropped.length) notes.push(`Left out, zero throughout: ${dropped.map((c) => c.label).join(', ')}.`);
    const channels: RecordingChannel[] = kept.map(({ c, i }) => {
      let lo = Number.isFinite(mins[i]) ? mins[i] : 0;
      let hi = Number.isFinite(maxs[i]) ? maxs[i] : 0;
      if (lo === hi) {
        lo -= 1;
        hi += 1;
      }
      return { label: c.label, type: c.type, unit: c.unit, sampleRateHz: rate, physicalMin: lo, physicalMax: hi };
    });
    const columnsOut = kept.map(({ c }) => c.column);
    let startTime: Date | null = null;
    if (Number.isFinite(startSec) && startSec > 1e9 && startSec < 1e11) startTime = new Date(Math.round(startSec * 1000));
    const info: RecordingInfo = {
      format: spec.format,
      channels,
      sampleRateHz: rate,
      rowChannels: channels.map((_, i) => i),
      sampleCount: rowCount,
      durationSec: rowCount / rate + totalMissingSec(discontinuities),
      startTime,
      events: sortEvents(events),
      discontinuities,
      notes,
    };
    return new TableRecordingReader(source, spec, dataStart, columnsOut, checkpoints, info);
  }

  readRows(start: number, count: number, out: Float64Array): Promise<number> {
    const n = clampRead(this.info.sampleCount, start, count, out, this.channelColumns.length);
    return this.readColumns(this.channelColumns, start, n, out).then(() => n);
  }

  readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number> {
    const column = this.channelColumns[channel];
    if (column === undefined) throw new RangeError(`channel ${channel} does not exist (the file has ${this.channelColumns.length})`);
    const n = clampRead(this.info.sampleCount, start, count, out, 1);
    return this.readColumns([column], start, n, out).then(() => n);
  }

  private async readColumns(columns: number[], start: number, n: number, out: Float64Array): Promise<void> {
    if (n === 0) return;
    const width = columns.length;
    const groups = this.spec.holdZeroGroups ?? [];
    // resume where the last read stopped (sequential replay), or from the nearest kept offset
    let from: Resume;
    const r = this.resume;
    const cp = Math.floor(start / CHECKPOINT_ROWS);
    if (r && r.row <= start && r.row >= cp * CHECKPOINT_ROWS) from = r;
    else {
      const c = this.checkpoints[cp];
      from = { row: cp * CHECKPOINT_ROWS, offset: c.offset, line: c.line, hold: c.hold };
    }
    const hold = from.hold.map((h) => h.slice());
    const end = start + n;
    const rowsToVisit = end - from.row;
    const avgRowBytes = (this.source.size - this.dataStart) / this.info.sampleCount;
    let lastLine = from.line;
    const result = await forEachRow(
      this.source,
      from.offset,
      this.spec.delimiter,
      this.spec.columns,
      (v) => {
        const row = from.row + v.row;
        if (groups.length) applyHold(v.values, groups, hold);
        if (row >= start) {
          const base = (row - start) * width;
          for (let j = 0; j < width; j++) out[base + j] = v.values[columns[j]];
        }
        lastLine = v.line;
        return row + 1 < end;
      },
      { firstLine: from.line, maxRows: rowsToVisit, what: this.spec.what, chunkBytes: Math.ceil(rowsToVisit * avgRowBytes * 1.2) + 4096 },
    );
    if (result.rows < rowsToVisit) throw new RecordingFormatError(`${this.spec.what}: the file changed since it was opened (row ${from.row + result.rows} is missing)`);
    this.resume = { row: end, offset: result.end, line: lastLine + 1, hold };
  }
}

/**
 * Holds the last values of groups with a zero in them (the OpenBCI v4 accelerometer reads 0 when
 * the packet carried no new reading; the GUI v5+ also keeps the previous reading when one axis
 * reads 0, and this matches it); returns whether any group was held.
 */
function applyHold(values: Float64Array, groups: readonly (readonly number[])[], hold: Float64Array[]): boolean {
  let any = false;
  for (let g = 0; g < groups.length; g++) {
    const cols = groups[g];
    let zero = false;
    for (const c of cols) if (values[c] === 0) zero = true;
    if (zero) {
      for (let k = 0; k < cols.length; k++) values[cols[k]] = hold[g][k];
      any = true;
    } else for (let k = 0; k < cols.length; k++) hold[g][k] = values[cols[k]];
  }
  return any;
}
