// Epochs from recordings, for training and evaluation: each file is read with the project's readers
// (any format `bci replay` plays), the chosen channels run through the model's causal filters from
// the first row (the very pipeline the online decoder runs), and the labelled events' windows are
// cut as the rows stream past (common/decoding/epochs.ts), with rejections counted by reason. All
// files must have the channels and the rate; their epochs are pooled in file order.

import { basename } from 'node:path';
import { EngineError } from '../../common/contract/failure.js';
import { pipelineProblems, type PipelineDescription } from '../../common/contract/pipeline.js';
import type { EpochSet } from '../../common/decoding/decoder.js';
import { EpochCutter, labelCounts, noRejections, planEpochs, railLimits, totalRejected, windowRows, type EpochWindow, type RejectionCounts, type RowEvent } from '../../common/decoding/epochs.js';
import { channelKey } from '../../common/decoding/model-file.js';
import { rowOfRecordingTime, type RecordingInfo } from '../../common/formats/recording.js';
import type { BrainflowBoardId } from '../../common/formats/brainflow-layouts.js';
import { Pipeline } from '../../common/pipeline/pipeline.js';
import { createBlock, deinterleave } from '../../common/pipeline/block.js';
import { openRecording } from '../files/open-recording.js';
import { sha256OfFile } from './model-io.js';

export interface EpochSpec {
  readonly classes: readonly string[];
  readonly window: EpochWindow;
  readonly filters: PipelineDescription;
  /** Channel labels, in the order the decoder takes them; default: the first file's EEG channels (all its channels if none is EEG). */
  readonly channels?: readonly string[];
  /** The rate the files must have (a model's); default: the first file's. */
  readonly sampleRateHz?: number;
  /** Who asks for that rate and those channels, for the sentences ("the model"). */
  readonly requiredBy?: string;
  /** BrainFlow CSV board layout. */
  readonly layout?: BrainflowBoardId;
}

export interface RecordingSummary {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly epochs: number;
  readonly eventsPerClass: number[];
  readonly rejected: RejectionCounts;
}

export interface EpochedRecordings {
  readonly set: EpochSet;
  readonly channels: string[];
  readonly sampleRateHz: number;
  readonly files: RecordingSummary[];
  readonly rejected: RejectionCounts;
  readonly eventsPerClass: number[];
}

/** Rows read and filtered at a time. */
const BLOCK_ROWS = 4096;

/** The recorder's lost-rows annotation: "gap: N samples lost" over the zero-filled rows. */
const LOST_ROWS_LABEL = /^gap: \d+ samples? lost/;

/** Formats whose channel ranges are declared by the file (EDF physical min/max), so railing means something. */
const DECLARED_RANGES = new Set<RecordingInfo['format']>(['bdf', 'edf']);

function pickChannels(info: RecordingInfo, name: string, wanted: readonly string[] | undefined, requiredBy: string): { indices: number[]; labels: string[] } {
  const rowLabels = info.rowChannels.map((c) => info.channels[c].label);
  if (!wanted) {
    const eeg = info.rowChannels.map((c, i) => (info.channels[c].type === 'eeg' ? i : -1)).filter((i) => i >= 0);
    const indices = eeg.length > 0 ? eeg : rowLabels.map((_, i) => i);
    return { indices, labels: indices.map((i) => rowLabels[i].trim()) };
  }
  const byKey = new Map<string, number>();
  rowLabels.forEach((l, i) => {
    if (!byKey.has(channelKey(l))) byKey.set(channelKey(l), i);
  });
  const missing = wanted.filter((l) => !byKey.has(channelKey(l)));
  if (missing.length > 0) {
    throw new EngineError('invalid-request', `${name} has no channel${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which ${requiredBy} needs (it has ${rowLabels.join(', ')})`);
  }
  return { indices: wanted.map((l) => byKey.get(channelKey(l))!), labels: [...wanted] };
}

/** The events, discontinuities and lost rows of a recording, in rows. */
function epochSourceOf(info: RecordingInfo) {
  const rate = info.sampleRateHz;
  const events: RowEvent[] = info.events.map((e) => ({ row: rowOfRecordingTime(info, e.onsetSec), label: e.label }));
  const lostSpans = info.events
    .filter((e) => LOST_ROWS_LABEL.test(e.label))
    .map((e) => {
      const firstRow = rowOfRecordingTime(info, e.onsetSec);
      return { firstRow, endRow: firstRow + Math.max(1, Math.round(e.durationSec * rate)) };
    });
  return { sampleRateHz: rate, rowCount: info.sampleCount, events, discontinuityRows: info.discontinuities.map((d) => d.sampleIndex), lostSpans };
}

