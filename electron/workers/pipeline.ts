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
import type { AsyncDecoder, Decoder } from '../common/decoding/decoder.js';
import { loadOnnxOfParams } from '../../native/onnx-decoder.js';

const port = parentPort;
if (!port) throw new Error('the pipeline worker must run in a worker thread');

function post(message: FromPipelineWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

/** The decoder running: its online stage, the generation its predictions carry, what frees it. */
interface ActiveOnline {
  readonly online: OnlineDecoder;
  readonly generation: number;
  readonly release?: () => Promise<void>;
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
  /** Rows the reader lost on reads that returned nothing, not yet reported in a chunk. */
  private unreportedLost = 0;
  /** The sample index after the last row delivered. */
  private nextSampleIndex = 0;
  private closing = false;
  private decoder: ActiveOnline | undefined;
  /** The predictions being settled by an asynchronous decoder (so that a replaced one is released after). */
  private settling: Promise<void> = Promise.resolve();
  /** Decoder changes are built one after another (building may import plug-ins), then swapped in between chunks. */
  private decoderChanges: Promise<void> = Promise.resolve();

  /** Each channel's type, as the last montage left them (the decoder's filters follow them too). */
  private channelTypes: readonly string[];

  constructor(private readonly init: PipelineWorkerInit) {
    this.channelTypes = init.channelTypes;
    this.ring = RingBuffer.attach(init.ring);
    this.reader = new RingReader(this.ring, { slot: init.readerSlot, cursor: init.readerCursor });
    this.pipeline = new Pipeline(init.pipeline, {
      sampleRateHz: init.sampleRateHz,
      channelCount: init.channelCount,
      channelTypes: init.channelTypes,
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
            const previous = this.decoder;
            this.decoder = decoder ? { ...(await this.buildDecoder(decoder)), generation: decoder.generation } : undefined;
            if (previous?.release) void this.settling.then(previous.release, previous.release);
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
      case 'setChannelTypes':
        // between two chunks: the common average, the filters' default (ExG) channels, the quality rules
        if (message.channelTypes.length === this.init.channelCount) {
          this.channelTypes = message.channelTypes;
          this.pipeline.setChannelTypes(message.channelTypes);
          this.quality.setEegMask(Uint8Array.from(message.channelTypes, (t) => (t === 'eeg' ? 1 : 0)));
        }
        break;
      case 'close':
        this.closing = true;
        break;
      case 'init':
        post({ type: 'error', message: 'the pipeline worker was initialised twice' });
        break;
    }
  }

  private async buildDecoder(spec: WorkerDecoderSpec): Promise<Omit<ActiveOnline, 'generation'>> {
    let decoder: Decoder | AsyncDecoder;
    let release: (() => Promise<void>) | undefined;
    if (spec.kind === 'onnx') {
      // the engine checked the file and its SHA-256; it is checked again as it is loaded here
      const onnx = await loadOnnxOfParams(spec.params);
      decoder = onnx;
      release = () => onnx.release();
      if (decoder.classes.length !== spec.classes.length || decoder.channelCount !== spec.channelIndices.length || decoder.rowCount !== spec.windowRows) {
        throw new Error('the ONNX model does not declare the classes, channels and window its model file says');
      }
    } else {
      await loadDecoderPlugins(spec.plugins);
      decoder = decoderModule(spec.kind).fromJSON(spec.params, spec.classes, spec.channelIndices.length, spec.windowRows, spec.sampleRateHz);
    }
    const online = new OnlineDecoder({
      decoder,
      filters: spec.filters,
      sampleRateHz: spec.sampleRateHz,
      channelIndices: spec.channelIndices,
      streamChannelCount: this.init.channelCount,
      streamChannelTypes: this.channelTypes,
      stepRows: spec.stepRows,
      smoothing: spec.smoothing,
      maxBlockRows: this.init.maxBlockRows,
    });
    return { online, ...(release && { release }) };
  }

  /**
   * Runs the decoder over the rows just read (still raw in this.rows) and posts its predictions. An
   * asynchronous decoder's windows are settled before this resolves, so the next rows wait for them
   * (an unpaced source waits too; a live board's lag shows as the predictions' latency).
   */
  private decode(rowCount: number, firstSampleIndex: number): Promise<void> | undefined {
    const current = this.decoder;
    if (!current) return undefined;
    const online = current.online;
    let count: number;
    try {
      count = online.process(this.rows, rowCount, firstSampleIndex);
    } catch (error) {
      this.dropDecoder(current, error);
      return undefined;
    }
    if (online.pending > 0) {
      return (this.settling = online.settle().then(
        (settled) => this.postPredictions(current, settled),
        (error: unknown) => this.dropDecoder(current, error),
      ));
    }
    this.postPredictions(current, count);
    return undefined;
  }

  /** A faulty decoder stops decoding, never filtering. */
  private dropDecoder(current: ActiveOnline, error: unknown): void {
    if (this.decoder === current) this.decoder = undefined;
    if (current.release) void current.release().catch(() => undefined);
    post({ type: 'decoderFailed', generation: current.generation, message: error instanceof Error ? error.message : String(error) });
  }

  private postPredictions(current: ActiveOnline, count: number): void {
    const online = current.online;
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
      postedAtMs: now,
    };
    post(chunk, [probabilities.buffer, latencyMs.buffer]);
  }

  /** A chunk of no rows that carries the unreported loss (before a flush: nothing may stay unsaid). */
  private postLossOnly(): void {
    const data = new Float64Array(0);
    const chunk: FilteredChunk = {
      type: 'filtered',
      firstSampleIndex: this.nextSampleIndex + this.unreportedLost,
      rowCount: 0,
      channelCount: this.init.channelCount,
      data,
      lostRows: this.unreportedLost,
      processingMs: 0,
      latencyMs: 0,
    };
    this.unreportedLost = 0;
    post(chunk, [data.buffer]);
  }

  async run(): Promise<void> {
    const channels = this.init.channelCount;
    let busyChunks = 0;
    while (!this.closing) {
      const writeLow = this.ring.loadWriteLow();
      const n = this.reader.read(this.rows, this.init.maxBlockRows, undefined, this.pushTimesMs);
      if (n === 0) {
        // a read that copied nothing may still have lost rows (all of them overwritten while it
        // copied): they go with the next chunk, or, when a flush asks for everything, now
        this.unreportedLost += this.reader.lostRows;
        if (this.flushes.length > 0 && this.unreportedLost > 0) this.postLossOnly();
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
        lostRows: this.reader.lostRows + this.unreportedLost,
        processingMs,
        latencyMs: nowMs() - this.reader.lastPushTimeMs,
      };
      this.unreportedLost = 0;
      this.nextSampleIndex = chunk.firstSampleIndex + n;
      post(chunk, [data.buffer]);
      const settling = this.decode(n, chunk.firstSampleIndex);
      // quality on the raw rows (still in this.rows), after the chunk so it adds nothing to its latency
      this.quality.push(this.rows, n, chunk.firstSampleIndex);
      for (const summary of this.quality.take()) post({ type: 'quality', summary });
      if (settling) await settling;
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
