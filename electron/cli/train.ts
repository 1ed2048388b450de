// `bci train FILE...` and `bci evaluate MODEL FILE...`: a decoder trained and cross-validated on
// recordings (engine/decoding/train.ts) and written as a model file; a model scored on recordings
// (engine/decoding/evaluate.ts). Text for people, or one JSON object with --json.

import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { trainDecoder, type TrainReport } from '../engine/decoding/train.js';
import { evaluateModel, type EvaluationReport } from '../engine/decoding/evaluate.js';
import { writeModelFile } from '../engine/decoding/model-io.js';
import { exportModelOnnx, isOnnxKind, readModel } from '../engine/decoding/onnx.js';
import { ensureDecoderPlugins } from '../engine/decoding/plugins.js';
import { decoderModule, registeredDecoderKinds } from '../common/decoding/registry.js';
import { describePipeline, pipelineSchema } from '../common/contract/pipeline.js';
import { totalRejected } from '../common/decoding/epochs.js';
import type { JsonValue } from '../common/decoding/decoder.js';
import { FILTER_HELP, FILTER_OPTIONS, parseNumber, pipelineFromFlags } from './filter-args.js';
import { checkNewOutput, parseChannels, parseClasses, parseFrequencies, parseOnnxPath, parseParams, parseWindow } from './decoding-args.js';
import { accuracyLine, confusionLines, itrLine, percent } from './decoding-report.js';
import { describeRejections } from '../engine/decoding/recordings.js';
import { UsageError } from './errors.js';
import { layoutFromFlags } from './layout-args.js';

const parseLayout = (text: string | undefined) => layoutFromFlags({ layout: text });

export const TRAIN_HELP = `Usage: bci train FILE... --decoder KIND --classes A,B --window START-END --out MODEL.json [options]

Trains a decoder on the labelled events of one or more recordings (any format \`bci replay\` plays),
prints its stratified k-fold cross-validated accuracy, Cohen's kappa, information transfer rate and
confusion matrix, then fits it on every epoch and writes the model file. Epochs touching a gap, lost
samples or a railed channel are rejected and counted.

  --decoder KIND        the decoder (this build: see \`bci train --help\` below)
  --classes A,B         event labels (annotations, markers) that are the classes, e.g. left,right or T1,T2
  --window START-END    the epoch in seconds from each event, e.g. 0.5-2.5
  --out MODEL.json      the model file to write (never overwritten)
  --folds N             cross-validation folds (default 5)
  --seed N              seeds the folds and the decoder (default 42)
  --channels A,B,…      channels to use, by label (default: the EEG channels of the first file)
  --frequencies F1,F2   SSVEP decoders: one stimulation frequency per class, in --classes order
  --onnx FILE           the onnx decoder: the ONNX model to run (trained elsewhere; wrapped in the
                        model file with its accuracy on FILE..., the window its length)
  --param KEY=VALUE     a decoder option (repeatable; VALUE as JSON when it is JSON)
  --trial-sec S         seconds per selection for the ITR (default: the window's length)
  --layout ID           BrainFlow CSV board layout: cyton, cyton-daisy or ganglion
  --json                one JSON object on standard output instead of text

The filters below run causally over each whole recording before epoching, exactly as the online
decoder runs them (they are saved in the model).

${FILTER_HELP}`;

export const EVALUATE_HELP = `Usage: bci evaluate MODEL.json|MODEL.onnx FILE... [--json]

Scores a model on the labelled events of recordings: the model's channels, rate, filters, epoch
window and classes choose the epochs (rejections counted as in training); prints the accuracy, the
number right of the number of trials, Cohen's kappa, the ITR and the confusion matrix.

  --trial-sec S         seconds per selection for the ITR (default: the model's)
  --layout ID           BrainFlow CSV board layout: cyton, cyton-daisy or ganglion
  --json                one JSON object on standard output instead of text`;

/** The decoder kinds `bci train` takes: the registry's, and onnx (engine/decoding/onnx.ts). */
function trainableKinds(): string[] {
  return [...registeredDecoderKinds(), 'onnx'];
}

function helpWithKinds(help: string): string {
  const kinds = trainableKinds();
  return `${help}\n\nDecoders in this build: ${kinds.length ? kinds.join(', ') : 'none yet'}`;
}

