// Pipeline worker (worker_threads entry): reads raw rows from the shared ring buffer with its own
// cursor, runs the declared pipeline (re-reference → filters) and posts filtered chunks with their
// sample indices, compute time and push-to-output latency. Pipeline changes arrive as messages and
// are applied between chunks, so no sample is skipped or filtered twice.

import { parentPort } from 'node:worker_threads';
import { RingBuffer, RingReader } from '../common/ring-buffer.js';
import { Pipeline } from '../common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave, type Block } from '../common/pipeline/block.js';
import type { FilteredChunk, FromPipelineWorker, PipelineWorkerInit, ToPipelineWorker } from '../common/contract/worker-messages.js';

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
  private readonly flushes: number[] = [];
  private closing = false;

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
    this.block = createBlock(init.channelCount, init.maxBlockRows);
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
      case 'flush':
        this.flushes.push(message.requestId);
        break;
      case 'close':
        this.closing = true;
        break;
      case 'init':
        post({ type: 'error', message: 'the pipeline worker was initialised twice' });
        break;
    }
  }

  async run(): Promise<void> {
    const channels = this.init.channelCount;
    let busyChunks = 0;
    while (!this.closing) {
      const writeLow = this.ring.loadWriteLow();
      const n = this.reader.read(this.rows, this.init.maxBlockRows);
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
