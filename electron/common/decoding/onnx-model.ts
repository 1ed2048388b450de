// What an ONNX model must declare before the workstation runs it, and the check that a stream
// suits it. The declaration comes from the model's metadata_props and/or a sidecar JSON file
// (`model.onnx.json`, beside the model); where both give a field, the sidecar wins (it is the
// file a user edits). The runner itself needs onnxruntime-node and lives in the engine
// (electron/engine/decoding/onnx-decoder.ts); everything here is pure.
//
// Declared fields (metadata key / sidecar key):
//   classes        / classes       JSON array of class names in output order (or "a,b,c")
//   channels       / channels      JSON array of channel labels in input order (or "TP9,AF7")
//   sample_rate_hz / sampleRateHz  the rate the model was trained at
//   window_rows    / windowRows    window length in rows; optional when the input shape fixes it
//   input          / input         "window" (default): the planar window itself, float32 or
//                                  float64, shaped [C, T], [N, C, T] or [N, 1, C, T] with N = 1 or
//                                  symbolic; "features": a feature vector [N, F] computed by
//                                  features.ts from the spec in `features`
//   features       / features      the feature spec (JSON), when input is "features"
//   output         / output        "probabilities" (default) or "logits" (softmax applied here)
// The first graph output is the one read; its last dimension is the class count.

import { isRecord } from './linear.js';
import { featuresFromJSON, parseFeatureSpec } from './features.js';
import type { JsonValue } from './decoder.js';
import { isJsonValue } from './model-file.js';
import { ONNX_DOUBLE, ONNX_FLOAT, type OnnxElementType, type OnnxModelInfo } from './onnx-proto.js';

export const ONNX_METADATA_KEYS = {
  classes: 'classes',
  channels: 'channels',
  sampleRateHz: 'sample_rate_hz',
  windowRows: 'window_rows',
  input: 'input',
  features: 'features',
  output: 'output',
} as const;

export interface OnnxModelDescription {
  readonly classes: readonly string[];
  readonly channels: readonly string[];
  readonly sampleRateHz: number;
  readonly windowRows: number;
  readonly input: 'window' | 'features';
  /**
   * When input is 'features': the extractor as declared (a spec, or a fitted extractor's JSON: CSP
   * features carry their filters), checked by building it; else null.
   */
  readonly features: JsonValue | null;
  readonly featureCount: number | null;
  readonly output: 'probabilities' | 'logits';
  readonly inputName: string;
  readonly inputDims: readonly (number | string)[];
  /** The concrete shape fed for one window (symbolic dimensions set to 1 or to the declared size). */
  readonly feedDims: readonly number[];
  readonly elementType: OnnxElementType;
  readonly outputName: string;
}


function stringList(value: unknown, what: string): string[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('[')) {
      try {
        list = JSON.parse(t);
      } catch {
        throw new RangeError(`The ONNX model's ${what} is not valid JSON: ${t.slice(0, 80)}`);
      }
    } else list = t.split(',').map((s) => s.trim());
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.trim() !== '')) {
    throw new RangeError(`The ONNX model's ${what} must be a non-empty list of names; got ${JSON.stringify(value)}.`);
  }
  return (list as string[]).map((s) => s.trim());
}

function positiveNumber(value: unknown, what: string, integer: boolean): number {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new RangeError(`The ONNX model's ${what} must be a positive ${integer ? 'whole number' : 'number'}; got ${JSON.stringify(value)}.`);
  }
  return n;
}

/**
 * Merges metadata_props and the sidecar, checks them against the graph's input and output, and
 * says how to feed one window. Throws a sentence naming what is missing or inconsistent.
 */