function filesSummary(files: readonly { name: string }[]): string {
  return files.length === 1 ? `1 file (${files[0].name})` : `${files.length} files`;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      decoder: { type: 'string' },
      classes: { type: 'string' },
      window: { type: 'string' },
      out: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '42' },
      channels: { type: 'string' },
      frequencies: { type: 'string' },
      onnx: { type: 'string' },
      param: { type: 'string', multiple: true },
      'trial-sec': { type: 'string' },
      layout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...FILTER_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  await ensureDecoderPlugins();
  if (values.help) {
    process.stdout.write(helpWithKinds(TRAIN_HELP) + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('bci train needs at least one FILE (a recording with labelled events)');
  if (!values.decoder) throw new UsageError(`--decoder KIND is required (this build has ${trainableKinds().join(', ')})`);
  if (!values.classes) throw new UsageError('--classes is required: the event labels to tell apart, e.g. --classes left,right');
  if (!values.window) throw new UsageError('--window START-END is required: the epoch in seconds from each event, e.g. --window 0.5-2.5');
  if (!values.out) throw new UsageError('--out MODEL.json is required: where the model goes');
  const kind = isOnnxKind(values.decoder) ? values.decoder : decoderModule(values.decoder).kind;
  if (isOnnxKind(kind) && values.onnx === undefined) throw new UsageError('--decoder onnx needs --onnx FILE: the ONNX model to run');
  const classes = parseClasses(values.classes);
  const window = parseWindow(values.window);
  const folds = parseNumber('folds', values.folds, { integer: true, min: 2 });
  if (folds > 100) throw new UsageError(`--folds is 2 to 100, got ${folds}`);
  const seed = parseNumber('seed', values.seed, { integer: true });
  const trialSec = values['trial-sec'] === undefined ? undefined : parseNumber('trial-sec', values['trial-sec']);
  if (trialSec !== undefined && !(trialSec > 0)) throw new UsageError(`--trial-sec must be above 0, got ${trialSec}`);
  const options: Record<string, JsonValue> = parseParams(values.param ?? []);
  if (values.frequencies !== undefined) options.frequenciesHz = parseFrequencies(values.frequencies, classes);
  if (values.onnx !== undefined) options.onnxPath = parseOnnxPath(values.onnx);
  const filters = pipelineSchema.parse(pipelineFromFlags(values));
  checkNewOutput('out', values.out);

  const report = await trainDecoder({
    files: positionals,
    decoder: kind,
    options,
    classes,
    window,
    filters,
    folds,
    seed,
    ...(values.channels !== undefined && { channels: parseChannels(values.channels) }),
    ...(values.layout !== undefined && { layout: parseLayout(values.layout) }),
    ...(trialSec !== undefined && { trialSec }),
  });
  writeModelFile(values.out, report.model);
  process.stdout.write(values.json ? JSON.stringify(trainJson(report, values.out)) + '\n' : trainText(report, values.out).join('\n') + '\n');
  return 0;
}

export function trainJson(r: TrainReport, out: string): Record<string, unknown> {
  const m = r.model;
  return {
    command: 'train',
    decoder: m.decoder.kind,
    classes: r.cv.classes,
    accuracy: r.cv.accuracy,
    cvAccuracy: r.cv.accuracy,
    kappa: r.cv.kappa,
    trials: r.cv.trials,
    correct: r.cv.correct,
    confusion: r.cv.confusion,
    folds: r.cv.folds,
    foldAccuracies: r.cv.foldAccuracies,
    seed: r.cv.seed,
    itr: r.cv.itr,
    epochs: r.epochs,
    rejected: r.rejected,
    channels: r.channels,
    sampleRateHz: m.sampleRateHz,
    window: { startSec: m.window.startSec, endSec: m.window.endSec },
    filters: describePipeline(m.filters),
    files: r.files.map((f) => ({ name: f.name, sha256: f.sha256, epochs: f.epochs, rejected: f.rejected })),
    model: out,
    ...(r.curve && { curve: r.curve }),
  };
}

function trainText(r: TrainReport, out: string): string[] {
  const m = r.model;
  const lines = [
    `trained ${m.decoder.kind} on ${r.epochs} epochs from ${filesSummary(r.files)}: ${m.classes.join(', ')}`,
    `  channels      ${r.channels.join(', ')} at ${m.sampleRateHz} Hz`,
    `  window        ${m.window.startSec}-${m.window.endSec} s from each event (${m.window.rowCount} samples)`,
    `  filters       ${describePipeline(m.filters)}`,
    `  rejected      ${describeRejections(r.rejected)}`,
    `cross-validation, ${r.cv.folds} folds (seed ${r.cv.seed}): ${accuracyLine(r.cv, 'epochs')}`,
    `  per fold      ${r.cv.foldAccuracies.map(percent).join('  ')}`,
    `  ITR           ${itrLine(r.cv.itr)}`,
    ...confusionLines(r.cv.classes, r.cv.confusion),
  ];
  if (r.curve?.length) {
    const last = r.curve[r.curve.length - 1];
    lines.push(`learning curve  ${r.curve.length} epochs; last: train loss ${last.trainLoss.toFixed(4)}, validation accuracy ${percent(last.validationAccuracy)} (all in the model file)`);
  }
  lines.push(`model written to ${out}`);
  return lines;
}

export async function evaluateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'trial-sec': { type: 'string' }, layout: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EVALUATE_HELP + '\n');
    return 0;
  }
  if (positionals.length < 2) throw new UsageError('bci evaluate needs a MODEL.json and at least one FILE');
  const [modelPath, ...files] = positionals;
  const trialSec = values['trial-sec'] === undefined ? undefined : parseNumber('trial-sec', values['trial-sec']);
  if (trialSec !== undefined && !(trialSec > 0)) throw new UsageError(`--trial-sec must be above 0, got ${trialSec}`);
  const layout = parseLayout(values.layout);
  const model = await readModel(modelPath);
  const report = await evaluateModel(model, files, { name: basename(modelPath), ...(layout && { layout }), ...(trialSec !== undefined && { trialSec }) });
  process.stdout.write(values.json ? JSON.stringify(evaluateJson(report, modelPath)) + '\n' : evaluateText(report, modelPath).join('\n') + '\n');
  return 0;
}

