// Export of a fitted 'linear-adamw' model to ONNX, so other tools (onnxruntime, PyTorch, …) can
// run it. The graph takes the model's FEATURE VECTOR, not the raw window: input "features",
// shape [N, F] (N symbolic), the raw log band-power features as features.ts computes them
// (channel-major: feature c·bandCount + b is channel c, band b; natural log of µV² when the
// window is in µV). Band power needs a windowed spectrum, which ONNX has only since opset 17 (DFT)
// and few runtimes implement alike; the feature spec travels in the metadata instead, and the
// workstation's ONNX decoder computes the features itself when it runs such a model.
//
//   features ─Sub(feature_mean)─Div(feature_scale)─Gemm(weights, bias, transB=1)─Softmax(axis=1)─▶ probabilities [N, K]
//
// Opset 13, IR version 7. Element type float32 by default (what most tools expect; the
// probabilities then agree with the TypeScript model to about 1e-6), or float64 (agreement to
// rounding). metadata_props carry what onnx-model.ts reads back: classes, channels,
// sample_rate_hz, window_rows, input = "features", features (the spec as JSON),
// output = "probabilities", plus decoder = "linear-adamw".

import type { LinearAdamWDecoder } from './linear-adamw.js';
import { ONNX_METADATA_KEYS } from './onnx-model.js';
import { encodeOnnxModel, onnxDataType, type OnnxElementType } from './onnx-proto.js';

export const ONNX_EXPORT_OPSET = 13;
export const ONNX_EXPORT_IR_VERSION = 7;

export interface OnnxExportOptions {
  /** Channel labels in the window's channel order (one per decoder channel). */
  readonly channelLabels: readonly string[];
  readonly sampleRateHz: number;
  readonly elementType?: OnnxElementType;
  /** The workstation's version, written as producer_version. */
  readonly producerVersion?: string;
}

/** The bytes of a .onnx file computing the model's probabilities from its features (see the header). */
export function exportLinearAdamWOnnx(decoder: LinearAdamWDecoder, options: OnnxExportOptions): Uint8Array {
  const { channelLabels, sampleRateHz } = options;
  const elementType = options.elementType ?? 'float32';
  if (channelLabels.length !== decoder.channelCount) {
    throw new RangeError(`The model has ${decoder.channelCount} channels; ${channelLabels.length} channel labels were given.`);
  }
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) throw new RangeError(`Sample rate must be a positive number of Hz; got ${sampleRateHz}.`);
  const f = decoder.featureCount;
  const k = decoder.classes.length;
  const type = onnxDataType(elementType);
  return encodeOnnxModel({
    irVersion: ONNX_EXPORT_IR_VERSION,
    opsetVersion: ONNX_EXPORT_OPSET,
    producerName: 'BCI Workstation',
    producerVersion: options.producerVersion ?? '',
    docString: 'linear-adamw: softmax(W·((features − mean) / scale) + b) on log band-power features',
    graphName: 'linear_adamw',
    nodes: [
      { opType: 'Sub', name: 'centre', inputs: ['features', 'feature_mean'], outputs: ['centred'] },
      { opType: 'Div', name: 'standardise', inputs: ['centred', 'feature_scale'], outputs: ['standardised'] },
      { opType: 'Gemm', name: 'linear', inputs: ['standardised', 'weights', 'bias'], outputs: ['logits'], attributes: [{ name: 'transB', int: 1 }] },
      { opType: 'Softmax', name: 'softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: [{ name: 'axis', int: 1 }] },
    ],
    initializers: [
      { name: 'feature_mean', type: elementType, dims: [f], values: decoder.featureMean },
      { name: 'feature_scale', type: elementType, dims: [f], values: decoder.featureScale },
      { name: 'weights', type: elementType, dims: [k, f], values: decoder.weights },
      { name: 'bias', type: elementType, dims: [k], values: decoder.bias },
    ],
    inputs: [{ name: 'features', elementType: type, dims: ['N', f], docString: 'raw log band-power features (features.ts order)' }],
    outputs: [{ name: 'probabilities', elementType: type, dims: ['N', k] }],
    metadata: {
      decoder: 'linear-adamw',
      [ONNX_METADATA_KEYS.classes]: JSON.stringify(decoder.classes),
      [ONNX_METADATA_KEYS.channels]: JSON.stringify(channelLabels),
      [ONNX_METADATA_KEYS.sampleRateHz]: String(sampleRateHz),
      [ONNX_METADATA_KEYS.windowRows]: String(decoder.rowCount),
      [ONNX_METADATA_KEYS.input]: 'features',
      [ONNX_METADATA_KEYS.features]: JSON.stringify(decoder.extractor.toJSON()),
      [ONNX_METADATA_KEYS.output]: 'probabilities',
    },
  });
}
