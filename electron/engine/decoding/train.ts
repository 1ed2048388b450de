// Training a decoder from recordings: epochs from the files (recordings.ts, behind the same causal
// filters the online decoder runs), a stratified, seeded k-fold cross-validation (fit on the other
// folds, score on each fold in turn; the confusion matrix pooled over the test folds), then the
// final fit on every epoch, as a model file (common/decoding/model-file.ts) with the
// cross-validation figures, the training files' SHA-256 and the software version.

import type { CrossValidation } from '../../common/contract/decoding.js';
import { EngineError, explainIssues } from '../../common/contract/failure.js';
import { pipelineSchema, type PipelineDescription, type PipelineInput } from '../../common/contract/pipeline.js';
import type { BrainflowBoardId } from '../../common/formats/brainflow-layouts.js';
import type { Decoder, EpochCurvePoint, EpochSet } from '../../common/decoding/decoder.js';
import { decoderModule, type AnyDecoderModule } from '../../common/decoding/registry.js';
import { addConfusion, accuracyOf, argmax, confusionMatrix, metricsOf, stratifiedFolds } from '../../common/decoding/metrics.js';
import type { EpochWindow, RejectionCounts } from '../../common/decoding/epochs.js';
import { isJsonValue, MODEL_FORMAT, MODEL_VERSION, parseModel, type ModelFile } from '../../common/decoding/model-file.js';
import { epochRecordings, type RecordingSummary } from './recordings.js';
import { ensureDecoderPlugins } from './plugins.js';
import { software } from './model-io.js';
import { isOnnxKind, wrapOnnxModel } from './onnx.js';

export interface TrainRequest {
  readonly files: readonly string[];
  /** A registered decoder kind (csp-lda, …), or onnx (with options.onnxPath: engine/decoding/onnx.ts). */
  readonly decoder: string;
  /** The decoder's options as requested (validated by its module's parseOptions); plain JSON. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly classes: readonly string[];
  readonly window: EpochWindow;
  readonly filters?: PipelineInput;
  readonly folds: number;
  readonly seed: number;
  /** Channel labels to train on (default: the first file's EEG channels). */
  readonly channels?: readonly string[];
  readonly layout?: BrainflowBoardId;
  /** Seconds per selection for the information transfer rate (default: the window's length). */
  readonly trialSec?: number;
}

export type { CrossValidation } from '../../common/contract/decoding.js';

export interface TrainReport {
  readonly model: ModelFile;
  readonly cv: CrossValidation;
  readonly epochs: number;
  readonly channels: readonly string[];
  readonly files: readonly RecordingSummary[];
  readonly rejected: RejectionCounts;
  readonly curve?: readonly EpochCurvePoint[];
}

/** The predicted class of each epoch. */
export function predictEpochs(decoder: Decoder, epochs: readonly Float64Array[]): Int32Array {
  const probabilities = new Float64Array(decoder.classes.length);
  const predicted = new Int32Array(epochs.length);
  epochs.forEach((e, i) => {
    decoder.predictProba(e, probabilities);
    predicted[i] = argmax(probabilities);
  });
  return predicted;
}

function subset(set: EpochSet, keep: (i: number) => boolean): EpochSet {
  const epochs: Float64Array[] = [];
  const labels: number[] = [];
  set.epochs.forEach((e, i) => {
    if (!keep(i)) return;
    epochs.push(e);
    labels.push(set.labels[i]);
  });
  return { ...set, epochs, labels: Int32Array.from(labels) };
}

const nullIfNaN = (x: number): number | null => (Number.isFinite(x) ? x : null);

function validateRequest(r: TrainRequest): void {
  const bad = (message: string): never => {
    throw new EngineError('invalid-request', message);
  };
  if (r.classes.length < 2) bad(`a decoder needs at least two classes, got ${r.classes.length === 0 ? 'none' : r.classes.join(', ')}`);
  if (new Set(r.classes).size !== r.classes.length) bad(`the classes must be distinct, got ${r.classes.join(', ')}`);
  if (r.classes.some((c) => c.trim() === '')) bad('a class name cannot be empty');
  if (!Number.isInteger(r.folds) || r.folds < 2 || r.folds > 100) bad(`the number of folds must be a whole number from 2 to 100, got ${r.folds}`);
  if (!Number.isSafeInteger(r.seed)) bad(`the seed must be a whole number, got ${r.seed}`);
  if (!(Number.isFinite(r.window.startSec) && Number.isFinite(r.window.endSec) && r.window.endSec > r.window.startSec)) bad(`the epoch window must end after it starts, got ${r.window.startSec}-${r.window.endSec} s`);
  if (r.trialSec !== undefined && !(r.trialSec > 0)) bad(`the trial length must be above 0 s, got ${r.trialSec}`);
}

