// Decoder 'onnx': runs a model trained elsewhere (PyTorch, scikit-learn via skl2onnx, or the
// workstation's own ONNX export) through onnxruntime-node, the CPU build shipped in the package.
// It lives in native/ (the OS and FFI edges, which the engine and the pipeline worker may both use) because onnxruntime-node is a Node addon; what the model must declare
// (classes, channels, rate, window, input kind) and the stream check are pure and live in
// electron/common/decoding/onnx-model.ts, read from the model's metadata_props
// (common/decoding/onnx-proto.ts reads them: onnxruntime's JavaScript API does not expose them)
// and/or a sidecar `<model>.onnx.json`, which wins field by field.
//
// Asynchronous on purpose. onnxruntime-node's public API only has `session.run(): Promise`
// (internally it runs the model synchronously inside a setImmediate). Reaching for its private
// synchronous binding would tie us to internals that change between releases, so this decoder
// has `predictProbaAsync(window, out): Promise<void>` instead of the synchronous `predictProba` of
// the Decoder interface (it implements common/decoding/decoder.ts's AsyncDecoder); the online stage
// queues windows and the pipeline worker awaits them in order. Its input buffer and tensor are made
// once; onnxruntime allocates the output tensor on each run (per window, never per sample). One
// prediction at a time: a second call before the first has settled is refused.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { AsyncDecoder, JsonValue } from '../electron/common/decoding/decoder.js';
export type { AsyncDecoder } from '../electron/common/decoding/decoder.js';
import { featuresFromJSON, type FeatureExtractor } from '../electron/common/decoding/features.js';
import { describeOnnxModel, streamChannelIndices, type OnnxModelDescription } from '../electron/common/decoding/onnx-model.js';
import { readOnnxModelInfo } from '../electron/common/decoding/onnx-proto.js';

/**
 * onnxruntime, loaded on first use: its native library is large, and a process that never loads
 * an ONNX model (most `bci` commands, the desktop app without one) should not pay for it at start.
 */
let runtime: Promise<typeof Ort> | null = null;
function onnxRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-node');
  return runtime;
}

/** How far from 1 a model's declared probabilities may sum before they are refused. */
const PROBABILITY_SUM_TOLERANCE = 1e-3;

export class OnnxDecoder implements AsyncDecoder {
  readonly kind = 'onnx' as const;
  readonly classes: readonly string[];
  readonly channelCount: number;
  readonly rowCount: number;
  readonly sampleRateHz: number;
  private readonly input: Float32Array | Float64Array;
  private readonly inputTensor: Ort.Tensor;
  private readonly extractor: FeatureExtractor | null;
  private readonly features: Float64Array | null;
  private busy = false;

  private constructor(
    ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    readonly description: OnnxModelDescription,
    /** Where the model came from: file name and SHA-256 of its bytes. */
    readonly origin: { readonly file: string; readonly sha256: string },
  ) {
    this.classes = description.classes;
    this.channelCount = description.channels.length;
    this.rowCount = description.windowRows;
    this.sampleRateHz = description.sampleRateHz;
    const size = description.feedDims.reduce((a, b) => a * b, 1);
    this.input = description.elementType === 'float32' ? new Float32Array(size) : new Float64Array(size);
    this.inputTensor = new ort.Tensor(description.elementType, this.input, description.feedDims);
    if (description.input === 'features' && description.features !== null) {
      this.extractor = featuresFromJSON(description.features, this.channelCount, this.rowCount, this.sampleRateHz);
      this.features = new Float64Array(this.extractor.featureCount);
    } else {
      this.extractor = null;
      this.features = null;
    }
  }

