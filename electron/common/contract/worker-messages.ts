// Messages between the engine and the pipeline worker (worker_threads). The samples themselves
// travel through the shared ring buffer; the filtered output comes back as transferred arrays.

import type { PipelineDescription } from './pipeline.js';

export interface PipelineWorkerInit {
  readonly type: 'init';
  readonly ring: SharedArrayBuffer;
  readonly readerSlot: number;
  readonly readerCursor: number;
  readonly sampleRateHz: number;
  readonly channelCount: number;
  readonly eegMask: Uint8Array;
  readonly maxBlockRows: number;
  readonly pipeline: PipelineDescription;
}

export type ToPipelineWorker =
  | PipelineWorkerInit
  | { readonly type: 'setPipeline'; readonly requestId: number; readonly pipeline: PipelineDescription }
  | { readonly type: 'flush'; readonly requestId: number }
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
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly requestId: number; readonly error?: string }
  | { readonly type: 'flushed'; readonly requestId: number }
  | { readonly type: 'error'; readonly message: string };