export function evaluateJson(r: EvaluationReport, modelPath: string): Record<string, unknown> {
  return {
    command: 'evaluate',
    model: modelPath,
    decoder: r.kind,
    classes: r.classes,
    accuracy: r.accuracy,
    kappa: r.kappa,
    trials: r.trials,
    correct: r.correct,
    confusion: r.confusion,
    itr: r.itr,
    rejected: r.rejected,
    files: r.files.map((f) => ({ name: f.name, sha256: f.sha256, epochs: f.epochs, rejected: f.rejected })),
  };
}

function evaluateText(r: EvaluationReport, modelPath: string): string[] {
  return [
    `${r.kind} (${basename(modelPath)}) on ${r.trials} epochs from ${filesSummary(r.files)}: ${accuracyLine(r)}`,
    `  rejected      ${totalRejected(r.rejected) ? describeRejections(r.rejected) : 'none'}`,
    `  ITR           ${itrLine(r.itr)}`,
    ...confusionLines(r.classes, r.confusion),
  ];
}

export const EXPORT_ONNX_HELP = `Usage: bci export-onnx MODEL.json OUT.onnx [--float64] [--json]

Writes a linear-adamw model as an ONNX file (opset 13) that onnxruntime, and any tool that runs
ONNX, can use: the graph takes the model's features (log band power or CSP log-variance, computed as
its metadata says) and gives the class probabilities; classes, channels, rate and window length are
in its metadata. The model's filters are not in the graph: to run the file here again, wrap it with
\`bci train FILE... --decoder onnx --onnx OUT.onnx\` and the same --bandpass/--window.

  --float64   weights and features in float64 (default float32, what most runtimes expect)
  --json      one JSON object on standard output`;

export async function exportOnnxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { float64: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EXPORT_ONNX_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('bci export-onnx needs a MODEL.json and the OUT.onnx to write');
  const [modelPath, out] = positionals;
  if (!/\.onnx$/i.test(out)) throw new UsageError(`the ONNX file to write must end in .onnx, got ${out}`);
  if (existsSync(out)) throw new UsageError(`${out} already exists: choose another output name (files are never overwritten)`);
  const model = await readModel(modelPath);
  const elementType = values.float64 ? 'float64' : 'float32';
  const { bytes } = exportModelOnnx(model, out, elementType, basename(modelPath));
  const summary = { command: 'export-onnx', model: modelPath, out, elementType, bytes, classes: model.classes, channels: model.channels, sampleRateHz: model.sampleRateHz, windowRows: model.window.rowCount };
  process.stdout.write(values.json ? JSON.stringify(summary) + '\n' : `wrote ${out} (${bytes} bytes, ${elementType}): ${model.classes.join(', ')} from ${model.channels.length} channels at ${model.sampleRateHz} Hz, windows of ${model.window.rowCount} samples\n`);
  return 0;
}
