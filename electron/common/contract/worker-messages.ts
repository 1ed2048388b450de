// Messages between the engine and the pipeline worker (worker_threads). The samples themselves
// travel through the shared ring buffer; the filtered output and the predictions come back as
// transferred arrays. A decoder travels as plain data (its model's parameters) and is rebuilt in
// the worker by the decoder registry.

import type { PipelineDescription } from './pipeline.js';
import type { Smoothing } from './decoding.js';
import type { JsonValue } from '../decoding/decoder.js';
import type { QualitySummary, QualityThresholds } from './quality.js';

/** A decoder for the worker to run after the filters: plain data, rebuilt there with its module's fromJSON. */
export interface WorkerDecoderSpec {
  /** Tells this decoder's predictions from an earlier one's. */
  readonly generation: number;
  readonly kind: string;
  readonly classes: readonly string[];
  /** The decoder's parameters (the model file's decoder.params). */
  readonly params: JsonValue;
  /** Window length in rows. */
  readonly windowRows: number;
  readonly sampleRateHz: number;
  /** The model's own filters, run on its channels. */
  readonly filters: PipelineDescription;
  /** For each of the model's channels, its index in the stream's rows. */
  readonly channelIndices: readonly number[];
  readonly stepRows: number;
  readonly smoothing: Smoothing;
  /** Decoder plug-in modules (URLs) to import before building it. */
  readonly plugins: readonly string[];
}

/** Predictions of one chunk: row r is for the window ending at firstSampleIndex + r·strideRows. */
export interface PredictionChunk {
  readonly type: 'predictions';
  readonly generation: number;
  readonly firstSampleIndex: number;
  readonly strideRows: number;
  readonly count: number;
  readonly classCount: number;
  /** count × classCount probabilities (after smoothing), in the model's class order. */
  readonly probabilities: Float64Array;
  /** Per prediction: from the push of its window's last row to the prediction leaving the worker (ms). */
  readonly latencyMs: Float64Array;
  /** Host time (performance.timeOrigin based, ms) the chunk left the worker: latencyMs ends here. */
  readonly postedAtMs: number;
}

export interface PipelineWorkerInit {
  readonly type: 'init';
  readonly ring: SharedArrayBuffer;
  readonly readerSlot: number;
  readonly readerCursor: number;
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** The quality monitor's and the common average's channels (type 'eeg'). */
  readonly eegMask: Uint8Array;
  /** Each channel's type: filters without a channel list apply to the ExG ones only (contract/pipeline.ts). */
  readonly channelTypes: readonly string[];
  readonly maxBlockRows: number;
  readonly pipeline: PipelineDescription;
  /** Full scale per channel (railed near it), for the quality monitor. */
  readonly fullScale: Float64Array;
}

export type ToPipelineWorker =
  | PipelineWorkerInit
  | { readonly type: 'setPipeline'; readonly requestId: number; readonly pipeline: PipelineDescription }
  | { readonly type: 'setDecoder'; readonly requestId: number; readonly decoder: WorkerDecoderSpec | null }
  | { readonly type: 'flush'; readonly requestId: number }
  | { readonly type: 'setQualityThresholds'; readonly thresholds: Partial<QualityThresholds> }
  /** Which channels are EEG (the common average and the quality rules use them): a montage changed the types. */
  /** A montage changed the channels' types: the common average, the filters' default channels and the quality rules follow. */
  | { readonly type: 'setChannelTypes'; readonly channelTypes: readonly string[] }
  | { readonly type: 'close' };

export interface FilteredChunk {
  readonly type: 'filtered';
  readonly firstSampleIndex: number;
  readonly rowCount: number;
  readonly channelCount: number;
  /** rowCount × channelCount interleaved values (row-major), in the board's units. */
  readonly data: Float64Array;
  /** Rows this reader lost just before this chunk (buffer overflow). */
  readonly lostRows: number;
  /** Compute time of this chunk in the worker (ms). */
  readonly processingMs: number;
  /** From the push of the chunk's last row to this chunk leaving the worker (ms). */
  readonly latencyMs: number;
}

export type FromPipelineWorker =
  | FilteredChunk
  | PredictionChunk
  /** One second of signal quality per channel (windows aligned on sample indices). */
  | { readonly type: 'quality'; readonly summary: QualitySummary }
  /** The decoder threw: it is dropped (filtering goes on). */
  | { readonly type: 'decoderFailed'; readonly generation: number; readonly message: string }
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly requestId: number; readonly error?: string }
  | { readonly type: 'flushed'; readonly requestId: number }
  | { readonly type: 'error'; readonly message: string };
