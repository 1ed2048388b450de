// Conversion: any readable recording → BDF+, EDF+, plain CSV or the OpenBCI GUI text layout,
// optionally filtered (the live pipeline, causal with a steady-state start; or zero phase as
// SciPy's sosfiltfilt), a subset of channels, a time span. Streaming in blocks: memory stays flat
// whatever the file's size (zero phase is the exception: it needs the whole span, per channel).
//
// Nothing is lost or moved without a word:
// - Time stays true across the source's gaps (EDF+D, XDF breaks, lost packets): BDF/EDF write the
//   missing seconds as zeros with a "gap" annotation, as the recorder does; CSV and the OpenBCI
//   layout carry each row's true sample index and time. Every event keeps its own time, the count of
//   events written is the count read (events past the last sample included), and the result says so.
// - BDF/EDF physical ranges come from the values written (filtered, when filtering; with headroom, and
//   the source's own range kept when unfiltered values fit it), read in a first
//   pass: nothing is clipped. Missing values (NaN: empty fields) are written as annotated zeros and
//   counted; filters are refused across them (an IIR filter would spread one NaN to the end).
// - The OpenBCI layout refuses what it cannot hold (see planOpenBciTxt), in a sentence.

import { openRecording, type OpenRecordingOptions } from './open-recording.js';
import { annotationBytes, exportFormatOf, markerCodes, openBciBoardLine, openExport, type ExportEvent, type ExportFormat, type ExportSignal } from './export.js';
import { channelResolution, channelsOutsideRows, recordingTimeOfRow, rowOfRecordingTime } from '../../common/formats/recording.js';
import { Pipeline } from '../../common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../common/pipeline/block.js';
import { exgMaskOf, pipelineProblems, pipelineSchema, type PipelineInput } from '../../common/contract/pipeline.js';
import { cascadeSos } from '../../common/dsp/sos.js';
import { sosfiltfilt } from '../../common/dsp/filtfilt.js';
import { stageSos } from '../../common/pipeline/stages.js';
import { numberField } from '../../common/formats/edf-writer.js';
import { EngineError } from '../../common/contract/failure.js';

/** The formats a recording converts to (by OUT's extension: .bdf, .edf, .csv, .txt). */
export type OutputFormat = Exclude<ExportFormat, 'jsonl'>;

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
  /** Rows of data written (the source's rows in the span; gap and padding zeros not counted). */
  readonly rows: number;
  readonly channels: string[];
  readonly sampleRateHz: number;
  /** Events written; equal to eventsRead (the span's events), or the conversion fails. */
  readonly events: number;
  readonly eventsRead: number;
  /** The source's gaps inside the span, and their length in seconds. */
  readonly gaps: number;
  readonly gapSec: number;
  /** BDF/EDF: rows of zeros written for the gaps (annotated). */
  readonly gapRows: number;
  /** Values with no data in the source (NaN, empty fields). */
  readonly emptyValues: number;
  /** BDF/EDF: zero rows completing the last one-second record (annotated). */
  readonly paddingRows: number;
  /** BDF/EDF: annotations written besides the events (gaps, missing values, padding). */
  readonly noteAnnotations: number;
  readonly clippedValues: number;
  /** Anything else the user should know about this output (a sentence each). */
  readonly notes: string[];
}

/** A stretch of the source's rows without a gap: its first source row, its first output row, its time. */
interface Segment {
  readonly source: number;
  readonly out: number;
  readonly timeSec: number;
}

const BLOCK_ROWS = 4096;

/** A physical range whose 8-character EDF fields hold [min, max] (rounded outwards). */
export function headerRange(min: number, max: number): { min: number; max: number } {
  if (!(max > min)) {
    min -= 1;
    max += 1;
  }
  const outward = (x: number, down: boolean): number => {
    for (let digits = 7; digits >= 0; digits--) {
      const scale = 10 ** digits;
      const y = (down ? Math.floor(x * scale) : Math.ceil(x * scale)) / scale;
      const text = numberField(y).trim();
      if (text.length <= 8 && (down ? Number(text) <= x : Number(text) >= x)) return Number(text);
    }
    throw new EngineError('invalid-request', `a value of ${x} does not fit the 8 characters of an EDF header's physical range: write .csv instead`);
  };
  return { min: outward(min, true), max: outward(max, false) };
}

