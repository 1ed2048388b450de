// Setting a model up to run online on a connected board: the model matched to the stream (its
// channels by label, its rate; refused with a sentence otherwise), its decoder rebuilt here once so
// that unreadable parameters are an invalid request rather than a worker fault, the step in rows,
// and the plain-data spec the pipeline worker rebuilds the decoder from.

import { EngineError } from '../../common/contract/failure.js';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import type { DecoderInfo, OnlineDecodingOptions } from '../../common/contract/decoding.js';
import type { WorkerDecoderSpec } from '../../common/contract/worker-messages.js';
import { MAX_FRAME_STRIDE_ROWS } from '../../common/contract/frames.js';
import { matchModelToStream, type ModelFile } from '../../common/decoding/model-file.js';
import { ensureDecoderPlugins } from './plugins.js';
import { decoderOfModel, releaseDecoder } from './evaluate.js';

export async function prepareOnlineDecoder(
  model: ModelFile,
  options: OnlineDecodingOptions,
  board: BoardDescriptor,
  source: { path: string | null; name: string; sha256: string },
  generation: number,
): Promise<{ spec: WorkerDecoderSpec; info: DecoderInfo }> {
  const plugins = await ensureDecoderPlugins();
  const channelIndices = matchModelToStream(model, board, `the ${board.name} stream`);
  await releaseDecoder(await decoderOfModel(model, source.name));
  const rate = board.sampleRateHz;
  const stepRows = Math.max(1, Math.round(options.stepSec * rate));
  if (stepRows > MAX_FRAME_STRIDE_ROWS) throw new EngineError('invalid-request', `a step of ${options.stepSec} s is ${stepRows} rows at ${rate} Hz, more than ${MAX_FRAME_STRIDE_ROWS}: choose a shorter step`);
  const spec: WorkerDecoderSpec = {
    generation,
    kind: model.decoder.kind,
    classes: model.classes,
    params: model.decoder.params,
    windowRows: model.window.rowCount,
    sampleRateHz: rate,
    filters: model.filters,
    channelIndices,
    stepRows,
    smoothing: options.smoothing,
    plugins,
  };
  const info: DecoderInfo = {
    kind: model.decoder.kind,
    classes: model.classes,
    channels: model.channels,
    sampleRateHz: model.sampleRateHz,
    window: { startSec: model.window.startSec, endSec: model.window.endSec },
    windowRows: model.window.rowCount,
    stepSec: stepRows / rate,
    stepRows,
    smoothing: options.smoothing,
    annotate: options.annotate,
    path: source.path,
    sha256: source.sha256,
    cvAccuracy: model.metrics?.accuracy ?? null,
    trainedOn: model.training.files.map((f) => f.name),
  };
  return { spec, info };
}
