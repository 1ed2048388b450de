// Evaluating a model on recordings: the model's channels, rate, filters, window and classes decide
// the epochs (the same epoching as training, rejections counted), its decoder predicts each, and the
// report is the accuracy, the number right, Cohen's kappa, the confusion matrix and the ITR.

import { EngineError } from '../../common/contract/failure.js';
import type { AsyncDecoder, Decoder } from '../../common/decoding/decoder.js';
import { OnnxDecoder } from '../../../native/onnx-decoder.js';
import { decoderModule } from '../../common/decoding/registry.js';
import { confusionMatrix, metricsOf, type ClassificationMetrics } from '../../common/decoding/metrics.js';
import type { RejectionCounts } from '../../common/decoding/epochs.js';
import type { ModelFile } from '../../common/decoding/model-file.js';
import type { BrainflowBoardId } from '../../common/formats/brainflow-layouts.js';
import { epochRecordings, type RecordingSummary } from './recordings.js';
import { ensureDecoderPlugins } from './plugins.js';
import { isOnnxKind, onnxDecoderOfModel, predictEpochsWith } from './onnx.js';

export interface EvaluationReport extends ClassificationMetrics {
  readonly kind: string;
  readonly files: readonly RecordingSummary[];
  readonly rejected: RejectionCounts;
}

/**
 * The model's decoder, rebuilt from its parameters (an onnx model: its ONNX file loaded, to be
 * released with releaseDecoder); unreadable parameters are an invalid request.
 */
export async function decoderOfModel(model: ModelFile, name = 'the model'): Promise<Decoder | AsyncDecoder> {
  if (isOnnxKind(model.decoder.kind)) return onnxDecoderOfModel(model, name);
  await ensureDecoderPlugins();
  const module = decoderModule(model.decoder.kind);
  try {
    return module.fromJSON(model.decoder.params, model.classes, model.channels.length, model.window.rowCount, model.sampleRateHz);
  } catch (error) {
    throw new EngineError('invalid-request', `${name}'s ${model.decoder.kind} parameters cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function evaluateModel(model: ModelFile, files: readonly string[], options: { layout?: BrainflowBoardId; trialSec?: number; name?: string } = {}): Promise<EvaluationReport> {
  const decoder = await decoderOfModel(model, options.name);
  try {
    return await evaluateWith(decoder, model, files, options);
  } finally {
    await releaseDecoder(decoder);
  }
}

/** Frees what a decoder holds outside the JavaScript heap (an ONNX session). */
export async function releaseDecoder(decoder: Decoder | AsyncDecoder): Promise<void> {
  if (decoder instanceof OnnxDecoder) await decoder.release();
}

async function evaluateWith(decoder: Decoder | AsyncDecoder, model: ModelFile, files: readonly string[], options: { layout?: BrainflowBoardId; trialSec?: number; name?: string }): Promise<EvaluationReport> {
  const data = await epochRecordings(files, {
    classes: model.classes,
    window: model.window,
    filters: model.filters,
    channels: model.channels,
    sampleRateHz: model.sampleRateHz,
    requiredBy: options.name ?? 'the model',
    layout: options.layout,
  });
  const confusion = confusionMatrix(data.set.labels, await predictEpochsWith(decoder, data.set.epochs), model.classes.length);
  const trialSec = options.trialSec ?? model.metrics?.itr.trialSec ?? model.window.endSec - model.window.startSec;
  return { ...metricsOf(model.classes, confusion, trialSec), kind: model.decoder.kind, files: data.files, rejected: data.rejected };
}