function parseFilters(filters: PipelineInput | undefined): PipelineDescription {
  const parsed = pipelineSchema.safeParse(filters ?? {});
  if (!parsed.success) throw explainIssues('filters', parsed.error.issues);
  return parsed.data;
}

/** A model file's cross-validation figures (NaN as null, as JSON has no NaN). */
export function modelMetrics(cv: CrossValidation, trialSec: number): NonNullable<ModelFile['metrics']> {
  return {
    accuracy: nullIfNaN(cv.accuracy),
    kappa: nullIfNaN(cv.kappa),
    trials: cv.trials,
    correct: cv.correct,
    confusion: cv.confusion,
    folds: cv.folds,
    seed: cv.seed,
    foldAccuracies: cv.foldAccuracies.map(nullIfNaN),
    itr: { bitsPerTrial: cv.itr.bitsPerTrial, bitsPerMinute: cv.itr.bitsPerMinute, trialSec },
  };
}

/** A model file's record of the recordings it was made from. */
export function trainingRecord(data: { files: readonly RecordingSummary[]; set: EpochSet; rejected: RejectionCounts }): ModelFile['training'] {
  return {
    files: data.files.map((f) => ({ name: f.name, sha256: f.sha256, epochs: f.epochs })),
    epochs: data.set.epochs.length,
    rejected: { ...data.rejected },
    createdAt: new Date().toISOString(),
  };
}

/** Fits a decoder; a decoder's own refusal (too few epochs, frequencies that do not fit the rate) is an invalid request, in its words. */
function fitOrRefuse(module: AnyDecoderModule, set: EpochSet, options: unknown, seed: number): ReturnType<AnyDecoderModule['fit']> {
  try {
    return module.fit(set, options, seed);
  } catch (error) {
    if (error instanceof EngineError || !(error instanceof RangeError)) throw error;
    throw new EngineError('invalid-request', `the ${module.kind} decoder cannot be trained on these epochs: ${error.message}`);
  }
}

export async function trainDecoder(request: TrainRequest): Promise<TrainReport> {
  validateRequest(request);
  if (isOnnxKind(request.decoder)) return wrapOnnxModel(request, parseFilters(request.filters));
  await ensureDecoderPlugins();
  const module = decoderModule(request.decoder);
  const requestedOptions = request.options ?? {};
  let options: unknown;
  try {
    options = module.parseOptions(requestedOptions);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('invalid-request', `invalid options for the ${module.kind} decoder: ${error instanceof Error ? error.message : String(error)}`);
  }
  const filters = parseFilters(request.filters);
  const data = await epochRecordings(request.files, { classes: request.classes, window: request.window, filters, channels: request.channels, layout: request.layout });
  const { set } = data;
  const classCount = request.classes.length;
  const rate = data.sampleRateHz;

  // cross-validation: stratified, seeded folds; each fold scored by a decoder fitted on the others
  const folds = stratifiedFolds(set.labels, classCount, request.folds, request.seed, request.classes);
  const pooled = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  const foldAccuracies: number[] = [];
  for (let f = 0; f < request.folds; f++) {
    const train = subset(set, (i) => folds[i] !== f);
    const test = subset(set, (i) => folds[i] === f);
    const { decoder } = fitOrRefuse(module, train, options, request.seed);
    const confusion = confusionMatrix(test.labels, predictEpochs(decoder, test.epochs), classCount);
    foldAccuracies.push(accuracyOf(confusion));
    addConfusion(pooled, confusion);
  }
  const trialSec = request.trialSec ?? request.window.endSec - request.window.startSec;
  const metrics = metricsOf(request.classes, pooled, trialSec);
  const cv: CrossValidation = { ...metrics, folds: request.folds, seed: request.seed, foldAccuracies };

  // the model: fitted on every epoch
  const final = fitOrRefuse(module, set, options, request.seed);
  const params = final.decoder.toJSON();
  if (!isJsonValue(params)) throw new EngineError('internal', `the ${module.kind} decoder's parameters are not plain JSON (finite numbers, strings, arrays, objects): it cannot be saved`);
  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    decoder: { kind: module.kind, options: isJsonValue(requestedOptions) ? requestedOptions : {}, params },
    classes: [...request.classes],
    channels: data.channels,
    sampleRateHz: rate,
    filters,
    window: { startSec: request.window.startSec, endSec: request.window.endSec, rowCount: set.rowCount },
    metrics: modelMetrics(cv, trialSec),
    training: trainingRecord(data),
    ...(final.curve && { curve: final.curve.map((p) => ({ ...p })) }),
    software: software(),
  };
  // what is written must read back: the same checks as any model file
  const checked = parseModel(JSON.parse(JSON.stringify(model)) as unknown, 'the trained model');
  return { model: checked, cv, epochs: set.epochs.length, channels: data.channels, files: data.files, rejected: data.rejected, ...(final.curve && { curve: final.curve }) };
}