export async function convertRecording(input: string, output: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const format = options.outputFormat ?? exportFormatOf(output);
  const reader = await openRecording(input, options);
  try {
    const info = reader.info;
    const rowLabels = info.rowChannels.map((c) => info.channels[c].label);
    if (info.sampleCount === 0) {
      throw new EngineError(
        'invalid-request',
        `${input} holds no samples, so there is nothing to convert${info.events.length ? ` (it holds ${info.events.length} events only: convert them with an OUT ending in _events.tsv)` : ''}`,
      );
    }
    // mixed rates: the outputs hold one rate; channels at another one are never dropped without a word
    const { otherRate } = channelsOutsideRows(info);
    if (otherRate.length && !(options.channels ?? []).length) {
      const others = otherRate.map((c) => `${info.channels[c].label} (${info.channels[c].sampleRateHz} Hz)`);
      throw new EngineError(
        'invalid-request',
        `${input} has ${others.length} channel${others.length > 1 ? 's' : ''} at another rate than its ${info.sampleRateHz} Hz rows (${others.slice(0, 6).join(', ')}${others.length > 6 ? ', …' : ''}) that ${format.toUpperCase()} output cannot hold beside them: name the channels to convert with --channels to leave ${others.length > 1 ? 'those' : 'it'} out knowingly`,
      );
    }
    // the channels to keep, as positions within a row
    const keep = (options.channels ?? []).length
      ? options.channels!.map((wanted) => {
          const byLabel = rowLabels.findIndex((l) => l.toLowerCase() === wanted.toLowerCase() || l.replace(/\.+$/, '').toLowerCase() === wanted.toLowerCase());
          const index = byLabel >= 0 ? byLabel : /^\d+$/.test(wanted) ? Number(wanted) : -1;
          if (index < 0 || index >= rowLabels.length) throw new EngineError('invalid-request', `no channel "${wanted}" in ${input}: it has ${rowLabels.join(', ')}`);
          return index;
        })
      : rowLabels.map((_, i) => i);
    const first = options.startSec === undefined ? 0 : rowOfRecordingTime(info, options.startSec);
    const end = options.endSec === undefined ? info.sampleCount : Math.min(info.sampleCount, rowOfRecordingTime(info, options.endSec));
    if (!(end > first)) throw new EngineError('invalid-request', `the span --start ${options.startSec ?? 0} --end ${options.endSec ?? info.durationSec} holds no samples (the recording lasts ${info.durationSec.toFixed(3)} s)`);
    const pipeline = pipelineSchema.parse(options.pipeline ?? {});
    const problems = pipelineProblems(pipeline, info.sampleRateHz, keep.length);
    if (problems.length) throw new EngineError('invalid-request', problems.join('; '));
    const filtering = pipeline.stages.length > 0 || pipeline.reference !== 'none';
    const rate = info.sampleRateHz;
    const edf = format === 'bdf' || format === 'edf';

    // the span in recording time, and its stretches between the source's gaps
    const spanStartSec = first === 0 ? 0 : recordingTimeOfRow(info, first);
    const spanEndSec = end === info.sampleCount ? info.durationSec : recordingTimeOfRow(info, end);
    const segments: Segment[] = [{ source: first, out: 0, timeSec: 0 }];
    let gapSec = 0;
    for (const d of info.discontinuities) {
      if (d.sampleIndex <= first || d.sampleIndex >= end) continue;
      const last = segments[segments.length - 1];
      const timeSec = recordingTimeOfRow(info, d.sampleIndex) - spanStartSec;
      // the nearest whole row of the true time (rounded once, so gaps never add up to a drift)
      const out = Math.max(last.out + (d.sampleIndex - last.source), Math.round(timeSec * rate));
      segments.push({ source: d.sampleIndex, out, timeSec });
      gapSec += d.missingSec;
    }
    const gaps = segments.length - 1;
    const outRowOf = (source: number): number => {
      let s = segments.length - 1;
      while (segments[s].source > source) s--;
      return segments[s].out + (source - segments[s].source);
    };
    let cursor = 0;
    const timeSecOf = (out: number): number => {
      // rows come in order: walk from the last segment used
      if (cursor >= segments.length || segments[cursor].out > out) cursor = 0;
      while (cursor + 1 < segments.length && segments[cursor + 1].out <= out) cursor++;
      const s = segments[cursor];
      return s.timeSec + (out - s.out) / rate;
    };
    const outEnd = outRowOf(end - 1) + 1;

    // events: every one in the span (all of them without --start/--end), at its own time
    const inSpan = info.events.filter((e) => (options.startSec === undefined || e.onsetSec >= spanStartSec - 1e-9) && (options.endSec === undefined || e.onsetSec < spanEndSec - 1e-9));
    const events: ExportEvent[] = inSpan.map((e) => ({ onsetSec: e.onsetSec - spanStartSec, durationSec: e.durationSec, label: e.label }));
    const notes: string[] = [];

    const keptChannels = keep.map((k) => info.rowChannels[k]);
    let signals: ExportSignal[] = keptChannels.map((c) => {
      const ch = info.channels[c];
      const resolution = channelResolution(info.format, ch);
      return { label: ch.label, unit: ch.unit, type: ch.type, physicalMin: ch.physicalMin, physicalMax: ch.physicalMax, ...(resolution !== undefined && { resolution }) };
    });
    if (format === 'openbci-txt') notes.push(...checkOpenBciEvents(events, segments, end, rate));

    const width = info.rowChannels.length;
    const outWidth = keep.length;
    // filters without a channel list apply to the ExG channels kept (contract/pipeline.ts), the common average to the EEG ones
    const channelTypes = keptChannels.map((c) => info.channels[c].type);
    const exgMask = exgMaskOf(channelTypes);
    const stagesOn = (i: number) => pipeline.stages.filter((s) => (s.channels ? s.channels.includes(i) : exgMask[i] === 1));
    // the channels the filters (or the common average) change: only there would a missing value spread
    const changed = Uint8Array.from(keptChannels, (_, i) => (stagesOn(i).length > 0 || (pipeline.reference === 'car' && channelTypes[i] === 'eeg') ? 1 : 0));
    if (pipeline.stages.length > 0) {
      const unfiltered = keptChannels.filter((_, i) => stagesOn(i).length === 0).map((c) => info.channels[c].label);
      if (unfiltered.length) notes.push(`not filtered (filters apply to the EEG, EMG, EOG and ECG channels): ${unfiltered.join(', ')}`);
    }
    // the rows to write, block by block (never across a gap), filtered as asked
    let zeroPhaseColumns: Float64Array[] | undefined;
    const produce = async (emit: (rows: Float64Array, count: number, outRow: number, raw: Float64Array) => void): Promise<void> => {
      const rows = new Float64Array(BLOCK_ROWS * outWidth);
      const picked = new Float64Array(BLOCK_ROWS * outWidth);
      const boundaries = [...segments.slice(1).map((s) => s.source), end];
      if (options.zeroPhase && pipeline.stages.length > 0) {
        if (!zeroPhaseColumns) {
          // offline zero phase: each kept channel over the whole span, forward and backward
          const n = end - first;
          const columns = keep.map(() => new Float64Array(n));
          const block = new Float64Array(BLOCK_ROWS * width);
          for (let at = first; at < end; ) {
            const got = await reader.readRows(at, Math.min(BLOCK_ROWS, end - at), block);
            if (got <= 0) break;
            for (let r = 0; r < got; r++) for (let i = 0; i < outWidth; i++) columns[i][at - first + r] = block[r * width + keep[i]];
            at += got;
          }
          if (pipeline.reference === 'car') commonAverage(columns, channelTypes);
          // each channel through the stages that apply to it (none: as it is, bit for bit)
          zeroPhaseColumns = columns.map((x, i) => {
            const on = stagesOn(i);
            return on.length ? sosfiltfilt(cascadeSos(...on.map((s) => stageSos(s, rate))), x) : x;
          });
        }
        const filtered = zeroPhaseColumns;
        let b = 0;
        for (let at = first; at < end; ) {
          while (boundaries[b] <= at) b++;
          const count = Math.min(BLOCK_ROWS, boundaries[b] - at);
          for (let r = 0; r < count; r++) for (let i = 0; i < outWidth; i++) rows[r * outWidth + i] = filtered[i][at - first + r];
          emit(rows, count, outRowOf(at), rows);
          at += count;
        }
        return;
      }
      const filters = filtering ? new Pipeline(pipeline, { sampleRateHz: rate, channelCount: outWidth, channelTypes, maxBlockRows: BLOCK_ROWS }) : undefined;
      const planar = createBlock(outWidth, BLOCK_ROWS);
      const raw = new Float64Array(BLOCK_ROWS * width);
      let b = 0;
      for (let at = first; at < end; ) {
        while (boundaries[b] <= at) b++;
        const got = await reader.readRows(at, Math.min(BLOCK_ROWS, boundaries[b] - at), raw);
        if (got <= 0) throw new EngineError('io', `${input} ended early: row ${at} of ${end} could not be read`);
        for (let r = 0; r < got; r++) for (let i = 0; i < outWidth; i++) picked[r * outWidth + i] = raw[r * width + keep[i]];
        if (filters) {
          rows.set(picked.subarray(0, got * outWidth));
          deinterleave(rows, got, planar);
          filters.process(planar);
          interleave(planar, rows);
          emit(rows, got, outRowOf(at), picked);
        } else emit(picked, got, outRowOf(at), picked);
        at += got;
      }
    };

    // first pass (BDF/EDF, or filtering): the range of what will be written, and missing values
    if (edf || filtering) {
      const lo = new Float64Array(outWidth).fill(Infinity);
      const hi = new Float64Array(outWidth).fill(-Infinity);
      let empty = 0;
      let emptyFiltered = 0;
      await produce((rows, count, _outRow, raw) => {
        for (let r = 0; r < count; r++) {
          for (let i = 0; i < outWidth; i++) {
            if (raw[r * outWidth + i] !== raw[r * outWidth + i]) {
              empty++;
              emptyFiltered += changed[i];
            }
            const x = rows[r * outWidth + i];
            if (x < lo[i]) lo[i] = x;
            if (x > hi[i]) hi[i] = x;
          }
        }
      });
      if (emptyFiltered > 0 && filtering) {
        throw new EngineError('invalid-request', `${input} has ${emptyFiltered} empty or NaN values in the channels kept: a filter would spread them over the rest of the recording; convert without filters (they are then written as annotated gaps), or leave those channels out with --channels`);
      }
      if (edf) {
        // zeros are written for gaps, missing values and the last record's padding: keep 0 in range then
        const zeros = gaps > 0 || empty > 0 || outEnd % rate !== 0;
        signals = signals.map((s, i) => {
          const hasValues = lo[i] <= hi[i];
          const min = Math.min(hasValues ? lo[i] : 0, zeros ? 0 : Infinity);
          const max = Math.max(hasValues ? hi[i] : 0, zeros ? 0 : -Infinity);
          // unfiltered values that fit the source's own range keep it: its resolution, and its edges,
          // where a railed amplifier sits (a range fitted to the data would put the largest value at
          // the edge, and every reader would call it railed)
          if (!filtering && Number.isFinite(s.physicalMin) && Number.isFinite(s.physicalMax) && s.physicalMin <= min && s.physicalMax >= max && s.physicalMin < s.physicalMax) return s;
          // filtered (or out-of-range) values: their range, with 5% headroom off the edges for the same reason
          const pad = 0.05 * (max - min || 1);
          const range = headerRange(min - pad, max + pad);
          return { ...s, physicalMin: range.min, physicalMax: range.max };
        });
      }
    }

    const annotationBytesPerRecord = edf ? annotationCapacity(events, rate, outEnd, gaps) : undefined;
    const boardLine = openBciBoardLine({ format: info.format, exgChannels: signals.filter((s) => s.type !== 'accel').length, sampleRateHz: rate });
    const writer = openExport({ path: output, format, sampleRateHz: rate, startTime: info.startTime === null ? null : new Date(info.startTime.getTime() + spanStartSec * 1000), signals, events, timeSecOf, annotationBytesPerRecord, boardLine });
    let written = 0;
    try {
      await produce((rows, count, outRow) => {
        writer.write(rows, count, outRow);
        written += count;
      });
    } finally {
      await writer.close(); // and the _events.tsv beside a CSV or OpenBCI text file
    }
    const counts = writer.counts;
    if (format === 'openbci-txt' && !boardLine.startsWith('OpenBCI_GUI')) notes.push(`the board line says the file was converted, not recorded by an OpenBCI board (the source is ${info.format})`);
    if (format === 'openbci-txt') notes.push('channel labels are in the "%Channel labels" header line; event labels and durations in the _events.tsv beside it');
    return {
      output,
      format,
      rows: written,
      channels: keep.map((k) => rowLabels[k]),
      sampleRateHz: rate,
      events: writer.events.length,
      eventsRead: inSpan.length,
      gaps,
      gapSec,
      gapRows: counts.gapRows,
      emptyValues: counts.emptyValues,
      paddingRows: counts.paddingRows,
      noteAnnotations: counts.noteAnnotations,
      clippedValues: counts.clipped,
      notes,
    };
  } finally {
    await reader.close();
  }
}

