// The onnx decoder kind, seen from the engine. An ONNX model is trained elsewhere, so "training" it
// here (`bci train --decoder onnx --onnx M.onnx`, or trainModel) means wrapping it in a model file:
// the classes, channels, rate and window length the ONNX file declares (native/onnx-decoder.ts),
// the epoch window and causal filters the user gives (as for any decoder: the online stage runs the
// same), the ONNX file's path and SHA-256, and its accuracy on the given recordings scored on the
// same stratified folds as the trainable decoders (nothing is fitted, so each fold is simply scored).
// A `.onnx` file can also be loaded directly as a model (no filters, window from 0 s).
//
// It is not in the decoder registry (common/decoding/registry.ts), whose modules fit and predict
// synchronously in pure code: onnxruntime-node is a Node addon with an asynchronous API. The engine
// (train, evaluate, online setup) and the pipeline worker ask isOnnxKind and load the runner instead.

import { EngineError } from '../../common/contract/failure.js';
import type { CrossValidation } from '../../common/contract/decoding.js';
import type { PipelineDescription } from '../../common/contract/pipeline.js';
import type { AsyncDecoder, Decoder } from '../../common/decoding/decoder.js';
import { isAsyncDecoder } from '../../common/decoding/decoder.js';
import { accuracyOf, addConfusion, argmax, confusionMatrix, metricsOf, stratifiedFolds } from '../../common/decoding/metrics.js';
import { MODEL_FORMAT, MODEL_VERSION, parseModel, type ModelFile } from '../../common/decoding/model-file.js';
import { OnnxDecoder, loadOnnxOfParams, onnxFileOfParams } from '../../../native/onnx-decoder.js';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { epochRecordings } from './recordings.js';
import { readModelFile, software, writeNewFile } from './model-io.js';
import { exportLinearAdamWOnnx } from '../../common/decoding/onnx-export.js';
import { LinearAdamWDecoder } from '../../common/decoding/linear-adamw.js';
import { decoderModule } from '../../common/decoding/registry.js';
import { modelMetrics, trainingRecord, type TrainReport, type TrainRequest } from './train.js';

export const ONNX_KIND = 'onnx';

export const isOnnxKind = (kind: string): boolean => kind === ONNX_KIND;

/**
 * A model from a file: a model file (.json), or an ONNX file on its own (.onnx: modelOfOnnxFile).
 * An onnx model file whose ONNX file is no longer where it was made, but sits beside the model
 * file under the same name (the pair was moved together), is pointed there.
 */
export async function readModel(path: string): Promise<ModelFile> {
  if (/\.onnx$/i.test(path)) return modelOfOnnxFile(path);
  const model = readModelFile(path);
  if (!isOnnxKind(model.decoder.kind)) return model;
  let file: string;
  try {
    file = onnxFileOfParams(model.decoder.params).file;
  } catch (error) {
    throw new EngineError('invalid-request', `${basename(path)}: ${(error as Error).message}`);
  }
  const beside = join(dirname(resolve(path)), basename(file));
  if (existsSync(file) || !existsSync(beside)) return model;
  return { ...model, decoder: { ...model.decoder, params: { ...(model.decoder.params as Record<string, ModelFile['decoder']['params']>), file: beside } } };
}

