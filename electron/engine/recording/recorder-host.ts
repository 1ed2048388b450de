// Hosts the recorder worker: starts it on the shared ring buffer with its own reader, forwards
// markers, asks it to stop at a sample index, and hands back its summary.

import { EngineError } from '../../common/contract/failure.js';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../paths.js';
import type { RingBuffer } from '../../common/ring-buffer.js';
import type { FromRecorder, RecorderInit, RecorderProgress, RecorderSummary, ToRecorder } from '../../common/contract/recorder-messages.js';

export type RecorderStart = Omit<RecorderInit, 'type' | 'ring' | 'readerSlot' | 'readerCursor'>;

export class RecorderHost {
  private readonly worker: Worker;
  private latest: RecorderProgress = { records: 0, rowsWritten: 0, clippedValues: 0, lostRows: 0, annotations: 0 };
  private summary: Promise<RecorderSummary>;
  private resolveSummary!: (s: RecorderSummary) => void;
  private rejectSummary!: (e: Error) => void;
  private errorMessage: string | null = null;
  private slotReleased = false;

  private constructor(
    private readonly ring: RingBuffer,
    private readonly slot: number,
    private readonly onError: (message: string) => void,
    private readonly startOptions?: RecorderStart,
  ) {
    this.worker = new Worker(workerScript('recorder'));
    this.summary = new Promise((resolve, reject) => {
      this.resolveSummary = resolve;
      this.rejectSummary = reject;
    });
    this.summary.catch(() => undefined);
  }

  /** Starts recording from the producer's current position; rejects if the file cannot be created. */
  static async start(ring: RingBuffer, options: RecorderStart, onError: (message: string) => void): Promise<RecorderHost> {
    const slot = ring.claimReaderSlot();
    if (slot < 0) throw new EngineError('state', 'cannot record: every ring buffer reader is in use');
    const host = new RecorderHost(ring, slot, onError, options);
    try {
      await host.started();
    } catch (error) {
      // every failure path ends the worker (a worker left waiting on the ring keeps the process alive)
      await host.terminate();
      throw new EngineError('io', error instanceof Error ? error.message : String(error));
    }
    return host;
  }

  /** Resolves once the worker has the file open with its header on disk. */
  private started(): Promise<void> {
    const ring = this.ring;
    const slot = this.slot;
    const options = this.startOptions!;
    let ready = false;
    return new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: FromRecorder) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            resolve();
            break;
          case 'progress':
            this.latest = m;
            break;
          case 'error':
            this.errorMessage = m.message;
            // before 'ready' the refusal is the start's answer; after, a fault to show
            if (ready) this.onError(m.message);
            else reject(new Error(m.message));
            break;
          case 'notice':
            // told like a fault, but the recording goes on
            if (ready) this.onError(m.message);
            break;
          case 'stopped':
            this.latest = m;
            this.resolveSummary(m);
            break;
        }
      });
      this.worker.on('error', (e) => {
        reject(e);
        this.rejectSummary(e);
      });
      this.worker.on('exit', () => {
        this.releaseSlot();
        const message = this.errorMessage ?? 'the recorder stopped unexpectedly';
        reject(new Error(message));
        this.rejectSummary(new Error(message));
      });
      const init: ToRecorder = { type: 'init', ring: ring.buffer, readerSlot: slot, readerCursor: ring.writtenRows, ...options };
      this.worker.postMessage(init);
    });
  }

  private releaseSlot(): void {
    if (this.slotReleased) return;
    this.slotReleased = true;
    this.ring.releaseReaderSlot(this.slot);
  }

  get progress(): RecorderProgress {
    return this.latest;
  }

  /** The reason recording stopped by itself (disk full…), if it did. */
  get error(): string | null {
    return this.errorMessage;
  }

  annotate(sampleIndex: number, durationSec: number, label: string): void {
    this.worker.postMessage({ type: 'annotate', sampleIndex, durationSec, label } satisfies ToRecorder);
  }

  /** Records everything up to (not including) untilSampleIndex, completes the file, returns the summary. */
  async stop(untilSampleIndex: number): Promise<RecorderSummary> {
    this.worker.postMessage({ type: 'stop', untilSampleIndex } satisfies ToRecorder);
    const summary = await this.summary;
    await new Promise<void>((resolve) => {
      if (this.worker.threadId < 0) resolve();
      else this.worker.once('exit', () => resolve());
    });
    return summary;
  }

  /** Ends the worker without completing the file (tests of crash recovery use kill -9 instead). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    this.releaseSlot();
  }
}