/** Bytes per record for annotations: room for the busiest second's events, and the gap notes. */
function annotationCapacity(events: readonly ExportEvent[], rate: number, outRows: number, gaps: number): number {
  const records = Math.max(1, Math.ceil(outRows / rate));
  const perRecord = new Map<number, number>();
  for (const e of events) {
    const r = Math.min(records - 1, Math.max(0, Math.floor(e.onsetSec)));
    perRecord.set(r, (perRecord.get(r) ?? 0) + annotationBytes(e));
  }
  let busiest = 0;
  for (const n of perRecord.values()) busiest = Math.max(busiest, n);
  // the time-keeping entry, a gap / missing-data / padding note or two, and the busiest second
  return Math.max(256, 32 + busiest + 2 * 120 + (gaps > 0 ? 120 : 0));
}

/**
 * The OpenBCI layout marks an event in the row it falls on: refuses events that share a row, fall in
 * a gap or outside the rows; returns notes (the marker codes of text labels).
 */
function checkOpenBciEvents(events: readonly ExportEvent[], segments: readonly Segment[], end: number, rate: number): string[] {
  const rows = new Set<number>();
  const hint = 'write .csv (events go to an _events.tsv) or .bdf';
  for (const e of events) {
    const row = Math.round(e.onsetSec * rate);
    let s = segments.length - 1;
    while (s > 0 && segments[s].out > row) s--;
    const segmentEnd = s + 1 < segments.length ? segments[s].out + (segments[s + 1].source - segments[s].source) : segments[s].out + (end - segments[s].source);
    if (row < 0 || row >= segmentEnd) throw new EngineError('invalid-request', `the event "${e.label}" at ${e.onsetSec.toFixed(3)} s falls where the recording has no sample (in a gap or past the end): the OpenBCI layout marks events on rows; ${hint}`);
    if (rows.has(row)) throw new EngineError('invalid-request', `two events fall on the sample at ${(row / rate).toFixed(3)} s: the OpenBCI layout has one marker per sample; ${hint}`);
    rows.add(row);
  }
  const codes = markerCodes(events.map((e) => e.label));
  const renamed = [...codes].filter(([label, code]) => String(code) !== label);
  return renamed.length ? [`event labels are written as marker codes: ${renamed.map(([label, code]) => `${code} = ${label}`).join(', ')}`] : [];
}


/** The common average over the EEG columns, in place (zero phase: the whole span at once, as the live pipeline's CAR does per block). */
function commonAverage(columns: Float64Array[], types: readonly string[]): void {
  const eeg = columns.filter((_, i) => types[i] === 'eeg');
  if (eeg.length === 0) return;
  const n = eeg[0].length;
  for (let r = 0; r < n; r++) {
    let mean = 0;
    for (const x of eeg) mean += x[r];
    mean /= eeg.length;
    for (const x of eeg) x[r] -= mean;
  }
}