/** The ONNX runner a model file names; a changed or unreadable ONNX file is an invalid request. */
export async function onnxDecoderOfModel(model: ModelFile, name: string): Promise<OnnxDecoder> {
  try {
    return await loadOnnxOfParams(model.decoder.params);
  } catch (error) {
    throw new EngineError('invalid-request', `${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadOnnx(path: string): Promise<OnnxDecoder> {
  try {
    return await OnnxDecoder.load(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EngineError(/no such file/.test(message) ? 'not-found' : 'invalid-request', message);
  }
}

/** The predicted class of each epoch, for a synchronous or an asynchronous decoder. */
export async function predictEpochsWith(decoder: Decoder | AsyncDecoder, epochs: readonly Float64Array[]): Promise<Int32Array> {
  const probabilities = new Float64Array(decoder.classes.length);
  const predicted = new Int32Array(epochs.length);
  for (let i = 0; i < epochs.length; i++) {
    if (isAsyncDecoder(decoder)) await decoder.predictProbaAsync(epochs[i], probabilities);
    else decoder.predictProba(epochs[i], probabilities);
    predicted[i] = argmax(probabilities);
  }
  return predicted;
}

function paramsOf(decoder: OnnxDecoder, path: string): ModelFile['decoder']['params'] {
  const json = decoder.toJSON() as Record<string, ModelFile['decoder']['params']>;
  return { ...json, file: path };
}

/** A model file for an ONNX file on its own: what it declares, no filters, the window from 0 s. */
export async function modelOfOnnxFile(file: string): Promise<ModelFile> {
  const path = resolve(file);
  const decoder = await loadOnnx(path);
  try {
    const d = decoder.description;
    return parseModel(
      {
        format: MODEL_FORMAT,
        version: MODEL_VERSION,
        decoder: { kind: ONNX_KIND, options: { onnxPath: path }, params: paramsOf(decoder, path) },
        classes: [...d.classes],
        channels: [...d.channels],
        sampleRateHz: d.sampleRateHz,
        filters: {},
        window: { startSec: 0, endSec: d.windowRows / d.sampleRateHz, rowCount: d.windowRows },
        metrics: null,
        training: { files: [], epochs: 0, rejected: {}, createdAt: new Date().toISOString() },
        software: software(),
      },
      decoder.origin.file,
    );
  } finally {
    await decoder.release();
  }
}

/**
 * `bci train --decoder onnx --onnx M.onnx`: the ONNX model wrapped in a model file, scored on the
 * recordings' epochs fold by fold. The request's classes must be the model's, in its output order;
 * the window must be the model's length at its rate.
 */
export async function wrapOnnxModel(request: TrainRequest, filters: PipelineDescription): Promise<TrainReport> {
  const options = request.options ?? {};
  const given = options.onnxPath;
  if (typeof given !== 'string' || given === '') throw new EngineError('invalid-request', 'the onnx decoder needs the ONNX model to run: --onnx FILE (options.onnxPath)');
  const extra = Object.keys(options).filter((k) => k !== 'onnxPath');
  if (extra.length > 0) throw new EngineError('invalid-request', `the onnx decoder takes no options besides its file (got ${extra.join(', ')}): what the model needs is declared in the ONNX file or its sidecar`);
  const path = resolve(given);
  const decoder = await loadOnnx(path);
  try {
    const d = decoder.description;
    const name = decoder.origin.file;
    if (request.classes.length !== d.classes.length || request.classes.some((c, i) => c !== d.classes[i])) {
      throw new EngineError('invalid-request', `${name} gives the classes ${d.classes.join(', ')} in that order: pass --classes ${d.classes.join(',')} (event labels named like the model's classes)`);
    }
    if (request.channels && (request.channels.length !== d.channels.length || request.channels.some((c, i) => c !== d.channels[i]))) {
      throw new EngineError('invalid-request', `${name} takes the channels ${d.channels.join(', ')} in that order; leave --channels out`);
    }
    const rows = Math.round((request.window.endSec - request.window.startSec) * d.sampleRateHz);
    if (rows !== d.windowRows) {
      throw new EngineError('invalid-request', `${name} takes windows of ${d.windowRows} samples (${d.windowRows / d.sampleRateHz} s at ${d.sampleRateHz} Hz), but the window ${request.window.startSec}-${request.window.endSec} s is ${rows} samples: choose a window ${d.windowRows / d.sampleRateHz} s long`);
    }
    const data = await epochRecordings(request.files, {
      classes: request.classes,
      window: request.window,
      filters,
      channels: d.channels,
      sampleRateHz: d.sampleRateHz,
      requiredBy: name,
      layout: request.layout,
    });
    const { set } = data;
    const k = request.classes.length;
    const predicted = await predictEpochsWith(decoder, set.epochs);
    const folds = stratifiedFolds(set.labels, k, request.folds, request.seed, request.classes);
    const pooled = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const foldAccuracies: number[] = [];
    for (let f = 0; f < request.folds; f++) {
      const truth: number[] = [];
      const guess: number[] = [];
      for (let i = 0; i < folds.length; i++) {
        if (folds[i] !== f) continue;
        truth.push(set.labels[i]);
        guess.push(predicted[i]);
      }
      const confusion = confusionMatrix(Int32Array.from(truth), Int32Array.from(guess), k);
      foldAccuracies.push(accuracyOf(confusion));
      addConfusion(pooled, confusion);
    }
    const trialSec = request.trialSec ?? request.window.endSec - request.window.startSec;
    const metrics = metricsOf(request.classes, pooled, trialSec);
    const cv: CrossValidation = { ...metrics, folds: request.folds, seed: request.seed, foldAccuracies };
    const model = parseModel(
      JSON.parse(
        JSON.stringify({
          format: MODEL_FORMAT,
          version: MODEL_VERSION,
          decoder: { kind: ONNX_KIND, options: { onnxPath: path }, params: paramsOf(decoder, path) },
          classes: [...request.classes],
          channels: [...d.channels],
          sampleRateHz: d.sampleRateHz,
          filters,
          window: { startSec: request.window.startSec, endSec: request.window.endSec, rowCount: d.windowRows },
          metrics: modelMetrics(cv, trialSec),
          training: trainingRecord(data),
          software: software(),
        }),
      ) as unknown,
      'the wrapped ONNX model',
    );
    return { model, cv, epochs: set.epochs.length, channels: [...d.channels], files: data.files, rejected: data.rejected };
  } finally {
    await decoder.release();
  }
}

/**
 * `bci export-onnx MODEL.json OUT.onnx`: a linear-adamw model as an ONNX file other tools run (its
 * features computed outside the graph, as its metadata declares: common/decoding/onnx-export.ts).
 * The model's filters are not part of the graph: whoever runs it filters as the model file says
 * (`bci train --decoder onnx --onnx OUT.onnx --bandpass …` wraps it back with them).
 */
export function exportModelOnnx(model: ModelFile, out: string, elementType: 'float32' | 'float64', name: string): { bytes: number } {
  if (model.decoder.kind !== 'linear-adamw') {
    throw new EngineError('invalid-request', `${name} is a ${model.decoder.kind} model: only linear-adamw models export to ONNX (train one with --decoder linear-adamw)`);
  }
  let decoder: Decoder;
  try {
    decoder = decoderModule('linear-adamw').fromJSON(model.decoder.params, model.classes, model.channels.length, model.window.rowCount, model.sampleRateHz);
  } catch (error) {
    throw new EngineError('invalid-request', `${name}'s linear-adamw parameters cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!(decoder instanceof LinearAdamWDecoder)) throw new EngineError('internal', 'the linear-adamw module did not give a linear-adamw decoder');
  const bytes = exportLinearAdamWOnnx(decoder, { channelLabels: model.channels, sampleRateHz: model.sampleRateHz, elementType, producerVersion: software().version });
  writeNewFile(out, bytes, 'the ONNX model', 'export again');
  return { bytes: bytes.length };
}
