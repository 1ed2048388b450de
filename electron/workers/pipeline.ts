// Pipeline worker (worker_threads entry): reads raw rows from the shared ring buffer with its own
// cursor, runs the declared pipeline (re-reference → filters) and posts filtered chunks with their
// sample indices, compute time and push-to-output latency. Pipeline changes arrive as messages and
// are applied between chunks, so no sample is skipped or filtered twice. When a decoder is set, it
// runs on the same raw rows (the model's channels, behind the model's own filters, on a sliding
// window: common/decoding/online.ts) and its predictions follow each chunk, stamped with the sample
// index of their window's last row and timed from that row's push.

import { parentPort } from 'node:worker_threads';
import { RingBuffer, RingReader } from '../common/ring-buffer.js';
import { Pipeline } from '../common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave, type Block } from '../common/pipeline/block.js';
import type { FilteredChunk, FromPipelineWorker, PipelineWorkerInit, PredictionChunk, ToPipelineWorker, WorkerDecoderSpec } from '../common/contract/worker-messages.js';
import { OnlineDecoder } from '../common/decoding/online.js';
import { decoderModule, loadDecoderPlugins } from '../common/decoding/registry.js';
import { QualityMonitor } from '../common/quality/quality-monitor.js';

const port = parentPort;
if (!port) throw new Error('the pipeline worker must run in a worker thread');

