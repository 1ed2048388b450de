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

  private constructor(
    private readonly ring: RingBuffer,
    private readonly slot: number,
    private readonly onError: (message: string) => void,
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
    const host = new RecorderHost(ring, slot, onError);
    await new Promise<void>((resolve, reject) => {
      host.worker.on('message', (m: FromRecorder) => {
        switch (m.type) {
          case 'ready':
            resolve();
            break;
          case 'progress':
            host.latest = m;
            break;
          case 'error':
            host.errorMessage = m.message;
            reject(new Error(m.message));
            host.onError(m.message);
            break;
          case 'stopped':
            host.latest = m;
            host.resolveSummary(m);
            break;
        }
      });
      host.worker.on('error', (e) => {
        reject(e);
        host.rejectSummary(e);
      });
      host.worker.on('exit', () => {
        ring.releaseReaderSlot(slot);
        host.rejectSummary(new Error(host.errorMessage ?? 'the recorder stopped unexpectedly'));
      });
      const init: ToRecorder = { type: 'init', ring: ring.buffer, readerSlot: slot, readerCursor: ring.writtenRows, ...options };
      host.worker.postMessage(init);
    });
    return host;
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
    this.ring.releaseReaderSlot(this.slot);
  }
}
