// The built-in synthetic board: plausible EEG from the seeded generator in electron/common,
// either paced by the host clock (like a real amplifier) or unpaced (as fast as the readers keep
// up, for tests and benchmarks).

import { EngineError } from '../../common/contract/failure.js';
import type { BoardDriver, SampleSink } from './driver.js';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import { SyntheticEeg, validateSyntheticOptions, type SyntheticOptions } from '../../common/boards/synthetic.js';

export interface SyntheticDriverOptions extends SyntheticOptions {
  /** Paced by the host clock (default) or unpaced. */
  readonly paced: boolean;
  /** Rows per push (default: 10 ms worth, at least 1). */
  readonly chunkRows?: number;
  /** Stop by itself after this many rows (unpaced runs of a known length); default: never. */
  readonly totalRows?: number;
}

export class SyntheticDriver implements BoardDriver {
  readonly descriptor: BoardDescriptor;
  private readonly generator: SyntheticEeg;
  private readonly chunkRows: number;
  private readonly chunk: Float64Array;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loop: Promise<void> | undefined;
  private startedAtMs = 0;
  private rowsAtStart = 0;
  private pushed = 0;
  private finished: (() => void) | undefined;
  /** Resolves when totalRows have been pushed. */
  readonly ended: Promise<void>;

  constructor(private readonly options: SyntheticDriverOptions) {
    validateSyntheticOptions(options);
    this.generator = new SyntheticEeg(options);
    this.descriptor = this.generator.descriptor;
    this.chunkRows = options.chunkRows ?? Math.max(1, Math.round(options.sampleRateHz / 100));
    this.chunk = new Float64Array(this.chunkRows * options.channelCount);
    this.ended = new Promise((resolve) => (this.finished = resolve));
  }

  async prepare(): Promise<void> {}

  async start(sink: SampleSink): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.options.paced) {
      this.startedAtMs = performance.now();
      this.rowsAtStart = this.pushed;
      this.schedulePaced(sink);
    } else {
      this.loop = this.runUnpaced(sink);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.loop;
    this.loop = undefined;
  }

  async release(): Promise<void> {
    await this.stop();
  }

  async configure(command: string): Promise<string> {
    throw new EngineError('unsupported', `the synthetic board takes no configuration commands (got "${command}")`);
  }

  /** Rows left before totalRows (Infinity when unbounded). */
  private remaining(): number {
    return this.options.totalRows === undefined ? Infinity : this.options.totalRows - this.pushed;
  }

  private emit(sink: SampleSink, rows: number): void {
    this.generator.generate(this.chunk, rows, (m) => sink.pushMarker(m));
    sink.pushRows(this.chunk, rows);
    this.pushed += rows;
    if (this.remaining() <= 0) {
      this.running = false;
      this.finished?.();
    }
  }

  private schedulePaced(sink: SampleSink): void {
    const tick = () => {
      if (!this.running) return;
      // rows due by now, from the start time: no drift, catches up after a stall
      const due = Math.floor(((performance.now() - this.startedAtMs) / 1000) * this.options.sampleRateHz) + this.rowsAtStart;
      while (this.running && this.pushed + this.chunkRows <= due) this.emit(sink, Math.min(this.chunkRows, this.remaining()));
      if (!this.running) return;
      const nextDueMs = this.startedAtMs + ((this.pushed + this.chunkRows - this.rowsAtStart) / this.options.sampleRateHz) * 1000;
      this.timer = setTimeout(tick, Math.max(0, nextDueMs - performance.now()));
    };
    tick();
  }

  private async runUnpaced(sink: SampleSink): Promise<void> {
    let sinceYield = 0;
    while (this.running) {
      const rows = Math.min(this.chunkRows, this.remaining());
      if (sink.room() < rows) {
        await sink.waitForRoom();
        sinceYield = 0;
        continue;
      }
      this.emit(sink, rows);
      // let the event loop breathe (status timers, worker messages) every few chunks
      if (++sinceYield >= 16) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}
