// A BrainFlow board: any board BrainFlow's board controller drives (its synthetic board, its
// playback board, OpenBCI, Muse, Unicorn …), through native/brainflow.ts. One class for all of
// them: the board's BrainFlow id, its input parameters and its description decide the rest.
//
//   prepare   prepare_session (a koffi async call: it may take seconds); a failure releases the
//             session before it throws, so a second connect starts clean
//   start     start_stream, then a poll every POLL_MS: get_board_data_count, get_board_data (async)
//             into a scratch matrix, then each sample becomes one row of the descriptor's channels
//   gaps      the package counter row (where the board has one): a jump is lost rows, reported
//             before the row after it (as the Cyton driver does)
//   clock     BrainFlow's timestamp row (host time when BrainFlow read the packet, Unix seconds)
//             is the arrival time the clock model learns from, not the poll's time
//   markers   insert_marker puts a value in the marker row of the next sample BrainFlow reads.
//             The workstation's markers go in (insertMarker) and come back without a second
//             event; a value the workstation did not put there becomes a board marker.
//   stop/release  stop_stream / release_session (async), after the last poll drained what was read

import { EngineError } from '../../common/contract/failure.js';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import {
  brainflowErrorSentence,
  brainflowFailureKind,
  lostPackages,
  type BrainflowCallContext,
  type BrainflowRowMap,
} from '../../common/boards/brainflow-boards.js';
import { inputParamsJson, type BrainflowInputParams, type BrainflowLibrary } from '../../../native/brainflow.js';
import type { BoardDriver, SampleSink } from './driver.js';

/** How often the driver reads BrainFlow's buffer. */
export const BRAINFLOW_POLL_MS = 10;
/** BrainFlow's ring buffer, in samples (start_stream's buffer_size; BrainFlow's default is 450 000). */
const BRAINFLOW_BUFFER_SAMPLES = 450_000;
/** Most samples read in one call (the scratch matrix's size). */
const MAX_READ_ROWS = 4096;

export interface BrainflowDriverOptions {
  readonly library: BrainflowLibrary;
  /** BrainFlow's board id (-1 synthetic, -3 playback, 0 Cyton …). */
  readonly boardId: number;
  readonly descriptor: BoardDescriptor;
  readonly map: BrainflowRowMap;
  readonly params: Partial<BrainflowInputParams>;
  /** Resolves `auto` and checks what BrainFlow cannot say well (a serial port), before prepare. */
  readonly beforePrepare?: (params: Partial<BrainflowInputParams>) => Promise<Partial<BrainflowInputParams>>;
}

export class BrainflowDriver implements BoardDriver {
  readonly descriptor: BoardDescriptor;
  private readonly library: BrainflowLibrary;
  private readonly boardId: number;
  private readonly map: BrainflowRowMap;
  private params: Partial<BrainflowInputParams>;
  private json: string;
  private prepared = false;
  private streaming = false;
  private sink: SampleSink | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling: Promise<void> | undefined;
  private readonly countOut = new Int32Array(1);
  private readonly matrix: Float64Array;
  private readonly rowsOut: Float64Array;
  private previousPackage: number | undefined;
  private counterWraps = true;
  /** Sample index of the next row (rows pushed plus rows reported lost). */
  private nextIndex = 0;
  private readonly markerCodes = new Map<string, number>();
  private readonly markerLabels = new Map<number, string>();
  /** Values this driver inserted that have not come back yet, oldest first. */
  private readonly pendingMarkers: number[] = [];
  private readonly stats = { polls: 0, rowsRead: 0, lostRows: 0, readMs: 0 };
  /** The last read failure reported (not repeated every poll). */
  private lastError: string | undefined;

  constructor(private readonly options: BrainflowDriverOptions) {
    this.library = options.library;
    this.boardId = options.boardId;
    this.descriptor = options.descriptor;
    this.map = options.map;
    this.params = options.params;
    this.json = inputParamsJson(this.params);
    this.matrix = new Float64Array(this.map.numRows * MAX_READ_ROWS);
    this.rowsOut = new Float64Array(this.descriptor.channels.length * MAX_READ_ROWS);
  }

  /** Reads, rows and losses so far (for the benchmark and tests). */
  get counters(): { readonly polls: number; readonly rowsRead: number; readonly lostRows: number; readonly readMs: number } {
    return { ...this.stats };
  }

  private context(action: string): BrainflowCallContext {
    return { action, boardName: this.descriptor.name, serialPort: this.params.serial_port || undefined, file: this.params.file || undefined };
  }

  private fail(code: number, action: string): EngineError {
    return new EngineError(brainflowFailureKind(code), brainflowErrorSentence(code, this.context(action)));
  }

  async prepare(): Promise<void> {
    if (this.prepared) return;
    if (this.options.beforePrepare) {
      this.params = await this.options.beforePrepare(this.params);
      this.json = inputParamsJson(this.params);
    }
    const code = await this.library.prepare(this.boardId, this.json);
    if (code !== 0) {
      // BrainFlow may keep a half-made board object after a failed prepare: release it, so that the next connect starts clean
      await this.library.release(this.boardId, this.json).catch(() => undefined);
      throw this.fail(code, 'prepare');
    }
    this.prepared = true;
  }

  async start(sink: SampleSink): Promise<void> {
    if (this.streaming) return;
    if (!this.prepared) throw new EngineError('state', `${this.descriptor.name} is not prepared: connect first`);
    const code = await this.library.start(this.boardId, this.json, BRAINFLOW_BUFFER_SAMPLES);
    if (code !== 0) throw this.fail(code, 'start');
    this.sink = sink;
    this.streaming = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    if (!this.streaming) return;
    this.streaming = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    const code = await this.library.stop(this.boardId, this.json);
    // what arrived before the stop still goes in
    await this.poll();
    if (code !== 0 && code !== 11) throw this.fail(code, 'stop');
  }

