// Conversion: any readable recording → BDF+, EDF+, plain CSV or the OpenBCI GUI text layout,
// optionally filtered (the live pipeline, causal with a steady-state start; or zero phase as
// SciPy's sosfiltfilt), a subset of channels, a time span. Streaming in blocks: memory stays flat
// whatever the file's size (zero phase is the exception: it needs the whole span, per channel).

import { openRecording, type OpenRecordingOptions } from './open-recording.js';
import { convertEventsOnly, isEventsOutput, type EventsConvertResult } from './convert-events.js';
import { exportFormatOf, openExport, TEXT_PRECISION, type ExportFormat } from './export.js';
import { channelsOutsideRows, rowOfRecordingTime } from '../../common/formats/recording.js';
import { Pipeline } from '../../common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../common/pipeline/block.js';
import { pipelineProblems, pipelineSchema, type PipelineInput } from '../../common/contract/pipeline.js';
import { cascadeSos } from '../../common/dsp/sos.js';
import { sosfiltfilt } from '../../common/dsp/filtfilt.js';
import { stageSos } from '../../common/pipeline/stages.js';

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
  readonly rows: number;
  readonly channels: string[];
  readonly sampleRateHz: number;
  readonly events: number;
  readonly clippedValues: number;
}

export async function convertRecording(input: string, output: string, options: ConvertOptions = {}): Promise<ConvertResult | EventsConvertResult> {
  if (!options.outputFormat && isEventsOutput(output)) return convertEventsOnly(input, output, options);
  const format = options.outputFormat ?? exportFormatOf(output);
  const reader = await openRecording(input, options);
  try {
    const info = reader.info;
    if (info.sampleCount === 0) throw new Error(`${input} holds no samples, only ${info.events.length} events: convert its events with an OUT ending in _events.tsv`);
    const rowLabels = info.rowChannels.map((c) => info.channels[c].label);
    // mixed rates: the outputs hold one rate; channels at another one are never dropped without a word
    const { otherRate } = channelsOutsideRows(info);
    if (otherRate.length && !(options.channels ?? []).length) {
      const others = otherRate.map((c) => `${info.channels[c].label} (${info.channels[c].sampleRateHz} Hz)`);
      throw new Error(
        `${input} has ${others.length} channel${others.length > 1 ? 's' : ''} at another rate than its ${info.sampleRateHz} Hz rows (${others.slice(0, 6).join(', ')}${others.length > 6 ? ', …' : ''}) that ${format.toUpperCase()} output cannot hold beside them: name the channels to convert with --channels to leave ${others.length > 1 ? 'those' : 'it'} out knowingly`,
      );
    }
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
    const writer = openExport({ path: output, format, sampleRateHz: rate, startTime: info.startTime, signals: keptChannels.map((c) => info.channels[c]), precision: TEXT_PRECISION.convert, events });

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
      const filters = pipeline.stages.length > 0 || pipeline.reference !== 'none' ? new Pipeline(pipeline, { sampleRateHz: rate, channelCount: outWidth, maxBlockRows: blockRows }) : undefined;
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
    await writer.close(); // and the _events.tsv beside a CSV or OpenBCI text file
    return { output, format, rows: end - first, channels: keep.map((k) => rowLabels[k]), sampleRateHz: rate, events: events.length, clippedValues: writer.clipped };
  } finally {
    await reader.close();
  }
}
