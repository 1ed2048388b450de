// The decoder interface every decoder module implements (one module per decoder, DESIGN.md §7):
// epochs in, a fitted decoder out; a fitted decoder turns one window into class probabilities
// without allocating, and serialises to plain JSON that a model file carries. Pure: no Node, no DOM.

/**
 * Epochs cut by sample index, all the same shape. Each epoch is planar (channel-major):
 * channel c occupies `data[c * rowCount … (c + 1) * rowCount)`.
 */
export interface EpochSet {
  readonly channelCount: number;
  /** Rows (time points) per epoch. */
  readonly rowCount: number;
  readonly sampleRateHz: number;
  readonly epochs: readonly Float64Array[];
  /** Per epoch: its class as an index into `classes`. */
  readonly labels: Int32Array;
  readonly classes: readonly string[];
}

export type DecoderKind = 'csp-lda' | 'tangent-lr' | 'linear-adamw' | 'ssvep-cca' | 'fbcca' | 'onnx';

export const DECODER_KINDS: readonly DecoderKind[] = ['csp-lda', 'tangent-lr', 'linear-adamw', 'ssvep-cca', 'fbcca', 'onnx'];

/** What a decoder's parameters look like in a model file: plain JSON (numbers, strings, arrays, objects). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A fitted decoder: one window (planar, `channelCount` × `rowCount`) → probabilities per class. */
export interface Decoder {
  readonly kind: DecoderKind;
  readonly classes: readonly string[];
  readonly channelCount: number;
  /** The window length it expects, in rows. */
  readonly rowCount: number;
  /** Writes one probability per class into `out` (length `classes.length`, summing to 1). Allocates nothing. */
  predictProba(window: Float64Array, out: Float64Array): void;
  /** The fitted parameters, as JSON a model file carries and `fromJSON` reads back. */
  toJSON(): JsonValue;
}

/**
 * A fitted decoder whose prediction is asynchronous (the ONNX runner: onnxruntime-node's public API
 * only has `session.run(): Promise`). Otherwise as Decoder. The online stage (online.ts) queues its
 * windows and settles them in order, so predictions are the same as a synchronous decoder's would be.
 */
export interface AsyncDecoder {
  readonly kind: DecoderKind;
  readonly classes: readonly string[];
  readonly channelCount: number;
  readonly rowCount: number;
  /** Writes one probability per class into `out`; resolves when they are there. One call at a time. */
  predictProbaAsync(window: Float64Array, out: Float64Array): Promise<void>;
  toJSON(): JsonValue;
}

/** Whether a decoder predicts asynchronously. */
export function isAsyncDecoder(decoder: Decoder | AsyncDecoder): decoder is AsyncDecoder {
  return typeof (decoder as Partial<AsyncDecoder>).predictProbaAsync === 'function';
}

/** One epoch of a gradient-trained decoder's learning curve. */
export interface EpochCurvePoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
}

export interface FitResult {
  readonly decoder: Decoder;
  /** Learning curves, for gradient-trained decoders. */
  readonly curve?: readonly EpochCurvePoint[];
}

/** A decoder kind: how to fit one from epochs, and how to read one back from a model file. */
export interface DecoderModule<Options> {
  readonly kind: DecoderKind;
  /** Whether `fit` learns from labelled epochs (SSVEP CCA does not: it only takes its references). */
  readonly trainable: boolean;
  /** Validates options from a request (CLI flags, a command) or a model file; throws a sentence. */
  parseOptions(input: unknown): Options;
  fit(set: EpochSet, options: Options, seed: number): FitResult;
  fromJSON(params: JsonValue, classes: readonly string[], channelCount: number, rowCount: number, sampleRateHz: number): Decoder;
}
