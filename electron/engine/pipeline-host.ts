// Hosts the pipeline worker: starts it on the shared ring buffer, forwards pipeline and decoder
// changes and flushes, and hands filtered chunks and predictions to the engine.

import { Worker } from 'node:worker_threads';
import { workerScript } from './paths.js';
import type { RingBuffer } from '../common/ring-buffer.js';
import type { FilteredChunk, FromPipelineWorker, PipelineWorkerInit, PredictionChunk, ToPipelineWorker, WorkerDecoderSpec } from '../common/contract/worker-messages.js';
import type { PipelineDescription } from '../common/contract/pipeline.js';
import type { QualitySummary, QualityThresholds } from '../common/contract/quality.js';

export type PipelineHostOptions = Omit<PipelineWorkerInit, 'type' | 'ring'> & {
  readonly ring: RingBuffer;
  readonly onChunk: (chunk: FilteredChunk) => void;
  readonly onPredictions?: (chunk: PredictionChunk) => void;
  readonly onQuality?: (summary: QualitySummary) => void;
  readonly onDecoderFailed?: (generation: number, message: string) => void;
  readonly onError: (message: string) => void;
};

export class PipelineHost {
  private readonly worker: Worker;
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(private readonly options: PipelineHostOptions) {
    this.worker = new Worker(workerScript('pipeline'));
    this.worker.on('message', (m: FromPipelineWorker) => this.onMessage(m));
    this.worker.on('error', (e) => this.failAll(`the pipeline worker failed: ${e.message}`));
    this.worker.on('exit', () => {
      this.exited = true;
      this.failAll('the pipeline worker stopped');
    });
  }

  static async start(options: PipelineHostOptions): Promise<PipelineHost> {
    const host = new PipelineHost(options);
    await new Promise<void>((resolve, reject) => {
      host.pending.set(0, { resolve, reject });
      const init: ToPipelineWorker = {
        type: 'init',
        ring: options.ring.buffer,
        readerSlot: options.readerSlot,
        readerCursor: options.readerCursor,
        sampleRateHz: options.sampleRateHz,
        channelCount: options.channelCount,
        eegMask: options.eegMask,
        channelTypes: options.channelTypes,
        maxBlockRows: options.maxBlockRows,
        pipeline: options.pipeline,
        fullScale: options.fullScale,
      };
      host.worker.postMessage(init);
    });
    return host;
  }

  /** Applies a new pipeline between two chunks; rejects with the worker's reason if it is refused. */
  setPipeline(pipeline: PipelineDescription): Promise<void> {
    return this.request((requestId) => ({ type: 'setPipeline', requestId, pipeline }));
  }

  /** Runs a decoder after the filters from the next chunk on (null: none); rejects with the worker's reason if it cannot be built. */
  setDecoder(decoder: WorkerDecoderSpec | null): Promise<void> {
    return this.request((requestId) => ({ type: 'setDecoder', requestId, decoder }));
  }

  /** New quality thresholds, from the worker's next window on. */
  setQualityThresholds(thresholds: Partial<QualityThresholds>): void {
    if (!this.exited) this.worker.postMessage({ type: 'setQualityThresholds', thresholds } satisfies ToPipelineWorker);
  }

  /**
   * The channels' types (a montage changed them): the common average (EEG), the filters without a
   * channel list (ExG) and the quality rules (EEG) follow from the next chunk.
   */
  setChannelTypes(channelTypes: readonly string[]): void {
    if (!this.exited) this.worker.postMessage({ type: 'setChannelTypes', channelTypes } satisfies ToPipelineWorker);
  }

  /** Resolves once the worker has filtered every row written to the ring buffer so far. */
  flush(): Promise<void> {
    return this.request((requestId) => ({ type: 'flush', requestId }));
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies ToPipelineWorker);
    const timeout = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(timeout);
  }

  private request(make: (requestId: number) => ToPipelineWorker): Promise<void> {
    if (this.exited) return Promise.reject(new Error('the pipeline worker is not running'));
    const requestId = this.nextRequest++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage(make(requestId));
    });
  }

  private settle(requestId: number, error?: string): void {
    const p = this.pending.get(requestId);
    if (!p) return;
    this.pending.delete(requestId);
    if (error) p.reject(new Error(error));
    else p.resolve();
  }

  private onMessage(m: FromPipelineWorker): void {
    switch (m.type) {
      case 'filtered':
        this.options.onChunk(m);
        break;
      case 'predictions':
        this.options.onPredictions?.(m);
        break;
      case 'quality':
        this.options.onQuality?.(m.summary);
        break;
      case 'decoderFailed':
        this.options.onDecoderFailed?.(m.generation, m.message);
        break;
      case 'ready':
        this.settle(0);
        break;
      case 'ack':
        this.settle(m.requestId, m.error);
        break;
      case 'flushed':
        this.settle(m.requestId);
        break;
      case 'error':
        if (this.pending.has(0)) this.settle(0, m.message);
        else this.options.onError(m.message);
        break;
    }
  }

  private failAll(message: string): void {
    for (const [id] of this.pending) this.settle(id, message);
  }
}
