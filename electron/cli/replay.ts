// `bci replay FILE`: a recording through the live pipeline (the playback board), at any speed,
// bit-identical whatever the speed; writes the pipeline's output with sample indices and times.
// With --model, the model runs online exactly as live (in the pipeline worker, a prediction every
// step) and the output is the predictions, scored against the recording's cues.

import { parseArgs } from 'node:util';
import { Engine, type MarkerEvent, type PredictionEvent } from '../engine/engine.js';
import { openExport, openTextSink, TIME_DECIMALS, type Exporter, type ExportEvent, type TextSink } from '../engine/files/export.js';
import { readModel } from '../engine/decoding/onnx.js';
import { LSL_FLAGS_HELP, LSL_FLAG_OPTIONS, applyLslMarkersFlag, applyLslOutletFlag } from './lsl-args.js';
import { FILTER_HELP, FILTER_OPTIONS, parseNumber, pipelineFromFlags } from './filter-args.js';
import { UsageError } from './errors.js';
import { layoutFromFlags } from './layout-args.js';
import { summaryLines } from './stream.js';
import { parseSmoothing } from './decoding-args.js';
import { accuracyLine, confusionLines, fixed } from './decoding-report.js';
import { argmax, metricsOf } from '../common/decoding/metrics.js';
import { scoreCues } from '../common/decoding/online-score.js';
import { windowRows } from '../common/decoding/epochs.js';
import { DEFAULT_STEP_SEC, type DecoderInfo } from '../common/contract/decoding.js';
import type { EngineStatus } from '../common/contract/status.js';

export const REPLAY_HELP = `Usage: bci replay FILE [--speed X|max] [filter options] [--out FILE.csv|FILE.bdf|FILE.edf]
       bci replay FILE --model MODEL.json [--out PREDICTIONS.csv] [--step S] [--smoothing …] [--json]

Plays a recording (BDF/EDF, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision, the workstation's
own) through the live pipeline and writes its output: CSV with sample_index,time_s (recording
time) and one column per channel, or BDF+/EDF+ with the events as annotations. Events also go to
an _events.tsv beside a CSV. The output is bit-identical at every speed.

  --speed X|max        0.25 to 16 (× real time) or max (default max)
  --start S            start S seconds into the recording
  --layout ID          BrainFlow CSV board layout: cyton, cyton-daisy or ganglion
  --out FILE           where the output goes (default: standard output, CSV; never overwritten)
  --quiet              no samples on standard output, only the summary (--out is still written)

Online decoding (--model): the model runs in the pipeline worker as it does live, behind its own
filters; the output is one CSV row per prediction: sample_index (the last sample of the window),
time_s, p_<class> for each class, predicted. The predictions are the same at every speed. The
summary scores them against the recording's cues of the model's classes (the prediction of the
window ending where the model's epoch window ends).

  --model MODEL.json   the model to run (trained by \`bci train\`)
  --step S             seconds between predictions (default ${DEFAULT_STEP_SEC})
  --smoothing KIND     none (default), exp:SECONDS (exponential, time constant) or majority:N
  --json               one JSON object on standard output (accuracy, kappa, trials, confusion,
                       classes, predictions, latency); predictions go only to --out

${FILTER_HELP}

${LSL_FLAGS_HELP}`;