  async release(): Promise<void> {
    await this.stop().catch(() => undefined);
    if (!this.prepared) return;
    this.prepared = false;
    const code = await this.library.release(this.boardId, this.json);
    if (code !== 0 && code !== 15) throw this.fail(code, 'release');
  }

  async configure(command: string): Promise<string> {
    if (!this.prepared) throw new EngineError('state', `${this.descriptor.name} is not connected`);
    const { code, reply } = this.library.config(this.boardId, this.json, command);
    if (code !== 0) throw this.fail(code, 'configure');
    return reply;
  }

  /**
   * A workstation marker into BrainFlow (insert_marker): a numeric label goes as its number, any
   * other label as a code of its own (1, 2, 3 … per distinct label, past the numbers used).
   */
  insertMarker(label: string): void {
    if (!this.streaming) return;
    const value = this.codeOf(label);
    const code = this.library.insertMarker(this.boardId, this.json, value);
    if (code !== 0) throw this.fail(code, 'insert a marker');
    this.pendingMarkers.push(value);
  }

  private codeOf(label: string): number {
    const known = this.markerCodes.get(label);
    if (known !== undefined) return known;
    const numeric = Number(label);
    let value: number;
    if (label.trim() !== '' && Number.isFinite(numeric) && numeric !== 0) value = numeric;
    else {
      value = 1;
      while (this.markerLabels.has(value)) value++;
    }
    this.markerCodes.set(label, value);
    this.markerLabels.set(value, label);
    return value;
  }

  private schedule(): void {
    if (!this.streaming) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll()
        .catch((error: unknown) => {
          // said once, not every poll, until another failure (or a read that works) comes
          const message = error instanceof Error ? error.message : String(error);
          if (message !== this.lastError) this.sink?.reportError(message);
          this.lastError = message;
        })
        .finally(() => {
          this.polling = undefined;
          this.schedule();
        });
    }, BRAINFLOW_POLL_MS);
  }

  /** Reads everything BrainFlow holds now, in chunks of at most MAX_READ_ROWS. */
  private async poll(): Promise<void> {
    const sink = this.sink;
    if (!sink || !this.prepared) return;
    for (;;) {
      const code = this.library.count(this.boardId, this.json, this.countOut);
      if (code !== 0) throw this.fail(code, 'read');
      const available = Math.min(this.countOut[0], MAX_READ_ROWS);
      if (available <= 0) return;
      const t0 = performance.now();
      const readCode = await this.library.data(this.boardId, this.json, available, this.matrix);
      if (readCode !== 0) throw this.fail(readCode, 'read');
      this.stats.readMs += performance.now() - t0;
      this.lastError = undefined;
      this.stats.polls++;
      this.stats.rowsRead += available;
      this.deliver(sink, available);
      if (available < MAX_READ_ROWS) return;
    }
  }

  /** BrainFlow's matrix (numRows × n, row-major) → interleaved rows, with gaps and markers. */
  private deliver(sink: SampleSink, n: number): void {
    const { rows, packageRow, markerRow } = this.map;
    const channels = rows.length;
    const m = this.matrix;
    const out = this.rowsOut;
    let start = 0; // first sample of the run not pushed yet
    for (let s = 0; s < n; s++) {
      if (packageRow !== undefined) {
        const counter = m[packageRow * n + s];
        if (counter > 255) this.counterWraps = false;
        if (this.previousPackage !== undefined) {
          const lost = lostPackages(this.previousPackage, counter, this.counterWraps);
          if (lost > 0) {
            this.push(sink, start, s, n);
            start = s;
            sink.reportGap(lost);
            this.nextIndex += lost;
            this.stats.lostRows += lost;
          }
        }
        this.previousPackage = counter;
      }
      if (markerRow !== undefined) {
        const value = m[markerRow * n + s];
        if (value !== 0) this.marker(sink, this.nextIndex + (s - start), value);
      }
      const base = s * channels;
      for (let c = 0; c < channels; c++) out[base + c] = m[rows[c] * n + s];
    }
    this.push(sink, start, n, n);
  }

  private push(sink: SampleSink, from: number, to: number, n: number): void {
    const count = to - from;
    if (count <= 0) return;
    const channels = this.map.rows.length;
    const rows = from === 0 ? this.rowsOut : this.rowsOut.subarray(from * channels, to * channels);
    const timestampRow = this.map.timestampRow;
    // BrainFlow stamps with the wall clock (Unix seconds); the engine's clock is performance.timeOrigin + now()
    const wallToHostMs = performance.timeOrigin + performance.now() - Date.now();
    const lastArrivalMs = timestampRow !== undefined ? this.matrix[timestampRow * n + to - 1] * 1000 + wallToHostMs : undefined;
    sink.pushRows(rows, count, lastArrivalMs !== undefined && Number.isFinite(lastArrivalMs) && lastArrivalMs > 0 ? lastArrivalMs : undefined);
    this.nextIndex += count;
  }

  private marker(sink: SampleSink, sampleIndex: number, value: number): void {
    const pending = this.pendingMarkers.indexOf(value);
    if (pending >= 0) {
      // the workstation's own marker, recorded when it was added
      this.pendingMarkers.splice(pending, 1);
      return;
    }
    sink.pushMarker({ sampleIndex, label: this.markerLabels.get(value) ?? String(value) });
  }
}
