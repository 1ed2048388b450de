// Evaluating a model on recordings: the model's channels, rate, filters, window and classes decide
// the epochs (the same epoching as training, rejections counted), its decoder predicts each, and the
// report is the accuracy, the number right, Cohen's kappa, the confusion matrix and the ITR.

import { EngineError } from '../../common/contract/failure.js';
import type { Decoder } from '../../common/decoding/decoder.js';
import { decoderModule } from '../../common/decoding/registry.js';
import { confusionMatrix, metricsOf, type ClassificationMetrics } from '../../common/decoding/metrics.js';
import type { RejectionCounts } from '../../common/decoding/epochs.js';
import type { ModelFile } from '../../common/decoding/model-file.js';
import type { BrainflowBoardId } from '../../common/formats/brainflow-layouts.js';
import { epochRecordings, type RecordingSummary } from './recordings.js';
import { ensureDecoderPlugins } from './plugins.js';
import { predictEpochs } from './train.js';

export interface EvaluationReport extends ClassificationMetrics {
  readonly kind: string;
  readonly files: readonly RecordingSummary[];
  readonly rejected: RejectionCounts;
}

/** The model's decoder, rebuilt from its parameters; unreadable parameters are an invalid request. */
export async function decoderOfModel(model: ModelFile, name = 'the model'): Promise<Decoder> {
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
  const data = await epochRecordings(files, {
    classes: model.classes,
    window: model.window,
    filters: model.filters,
    channels: model.channels,
    sampleRateHz: model.sampleRateHz,
    requiredBy: options.name ?? 'the model',
    layout: options.layout,
  });
  const confusion = confusionMatrix(data.set.labels, predictEpochs(decoder, data.set.epochs), model.classes.length);
  const trialSec = options.trialSec ?? model.metrics?.itr.trialSec ?? model.window.endSec - model.window.startSec;
  return { ...metricsOf(model.classes, confusion, trialSec), kind: model.decoder.kind, files: data.files, rejected: data.rejected };
}