/** Predictions as CSV rows: sample index, recording time, one probability per class, the predicted class. */
class PredictionWriter {
  constructor(
    private readonly sink: TextSink,
    private readonly classes: readonly string[],
    private readonly sampleRateHz: number,
  ) {
    const column = (c: string) => (/[",\n]/.test(`p_${c}`) ? `"${`p_${c}`.replace(/"/g, '""')}"` : `p_${c}`);
    sink.write(`sample_index,time_s,${classes.map(column).join(',')},predicted\n`);
  }

  write(p: PredictionEvent): void {
    const K = this.classes.length;
    let text = '';
    for (let i = 0; i < p.count; i++) {
      const sampleIndex = p.firstSampleIndex + i * p.strideRows;
      text += `${sampleIndex},${(sampleIndex / this.sampleRateHz).toFixed(TIME_DECIMALS)}`;
      for (let k = 0; k < K; k++) text += ',' + p.probabilities[i * K + k].toFixed(8);
      const predicted = this.classes[argmax(p.probabilities, i * K, K)];
      text += ',' + (/[",\n]/.test(predicted) ? `"${predicted.replace(/"/g, '""')}"` : predicted) + '\n';
    }
    this.sink.write(text);
  }

  close(): Promise<void> {
    return this.sink.close();
  }
}

/** The predictions of a replay, kept to score them against the cues. */
class PredictionLog {
  sampleIndices: number[] = [];
  classes: number[] = [];
  add(p: PredictionEvent): void {
    const K = p.classes.length;
    for (let i = 0; i < p.count; i++) {
      this.sampleIndices.push(p.firstSampleIndex + i * p.strideRows);
      this.classes.push(argmax(p.probabilities, i * K, K));
    }
  }
}

function onlineReport(decoder: DecoderInfo, markers: readonly MarkerEvent[], log: PredictionLog, status: EngineStatus) {
  const { offsetRows } = windowRows(decoder.window, decoder.sampleRateHz);
  const score = scoreCues(markers, log.sampleIndices, log.classes, decoder.classes, { offsetRows, windowRows: decoder.windowRows, stepRows: decoder.stepRows });
  const metrics = metricsOf(decoder.classes, score.confusion, decoder.window.endSec - decoder.window.startSec);
  return { metrics, unscored: score.unscored, latencyMs: status.decoder?.latencyMs ?? { p50: Number.NaN, p99: Number.NaN, max: Number.NaN } };
}

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      speed: { type: 'string', default: 'max' },
      start: { type: 'string' },
      layout: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
      model: { type: 'string' },
      step: { type: 'string' },
      smoothing: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...FILTER_OPTIONS,
      ...LSL_FLAG_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(REPLAY_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('bci replay takes one FILE');
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && !(speed >= 0.25 && speed <= 16)) throw new UsageError(`--speed is 0.25 to 16, or max; got "${values.speed}"`);
  const layout = layoutFromFlags(values);
  const pipeline = pipelineFromFlags(values);
  if (values.model === undefined) {
    for (const flag of ['step', 'smoothing', 'json'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --model MODEL.json (online decoding)`);
  } else {
    return replayModel(positionals[0], values.model, {
      speed,
      ...(values.start !== undefined && { startSec: parseNumber('start', values.start, { min: 0 }) }),
      layout,
      out: values.out,
      json: values.json ?? false,
      stepSec: values.step === undefined ? DEFAULT_STEP_SEC : parseNumber('step', values.step),
      smoothing: values.smoothing === undefined ? { kind: 'none' } : parseSmoothing(values.smoothing),
      pipeline,
      lsl: values,
    });
  }

  const engine = new Engine();
  try {
    await engine.setPipeline(pipeline);
    applyLslOutletFlag(engine, values);
    const descriptor = await engine.connect({ board: 'playback', file: positionals[0], speed, ...(values.start && { startSec: Number(values.start) }), ...(layout && { layout }) });
    const rate = descriptor.sampleRateHz;
    const markers: MarkerEvent[] = [];
    engine.on('marker', (m) => markers.push(m));
    const out = values.out;
    const format = out === undefined ? 'csv' : /\.bdf$/i.test(out) ? 'bdf' : /\.edf$/i.test(out) ? 'edf' : /\.csv$/i.test(out) ? 'csv' : undefined;
    if (!format) throw new UsageError('--out must end in .csv, .bdf or .edf');
    const eventOf = (m: MarkerEvent): ExportEvent => ({ onsetSec: m.sampleIndex / rate, durationSec: m.durationSec ?? 0, label: m.label, sample: m.sampleIndex });
    // the output in recording time; events as annotations (BDF/EDF) or in an _events.tsv beside a CSV.
    // --quiet silences the samples on standard output; a file asked for with --out is written all the same
    const exporter: Exporter | undefined =
      values.quiet && out === undefined ? undefined : openExport({ path: out ?? '-', format, sampleRateHz: rate, startTime: null, signals: descriptor.channels });
    engine.on('marker', (m) => exporter?.addEvent(eventOf(m)));
    engine.on('filtered', (chunk) => exporter?.write(chunk.data, chunk.rowCount, chunk.firstSampleIndex));
    await applyLslMarkersFlag(engine, values);
    await engine.start();
    await engine.ended();
    await engine.stop();
    await exporter?.close();
    const status = engine.getStatus();
    const lines = summaryLines(status, descriptor.name, { live: false });
    lines.push(`  replay speed     ${(status.rowsReceived / rate / Math.max(status.elapsedSec, 1e-9)).toFixed(1)} × real time, ${markers.length} events`);
    (out === undefined && !values.quiet ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

interface ReplayModelOptions {
  readonly speed: number | 'max';
  readonly startSec?: number;
  readonly layout: 'cyton' | 'cyton-daisy' | 'ganglion' | undefined;
  readonly out: string | undefined;
  readonly json: boolean;
  readonly stepSec: number;
  readonly smoothing: ReturnType<typeof parseSmoothing>;
  readonly pipeline: ReturnType<typeof pipelineFromFlags>;
  readonly lsl: { readonly lsl?: string; readonly 'lsl-markers'?: string; readonly 'lsl-name'?: string };
}

/** `bci replay FILE --model MODEL.json`: the model online over the recording, exactly as live. */
async function replayModel(file: string, modelPath: string, o: ReplayModelOptions): Promise<number> {
  if (!(o.stepSec > 0 && o.stepSec <= 10)) throw new UsageError(`--step is above 0 and at most 10 seconds, got ${o.stepSec}`);
  if (o.out !== undefined && o.out !== '-' && !/\.csv$/i.test(o.out)) throw new UsageError('with --model, --out is the predictions file: it must end in .csv');
  if (o.json && o.out === '-') throw new UsageError('with --json, standard output holds the JSON report: give the predictions a file (--out PREDICTIONS.csv)');
  const model = await readModel(modelPath);
  const engine = new Engine();
  try {
    await engine.setPipeline(o.pipeline);
    applyLslOutletFlag(engine, o.lsl);
    const descriptor = await engine.connect({ board: 'playback', file, speed: o.speed, ...(o.startSec !== undefined && { startSec: o.startSec }), ...(o.layout && { layout: o.layout }) });
    const decoder = await engine.setDecoder({ model, stepSec: o.stepSec, smoothing: o.smoothing });
    const markers: MarkerEvent[] = [];
    engine.on('marker', (m) => markers.push(m));
    const target = o.out ?? (o.json ? undefined : '-');
    const writer = target === undefined ? undefined : new PredictionWriter(openTextSink(target, true), decoder.classes, descriptor.sampleRateHz);
    const log = new PredictionLog();
    engine.on('prediction', (p) => {
      log.add(p);
      writer?.write(p);
    });
    await applyLslMarkersFlag(engine, o.lsl);
    await engine.start();
    await engine.ended();
    await engine.stop();
    await writer?.close();
    const status = engine.getStatus();
    const report = onlineReport(decoder, markers, log, status);
    const m = report.metrics;
    if (o.json) {
      const json = {
        command: 'replay',
        model: modelPath,
        decoder: decoder.kind,
        classes: decoder.classes,
        accuracy: m.accuracy,
        kappa: m.kappa,
        trials: m.trials,
        correct: m.correct,
        confusion: m.confusion,
        unscored: report.unscored,
        itr: m.itr,
        predictions: log.sampleIndices.length,
        stepSec: decoder.stepSec,
        smoothing: decoder.smoothing,
        latencyMs: report.latencyMs,
        rows: status.rowsReceived,
        ...(o.out !== undefined && { out: o.out }),
      };
      process.stdout.write(JSON.stringify(json) + '\n');
      return 0;
    }
    const lines = summaryLines(status, descriptor.name, { live: false });
    lines.push(
      `  replay speed     ${(status.rowsReceived / descriptor.sampleRateHz / Math.max(status.elapsedSec, 1e-9)).toFixed(1)} × real time, ${markers.length} events`,
      `  model            ${decoder.kind} (${modelPath}): ${decoder.classes.join(', ')}; ${decoder.channels.length} channels, window ${decoder.window.startSec}-${decoder.window.endSec} s`,
      `  predictions      ${log.sampleIndices.length}, every ${fixed(decoder.stepSec, 3)} s, smoothing ${describeSmoothing(decoder.smoothing)}${o.out && o.out !== '-' ? `, written to ${o.out}` : ''}`,
      `  decoder latency  p50 ${fixed(report.latencyMs.p50, 3)} ms, p99 ${fixed(report.latencyMs.p99, 3)} ms, max ${fixed(report.latencyMs.max, 3)} ms (window's last push to prediction)`,
      `online, against the cues: ${accuracyLine(m, 'cues')}${report.unscored ? ` (${report.unscored} cues without a prediction)` : ''}`,
      ...(m.trials > 0 ? confusionLines(m.classes, m.confusion) : []),
    );
    // the predictions are on standard output unless they went to a file: the summary then goes to stderr
    (target === '-' ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

function describeSmoothing(s: ReplayModelOptions['smoothing']): string {
  switch (s.kind) {
    case 'none':
      return 'none';
    case 'exponential':
      return `exponential (time constant ${s.timeConstantSec} s)`;
    case 'majority':
      return `majority of ${s.count}`;
  }
}