export async function epochRecordings(paths: readonly string[], spec: EpochSpec): Promise<EpochedRecordings> {
  if (paths.length === 0) throw new EngineError('invalid-request', 'no recordings given: name at least one FILE');
  const requiredBy = spec.requiredBy ?? `${basename(paths[0])} (the first file)`;
  let channels = spec.channels ? [...spec.channels] : undefined;
  let sampleRateHz = spec.sampleRateHz;
  const epochs: Float64Array[] = [];
  const labels: number[] = [];
  const files: RecordingSummary[] = [];
  const rejected = noRejections();
  const eventsPerClass = new Array<number>(spec.classes.length).fill(0);
  const allEvents: { label: string }[] = [];
  let rowCount = 0;

  for (const path of paths) {
    const name = basename(path);
    const reader = await openRecording(path, spec.layout ? { board: spec.layout } : {});
    try {
      const info = reader.info;
      if (sampleRateHz === undefined) sampleRateHz = info.sampleRateHz;
      if (info.sampleRateHz !== sampleRateHz) {
        throw new EngineError('invalid-request', `${name} is sampled at ${info.sampleRateHz} Hz but ${requiredBy} is at ${sampleRateHz} Hz: use recordings at one rate`);
      }
      const picked = pickChannels(info, name, channels, requiredBy);
      channels ??= picked.labels;
      const width = info.rowChannels.length;
      const nCh = picked.indices.length;
      const problems = pipelineProblems(spec.filters, info.sampleRateHz, nCh);
      if (problems.length > 0) throw new EngineError('invalid-request', `the filters do not fit ${name}: ${problems.join('; ')}`);
      const source = epochSourceOf(info);
      allEvents.push(...info.events);
      const plan = planEpochs(source, spec.classes, spec.window);
      rowCount = plan.rowCount;
      plan.eventsPerClass.forEach((n, c) => (eventsPerClass[c] += n));
      const rails = DECLARED_RANGES.has(info.format) ? railLimits(picked.indices.map((i) => info.channels[info.rowChannels[i]])) : null;
      const cutter = new EpochCutter(plan.planned, nCh, plan.rowCount, rails);
      // the model's filters without a channel list apply to its ExG channels only, as online (decoding/online.ts)
      const channelTypes = picked.indices.map((i) => info.channels[info.rowChannels[i]].type);
      const pipeline = new Pipeline(spec.filters, { sampleRateHz: info.sampleRateHz, channelCount: nCh, channelTypes, maxBlockRows: BLOCK_ROWS });
      const block = createBlock(nCh, BLOCK_ROWS);
      const all = new Float64Array(BLOCK_ROWS * width);
      const raw = new Float64Array(BLOCK_ROWS * nCh);
      const end = Math.min(info.sampleCount, cutter.endRow);
      for (let at = 0; at < end; ) {
        const got = await reader.readRows(at, Math.min(BLOCK_ROWS, end - at), all);
        if (got <= 0) throw new EngineError('io', `${name}: could not read rows from ${at} on`);
        for (let r = 0; r < got; r++) for (let c = 0; c < nCh; c++) raw[r * nCh + c] = all[r * width + picked.indices[c]];
        deinterleave(raw, got, block);
        pipeline.process(block);
        cutter.push(block, raw, at);
        at += got;
      }
      const cut = cutter.finish();
      const fileRejected = { ...plan.rejected, railed: plan.rejected.railed + cut.railed, incomplete: plan.rejected.incomplete + cut.incomplete };
      for (const k of Object.keys(rejected) as (keyof RejectionCounts)[]) rejected[k] += fileRejected[k];
      epochs.push(...cut.epochs);
      labels.push(...cut.labels);
      files.push({ name, path, sha256: await sha256OfFile(path), epochs: cut.epochs.length, eventsPerClass: plan.eventsPerClass, rejected: fileRejected });
    } finally {
      await reader.close();
    }
  }

  const classes = spec.classes;
  if (eventsPerClass.every((n) => n === 0)) {
    const where = paths.length === 1 ? basename(paths[0]) : `${paths.length} recordings`;
    throw new EngineError('invalid-request', `no events labelled ${classes.join(' or ')} in ${where}: ${labelCounts(allEvents)} (choose classes among them with --classes)`);
  }
  const perClass = classes.map((_, c) => labels.filter((l) => l === c).length);
  const empty = classes.filter((_, c) => perClass[c] === 0);
  if (empty.length > 0) {
    const why = totalRejected(rejected) > 0 ? ` (${describeRejections(rejected)} rejected)` : '';
    throw new EngineError('invalid-request', `no usable epochs of class ${empty.join(', ')}${why}: ${labelCounts(allEvents)}`);
  }
  const set: EpochSet = {
    channelCount: channels!.length,
    rowCount: rowCount || windowRows(spec.window, sampleRateHz!).rowCount,
    sampleRateHz: sampleRateHz!,
    epochs,
    labels: Int32Array.from(labels),
    classes,
  };
  return { set, channels: channels!, sampleRateHz: sampleRateHz!, files, rejected, eventsPerClass };
}

/** "2 (gap 1, railed 1)" or "none". */
export function describeRejections(r: RejectionCounts): string {
  const total = totalRejected(r);
  if (total === 0) return 'none';
  const parts = (Object.entries(r) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return `${total} (${parts.join(', ')})`;
}