function post(message: FromPipelineWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

const nowMs = (): number => performance.timeOrigin + performance.now();

class PipelineLoop {
  private readonly ring: RingBuffer;
  private readonly reader: RingReader;
  private readonly pipeline: Pipeline;
  private readonly rows: Float64Array;
  private readonly block: Block;
  private readonly pushTimesMs: Float64Array;
  private readonly quality: QualityMonitor;
  private readonly flushes: number[] = [];
  private closing = false;
  private decoder: { online: OnlineDecoder; generation: number } | undefined;
  /** Decoder changes are built one after another (building may import plug-ins), then swapped in between chunks. */
  private decoderChanges: Promise<void> = Promise.resolve();

  constructor(private readonly init: PipelineWorkerInit) {
    this.ring = RingBuffer.attach(init.ring);
    this.reader = new RingReader(this.ring, { slot: init.readerSlot, cursor: init.readerCursor });
    this.pipeline = new Pipeline(init.pipeline, {
      sampleRateHz: init.sampleRateHz,
      channelCount: init.channelCount,
      eegMask: init.eegMask,
      maxBlockRows: init.maxBlockRows,
    });
    this.rows = new Float64Array(init.maxBlockRows * init.channelCount);
    this.pushTimesMs = new Float64Array(init.maxBlockRows);
    this.block = createBlock(init.channelCount, init.maxBlockRows);
    this.quality = new QualityMonitor({ sampleRateHz: init.sampleRateHz, channelCount: init.channelCount, eegMask: init.eegMask, fullScale: init.fullScale, maxBlockRows: init.maxBlockRows });
  }

  handle(message: ToPipelineWorker): void {
    switch (message.type) {
      case 'setPipeline':
        try {
          this.pipeline.update(message.pipeline);
          post({ type: 'ack', requestId: message.requestId });
        } catch (error) {
          post({ type: 'ack', requestId: message.requestId, error: error instanceof Error ? error.message : String(error) });
        }
        break;
      case 'setDecoder': {
        const { requestId, decoder } = message;
        this.decoderChanges = this.decoderChanges.then(async () => {
          try {
            this.decoder = decoder ? { online: await this.buildDecoder(decoder), generation: decoder.generation } : undefined;
            post({ type: 'ack', requestId });
          } catch (error) {
            post({ type: 'ack', requestId, error: error instanceof Error ? error.message : String(error) });
          }
        });
        break;
      }
      case 'flush':
        this.flushes.push(message.requestId);
        break;
      case 'setQualityThresholds':
        this.quality.setThresholds(message.thresholds);
        break;
      case 'close':
        this.closing = true;
        break;
      case 'init':
        post({ type: 'error', message: 'the pipeline worker was initialised twice' });
        break;
    }
  }

  private async buildDecoder(spec: WorkerDecoderSpec): Promise<OnlineDecoder> {
    await loadDecoderPlugins(spec.plugins);
    const decoder = decoderModule(spec.kind).fromJSON(spec.params, spec.classes, spec.channelIndices.length, spec.windowRows, spec.sampleRateHz);
    return new OnlineDecoder({
      decoder,
      filters: spec.filters,
      sampleRateHz: spec.sampleRateHz,
      channelIndices: spec.channelIndices,
      streamChannelCount: this.init.channelCount,
      stepRows: spec.stepRows,
      smoothing: spec.smoothing,
      maxBlockRows: this.init.maxBlockRows,
    });
  }

  /** Runs the decoder over the rows just read (still raw in this.rows) and posts its predictions. */
  private decode(rowCount: number, firstSampleIndex: number): void {
    const current = this.decoder;
    if (!current) return;
    const online = current.online;
    let count: number;
    try {
      count = online.process(this.rows, rowCount, firstSampleIndex);
    } catch (error) {
      // a faulty decoder stops decoding, never filtering
      this.decoder = undefined;
      post({ type: 'decoderFailed', generation: current.generation, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (count === 0) return;
    const classCount = online.classCount;
    const probabilities = online.probabilities.slice(0, count * classCount);
    const latencyMs = new Float64Array(count);
    const now = nowMs();
    for (let i = 0; i < count; i++) latencyMs[i] = now - this.pushTimesMs[online.rows[i]];
    const chunk: PredictionChunk = {
      type: 'predictions',
      generation: current.generation,
      firstSampleIndex: online.sampleIndices[0],
      strideRows: online.stepRows,
      count,
      classCount,
      probabilities,
      latencyMs,
    };
    post(chunk, [probabilities.buffer, latencyMs.buffer]);
  }

  async run(): Promise<void> {
    const channels = this.init.channelCount;
    let busyChunks = 0;
    while (!this.closing) {
      const writeLow = this.ring.loadWriteLow();
      const n = this.reader.read(this.rows, this.init.maxBlockRows, undefined, this.pushTimesMs);
      if (n === 0) {
        while (this.flushes.length > 0) post({ type: 'flushed', requestId: this.flushes.shift()! });
        busyChunks = 0;
        await this.ring.waitForWrite(writeLow, 20);
        continue;
      }
      const t0 = performance.now();
      deinterleave(this.rows, n, this.block);
      this.pipeline.process(this.block);
      const data = new Float64Array(n * channels);
      interleave(this.block, data);
      const processingMs = performance.now() - t0;
      const chunk: FilteredChunk = {
        type: 'filtered',
        firstSampleIndex: this.reader.firstSampleIndex,
        rowCount: n,
        channelCount: channels,
        data,
        lostRows: this.reader.lostRows,
        processingMs,
        latencyMs: nowMs() - this.reader.lastPushTimeMs,
      };
      post(chunk, [data.buffer]);
      this.decode(n, chunk.firstSampleIndex);
      // quality on the raw rows (still in this.rows), after the chunk so it adds nothing to its latency
      this.quality.push(this.rows, n, chunk.firstSampleIndex);
      for (const summary of this.quality.take()) post({ type: 'quality', summary });
      // yield now and then so that messages (pipeline changes, flushes) are handled under load
      if (++busyChunks >= 8) {
        busyChunks = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    this.reader.close();
  }
}

let loop: PipelineLoop | undefined;
port.on('message', (message: ToPipelineWorker) => {
  if (message.type === 'init' && !loop) {
    try {
      loop = new PipelineLoop(message);
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    post({ type: 'ready' });
    loop.run().then(
      () => port.close(),
      (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  if (!loop) {
    post({ type: 'error', message: `the pipeline worker got "${message.type}" before "init"` });
    return;
  }
  loop.handle(message);
});