  /**
   * Loads a model from bytes. `sidecar` is the parsed sidecar JSON (or null); `file` names the
   * model in messages and in toJSON. Throws a sentence for a model that is corrupt, foreign, or
   * does not declare what the workstation needs.
   */
  static async fromBytes(bytes: Uint8Array, sidecar: unknown, file: string): Promise<OnnxDecoder> {
    let description: OnnxModelDescription;
    try {
      description = describeOnnxModel(readOnnxModelInfo(bytes), sidecar);
    } catch (error) {
      throw new Error(`cannot use ONNX model ${file}: ${(error as Error).message}`);
    }
    const ort = await onnxRuntime();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new Error(`cannot load ONNX model ${file}: onnxruntime refused it (${(error as Error).message.split('\n')[0]}).`);
    }
    if (session.inputNames[0] !== description.inputName || !session.outputNames.includes(description.outputName)) {
      await session.release();
      throw new Error(`cannot use ONNX model ${file}: onnxruntime sees inputs ${session.inputNames.join(', ')} where the file says ${description.inputName}.`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return new OnnxDecoder(ort, session, description, { file, sha256 });
  }

  /** Loads `path`, with the sidecar `path + '.json'` when it exists (or `sidecarPath`). */
  static async load(path: string, sidecarPath: string = `${path}.json`): Promise<OnnxDecoder> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `cannot open ONNX model ${path}: no such file` : `cannot open ONNX model ${path}: ${(error as Error).message}`);
    }
    let sidecar: unknown = null;
    try {
      sidecar = JSON.parse(await readFile(sidecarPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read the ONNX sidecar ${sidecarPath}: ${(error as Error).message} (it must be a JSON object).`);
      }
    }
    return OnnxDecoder.fromBytes(bytes, sidecar, basename(path));
  }

  /**
   * Where each of the model's channels is in a stream with these labels; refuses (throws a
   * sentence) a stream at another rate or without one of the model's channels.
   */
  channelIndicesIn(streamLabels: readonly string[], streamRateHz: number): Int32Array {
    return streamChannelIndices(this.description, streamLabels, streamRateHz);
  }

  async predictProbaAsync(window: Float64Array, out: Float64Array): Promise<void> {
    const k = this.classes.length;
    if (window.length !== this.channelCount * this.rowCount) {
      throw new RangeError(`The ONNX model expects a window of ${this.channelCount} channels × ${this.rowCount} rows; got ${window.length} values.`);
    }
    if (out.length !== k) throw new RangeError(`predictProbaAsync writes ${k} probabilities; got an array of ${out.length}.`);
    if (this.busy) throw new Error('The ONNX decoder is still running the previous window: await each prediction before the next.');
    this.busy = true;
    try {
      if (this.extractor !== null && this.features !== null) {
        this.extractor.extract(window, this.features);
        this.input.set(this.features);
      } else {
        // planar channel-major windows are [C, T] in row-major order: a straight copy
        this.input.set(window);
      }
      const results = await this.session.run({ [this.description.inputName]: this.inputTensor });
      const data = results[this.description.outputName].data;
      if (!(data instanceof Float32Array || data instanceof Float64Array) || data.length !== k) {
        throw new Error(`The ONNX model's output ${this.description.outputName} gave ${data.length} values of type ${data.constructor.name}; ${k} numbers were expected.`);
      }
      if (this.description.output === 'logits') {
        let max = -Infinity;
        for (let j = 0; j < k; j++) if (data[j] > max) max = data[j];
        let sum = 0;
        for (let j = 0; j < k; j++) {
          out[j] = Math.exp(data[j] - max);
          sum += out[j];
        }
        for (let j = 0; j < k; j++) out[j] /= sum;
      } else {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          out[j] = data[j];
          sum += data[j];
          if (!(data[j] >= -PROBABILITY_SUM_TOLERANCE)) sum = NaN;
        }
        if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE)) {
          throw new Error(
            `The ONNX model's output does not look like probabilities (they sum to ${sum}): ` +
              'if it gives logits, declare output "logits" in its metadata or sidecar.',
          );
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Frees onnxruntime's session. */
  async release(): Promise<void> {
    await this.session.release();
  }

  toJSON(): JsonValue {
    const d = this.description;
    return {
      version: 1,
      file: this.origin.file,
      sha256: this.origin.sha256,
      channels: [...d.channels],
      sampleRateHz: d.sampleRateHz,
      windowRows: d.windowRows,
      input: d.input,
      output: d.output,
    };
  }
}

/** Where a model file's onnx parameters say the ONNX file is, and the SHA-256 its bytes must have. */
export function onnxFileOfParams(params: JsonValue): { file: string; sha256: string } {
  const p = params as { file?: unknown; sha256?: unknown } | null;
  if (typeof p !== 'object' || p === null || Array.isArray(p) || typeof p.file !== 'string' || p.file === '' || typeof p.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.sha256)) {
    throw new Error('an onnx model file names its ONNX file in decoder.params.file and its SHA-256 in decoder.params.sha256');
  }
  return { file: p.file, sha256: p.sha256 };
}

/**
 * Loads the ONNX file a model file's parameters name, and refuses it (a sentence) when its bytes
 * are not the ones the model was made with: the classes, channels and accuracy in the model file
 * are about those bytes only.
 */
export async function loadOnnxOfParams(params: JsonValue): Promise<OnnxDecoder> {
  const { file, sha256 } = onnxFileOfParams(params);
  const decoder = await OnnxDecoder.load(file);
  if (decoder.origin.sha256 !== sha256) {
    await decoder.release();
    throw new Error(`the ONNX file ${file} has changed since this model was made (its SHA-256 differs): make the model again with \`bci train --decoder onnx --onnx ${basename(file)}\``);
  }
  return decoder;
}