export function describeOnnxModel(info: OnnxModelInfo, sidecar: unknown = null): OnnxModelDescription {
  if (sidecar !== null && !isRecord(sidecar)) throw new RangeError('The ONNX sidecar (model.onnx.json) must hold a JSON object.');
  const side = sidecar ?? {};
  const meta = info.metadata;
  const field = (sideKey: keyof typeof ONNX_METADATA_KEYS): unknown => side[sideKey] ?? meta[ONNX_METADATA_KEYS[sideKey]];
  const need = (sideKey: keyof typeof ONNX_METADATA_KEYS): unknown => {
    const value = field(sideKey);
    if (value === undefined) {
      throw new RangeError(
        `The ONNX model does not declare its ${sideKey}: add "${ONNX_METADATA_KEYS[sideKey]}" to its metadata_props ` +
          `or "${sideKey}" to a sidecar model.onnx.json beside it.`,
      );
    }
    return value;
  };
  const classes = stringList(need('classes'), 'classes');
  const channels = stringList(need('channels'), 'channels');
  const sampleRateHz = positiveNumber(need('sampleRateHz'), 'sample rate', false);
  const input = field('input') ?? 'window';
  if (input !== 'window' && input !== 'features') throw new RangeError(`The ONNX model's input must be "window" or "features"; got ${JSON.stringify(input)}.`);
  const output = field('output') ?? 'probabilities';
  if (output !== 'probabilities' && output !== 'logits') throw new RangeError(`The ONNX model's output must be "probabilities" or "logits"; got ${JSON.stringify(output)}.`);

  if (info.inputs.length !== 1) {
    throw new RangeError(`The ONNX model takes ${info.inputs.length} inputs (${info.inputs.map((i) => i.name).join(', ')}); the workstation feeds exactly one.`);
  }
  if (info.outputs.length < 1) throw new RangeError('The ONNX model has no output.');
  const graphInput = info.inputs[0];
  const elementType = graphInput.elementType === ONNX_FLOAT ? 'float32' : graphInput.elementType === ONNX_DOUBLE ? 'float64' : null;
  if (elementType === null) {
    throw new RangeError(`The ONNX model's input ${graphInput.name} has element type ${graphInput.elementType}; the workstation feeds float32 or float64.`);
  }
  const dims = graphInput.dims;
  const batch = (d: number | string): boolean => typeof d === 'string' || d === 1;
  const declaredRows = field('windowRows');
  let windowRows: number;
  let features: JsonValue | null = null;
  let featureCount: number | null = null;
  let feedDims: number[];

  if (input === 'window') {
    let c: number | string;
    let t: number | string;
    if (dims.length === 2) [c, t] = dims;
    else if (dims.length === 3 && batch(dims[0])) [, c, t] = dims;
    else if (dims.length === 4 && batch(dims[0]) && dims[1] === 1) [, , c, t] = dims;
    else {
      throw new RangeError(
        `The ONNX model's input ${graphInput.name} has shape [${dims.join(', ')}]; a window input must be [channels, rows], ` +
          '[batch, channels, rows] or [batch, 1, channels, rows] with a batch of 1.',
      );
    }
    if (typeof c === 'number' && c !== channels.length) {
      throw new RangeError(`The ONNX model's input takes ${c} channels but it declares ${channels.length} (${channels.join(', ')}).`);
    }
    if (declaredRows !== undefined) {
      windowRows = positiveNumber(declaredRows, 'window length in rows', true);
      if (typeof t === 'number' && t !== windowRows) throw new RangeError(`The ONNX model's input takes ${t} rows but it declares a window of ${windowRows}.`);
    } else if (typeof t === 'number') windowRows = t;
    else throw new RangeError(`The ONNX model's input has a symbolic window length (${t}): declare window_rows in its metadata or windowRows in the sidecar.`);
    const core = [channels.length, windowRows];
    feedDims = dims.length === 2 ? core : dims.length === 3 ? [1, ...core] : [1, 1, ...core];
  } else {
    const declared = need('features');
    let spec: unknown = declared;
    if (typeof declared === 'string') {
      try {
        spec = JSON.parse(declared);
      } catch {
        throw new RangeError(`The ONNX model's features are not valid JSON: ${declared.slice(0, 80)}`);
      }
    }
    parseFeatureSpec(spec);
    if (!isJsonValue(spec)) throw new RangeError("The ONNX model's features must be plain JSON.");
    features = spec;
    windowRows = positiveNumber(need('windowRows'), 'window length in rows', true);
    featureCount = featuresFromJSON(features, channels.length, windowRows, sampleRateHz).featureCount;
    if (!(dims.length === 2 && batch(dims[0]) && (typeof dims[1] === 'string' || dims[1] === featureCount))) {
      throw new RangeError(`The ONNX model's input has shape [${dims.join(', ')}]; its features need [batch, ${featureCount}].`);
    }
    feedDims = [1, featureCount];
  }
  const graphOutput = info.outputs[0];
  const last = graphOutput.dims[graphOutput.dims.length - 1];
  if (typeof last === 'number' && last !== classes.length) {
    throw new RangeError(`The ONNX model's output ${graphOutput.name} gives ${last} values per window but it declares ${classes.length} classes.`);
  }
  return {
    classes,
    channels,
    sampleRateHz,
    windowRows,
    input,
    features,
    featureCount,
    output,
    inputName: graphInput.name,
    inputDims: dims,
    feedDims,
    elementType,
    outputName: graphOutput.name,
  };
}

/** Sample rates closer than this are the same rate. */
const RATE_TOLERANCE_HZ = 1e-6;

/**
 * Where each of the model's channels is in a stream (by label, ignoring case and surrounding
 * spaces). Refuses a stream at another rate or without one of the model's channels, with a sentence.
 */
export function streamChannelIndices(model: Pick<OnnxModelDescription, 'channels' | 'sampleRateHz'>, streamLabels: readonly string[], streamRateHz: number): Int32Array {
  if (Math.abs(streamRateHz - model.sampleRateHz) > RATE_TOLERANCE_HZ) {
    throw new RangeError(`This model was trained at ${model.sampleRateHz} Hz but the stream runs at ${streamRateHz} Hz: use a model trained at ${streamRateHz} Hz.`);
  }
  const key = (s: string): string => s.trim().toLowerCase();
  const where = new Map<string, number>();
  streamLabels.forEach((label, i) => {
    if (!where.has(key(label))) where.set(key(label), i);
  });
  const missing = model.channels.filter((c) => !where.has(key(c)));
  if (missing.length > 0) {
    throw new RangeError(
      `This model needs channel${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the stream does not have ` +
        `(the stream has ${streamLabels.join(', ')}).`,
    );
  }
  return Int32Array.from(model.channels, (c) => where.get(key(c)) as number);
}
