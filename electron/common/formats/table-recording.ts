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
import { jitterScale, StepTracker } from './table-timing.js';
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
  /** The header line's bytes (no line end): a line repeating it in the data is skipped and reported. */
  readonly headerLine?: Uint8Array;
  /** Rows of zeros before the first real row are dropped (the OpenBCI GUI v5 writes one). */
  readonly skipLeadingZeroRows?: boolean;
  readonly notes: readonly string[];
}

const CHECKPOINT_ROWS = 1024;
const PRESCAN_ROWS = 4096;
const COUNTER_MODULO = 256;
/** Without a counter, a step longer than expected by this much is always a gap, whatever the jitter. */
const MAX_GAP_THRESHOLD_SEC = 0.5;
/** A measured rate further than this (relative) from the nominal one is reported. */
const MEASURED_RATE_TOLERANCE = 0.005;
const MAX_EVENTS = 1_000_000;
const MAX_GAPS = 100_000;
/** Rates a timestamp estimate snaps to when within 1%. */
const COMMON_RATES = [100, 125, 128, 160, 200, 250, 256, 500, 512, 1000, 1024, 1600, 2000, 2048, 4000, 4096, 8000, 8192, 16384];

interface Gap {
  row: number;
  missingRows?: number;
  missingSec?: number;
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

/** The mean step, leaving out steps that are gaps or glitches (beyond ten times the median, or negative). */
function robustMeanStep(steps: readonly number[], median: number): number {
  const limit = 10 * Math.max(median, 0);
  let sum = 0;
  let n = 0;
  for (const x of steps) {
    if (x >= 0 && x <= limit) {
      sum += x;
      n++;
    }
  }
  return n > 0 && sum > 0 ? sum / n : median;
}

function formatSec(sec: number): string {
  const a = Math.abs(sec);
  return a >= 1 ? `${sec.toFixed(a >= 1000 ? 0 : 3)} s` : `${(sec * 1000).toFixed(1)} ms`;
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

    // --- pre-scan: leading zero rows, counter regularity and stride, timestamp unit, step and jitter
    let dataStart = spec.dataStart;
    let firstLine = spec.firstLine;
    let leading = spec.skipLeadingZeroRows ?? false;
    let skipped = 0;
    let prevCounter = NaN;
    let prevTime = NaN;
    let firstTime = NaN;
    let counterSteps = 0;
    const counterStepCounts = [0, 0, 0];
    const steps: number[] = [];
    const headerLine = spec.headerLine;
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
          if (Number.isFinite(prevCounter) && Number.isFinite(c)) {
            counterSteps++;
            const step = (((c - prevCounter) % COUNTER_MODULO) + COUNTER_MODULO) % COUNTER_MODULO;
            if (step === 1 || step === 2) counterStepCounts[step]++;
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
      { firstLine: spec.firstLine, maxRows: PRESCAN_ROWS, what, headerLine },
    );
    if (skipped) notes.push(`${skipped} row${skipped > 1 ? 's' : ''} of zeros before the first sample ${skipped > 1 ? 'were' : 'was'} dropped.`);
    const timeScale = ts !== undefined && Math.abs(firstTime) > 1e11 ? 1e-3 : 1;
    // the counter steps by 1 per row, or by 2 (Cyton+Daisy: two packets make a row)
    const counterStride = counterStepCounts[2] > counterStepCounts[1] ? 2 : 1;
    const useCounter = counter !== undefined && counterSteps > 0 && counterStepCounts[counterStride] / counterSteps >= 0.5;
    if (counter !== undefined && counterSteps > 0 && !useCounter) notes.push('The sample counter does not count one by one: gaps are found from the timestamps instead.');
    if (useCounter && counterStride === 2) notes.push('The sample counter steps by 2 per row (two packets per row): lost rows counted in pairs of packets.');
    const scaled = steps.map((x) => x * timeScale);
    const jitter = jitterScale(scaled);
    let rate: number;
    if (spec.sampleRateHz === null) {
      const step = robustMeanStep(scaled, jitter.median);
      if (!(step > 0)) throw new RecordingFormatError(`${what}: cannot tell the sampling rate: no increasing timestamps in the first rows`);
      rate = 1 / step;
    } else rate = spec.sampleRateHz;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RecordingFormatError(`${what}: the sampling rate ${rate} is not a positive number`);

    // --- full scan
    const checkpoints: { offset: number; line: number; hold: Float64Array[] }[] = [];
    const hold = holdGroups.map((g) => new Float64Array(g.length));
    const mins = spec.channels.map(() => Infinity);
    const maxs = spec.channels.map(() => -Infinity);
    const nanCounts = spec.channels.map(() => 0);
    const gaps: Gap[] = [];
    const rawEvents: { row: number; label: string }[] = [];
    let eventsCapped = false;
    let gapsCapped = false;
    let lastCounter = NaN;
    let startSec = NaN;
    let held = 0;
    let timeGaps = 0;
    // without a counter: a gap is a step longer than expected by more than the timestamps' jitter
    const jitterSec = Number.isFinite(jitter.p99Deviation) ? jitter.p99Deviation : 0;
    const gapThresholdSec = Math.min(MAX_GAP_THRESHOLD_SEC, Math.max(4 / rate, 4 * jitterSec));
    const wrapRows = COUNTER_MODULO / counterStride;
    const tracker = new StepTracker({
      rateHz: rate,
      counter: useCounter,
      wrapRows,
      gapThresholdSec,
      suspectSec: useCounter ? Math.max(wrapRows / (4 * rate), 4 * jitterSec) : gapThresholdSec,
      onGap: (row, lostRows, missingSec) => {
        if (lostRows === undefined) timeGaps++;
        if (gaps.length < MAX_GAPS) gaps.push({ row, missingRows: lostRows, missingSec });
        else gapsCapped = true;
      },
    });
    const channelColumns = spec.channels.map((c) => c.column);
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
        for (let c = 0; c < channelColumns.length; c++) {
          const x = values[channelColumns[c]];
          if (x < mins[c]) mins[c] = x;
          if (x > maxs[c]) maxs[c] = x;
          if (x !== x) nanCounts[c]++;
        }
        const t = ts !== undefined ? values[ts] * timeScale : NaN;
        if (Number.isNaN(startSec) && Number.isFinite(t)) startSec = t - row / rate;
        let lost = 0;
        if (useCounter) {
          const c = values[counter];
          if (row > 0 && Number.isFinite(c) && Number.isFinite(lastCounter)) {
            const step = (((c - lastCounter) % COUNTER_MODULO) + COUNTER_MODULO) % COUNTER_MODULO;
            lost = step === 0 ? 0 : Math.max(0, Math.round(step / counterStride) - 1);
          }
          if (Number.isFinite(c)) lastCounter = c;
        }
        tracker.push(row, lost, t);
        for (const m of markers) {
          const x = values[m];
          if (x !== 0 && Number.isFinite(x)) {
            if (rawEvents.length < MAX_EVENTS) rawEvents.push({ row, label: String(x) });
            else eventsCapped = true;
          }
        }
      },
      { firstLine, what, headerLine },
    );
    const timing = tracker.finish();
    const rowCount = scan.rows;
    if (scan.droppedTail) notes.push(scan.droppedTail);
    if (scan.repeatedHeaders) notes.push(`The header line is repeated ${scan.repeatedHeaders} time${scan.repeatedHeaders > 1 ? 's' : ''} in the data (first at line ${scan.firstRepeatedHeaderLine}): skipped, not read as a row.`);
    if (rowCount === 0) throw new RecordingFormatError(`${what}: no data rows`);
    if (held) notes.push(`${held} rows had no new accelerometer reading (zeros): the previous reading is held, as the OpenBCI GUI does.`);
    if (gapsCapped) notes.push(`More than ${MAX_GAPS} gaps: the rest are not reported.`);
    if (eventsCapped) notes.push(`More than ${MAX_EVENTS} markers: the rest were not read.`);
    if (timing.glitches) {
      const ex = timing.glitchExamples.map((g) => `row ${g.row} off by ${formatSec(g.offSec)}`).join(', ');
      notes.push(`${timing.glitches} timestamp glitch${timing.glitches > 1 ? 'es' : ''} (a single timestamp far from its neighbours: ${ex}${timing.glitches > timing.glitchExamples.length ? ', …' : ''}): ignored for the rate and the gaps, not counted as loss.`);
    }
    if (timing.backwardSteps) notes.push(`The timestamps step back ${timing.backwardSteps} time${timing.backwardSteps > 1 ? 's' : ''} (a clock reset or reordered rows): not counted as loss.`);

    if (spec.sampleRateHz === null) {
      const estimate = Number.isFinite(timing.measuredRateHz) ? timing.measuredRateHz : rate;
      rate = snapRate(estimate);
      notes.push(`Sampling rate estimated from the timestamps: ${estimate.toFixed(3)} Hz, taken as ${rate} Hz.`);
    } else if (Number.isFinite(timing.measuredRateHz) && Math.abs(timing.measuredRateHz - rate) / rate > MEASURED_RATE_TOLERANCE) {
      notes.push(`The timestamps give a measured rate of ${timing.measuredRateHz.toFixed(3)} Hz against the nominal ${rate} Hz (gaps left out): the device or the host clock ran off its nominal rate.`);
    }

    const discontinuities: RecordingDiscontinuity[] = [];
    let missing = 0;
    for (const g of gaps) {
      const missingSec = g.missingRows !== undefined ? g.missingRows / rate : Math.max(0, g.missingSec ?? 0);
      discontinuities.push({ onsetSec: g.row / rate + missing, sampleIndex: g.row, missingSec });
      missing += missingSec;
    }
    if (discontinuities.length) {
      const lostRows = gaps.reduce((s, g) => s + (g.missingRows ?? 0), 0);
      const counted = discontinuities.length - timeGaps;
      const parts: string[] = [];
      if (counted) parts.push(`${counted} gaps in the sample counter (${lostRows} samples lost)`);
      if (timeGaps) parts.push(`${timeGaps} gaps in the timestamps (steps longer than expected by more than ${formatSec(gapThresholdSec)}: ${formatSec(totalMissingSec(discontinuities) - lostRows / rate)} missing)`);
      notes.push(parts.join('; ') + '.');
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
    const missingValueCounts = kept.map(({ i }) => nanCounts[i]);
    const nanTotal = missingValueCounts.reduce((a, b) => a + b, 0);
    if (nanTotal) {
      const which = kept.filter(({ i }) => nanCounts[i] > 0).map(({ c, i }) => `${c.label}: ${nanCounts[i]}`);
      notes.push(`${nanTotal} empty or non-numeric values (${which.slice(0, 8).join(', ')}${which.length > 8 ? ', …' : ''}): read as NaN, to be written as gaps, never as a value.`);
    }
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
      missingValueCounts,
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
      { firstLine: from.line, maxRows: rowsToVisit, what: this.spec.what, headerLine: this.spec.headerLine, chunkBytes: Math.ceil(rowsToVisit * avgRowBytes * 1.2) + 4096 },
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
