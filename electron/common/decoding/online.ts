// The online decoder stage, as the pipeline worker runs it: the model's channels picked from the
// stream's rows, the model's own filters (the causal pipeline it was trained behind, with its own
// state, independent of the display filters), a sliding window of the model's length, a prediction
// every `stepRows`, optional smoothing. Everything is a function of sample indices: a prediction is
// made for the window ending at sample index s exactly when (s + 1) is a multiple of stepRows and
// the window holds windowRows contiguous rows (a jump in the sample index, a gap, empties it). So
// replaying a file at any speed, in any chunking, gives the same predictions, bit for bit.
// Nothing is allocated per row or per prediction; buffers are sized once from maxBlockRows.
//
// An asynchronous decoder (AsyncDecoder: the ONNX runner) cannot answer inside `process`: there its
// windows are copied into a queue sized once like the outputs, and `settle()` runs them in order and
// then smooths and publishes them exactly as `process` does for a synchronous decoder. The caller
// awaits settle() before the next `process` (the pipeline worker does). A window holding non-finite
// samples is recognised when it is taken (not from the model's answer), so the model's filters
// restart at the same row whichever kind of decoder runs.

import { isAsyncDecoder, type AsyncDecoder, type Decoder } from './decoder.js';
import type { Smoothing } from '../contract/decoding.js';
import type { PipelineDescription } from '../contract/pipeline.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { createBlock, type Block } from '../pipeline/block.js';
import { argmax } from './metrics.js';

export interface OnlineDecoderOptions {
  readonly decoder: Decoder | AsyncDecoder;
  /** The model's filters, run on the model's channels in the model's order. */
  readonly filters: PipelineDescription;
  readonly sampleRateHz: number;
  /** For each of the decoder's channels, its index in the stream's rows. */
  readonly channelIndices: readonly number[];
  readonly streamChannelCount: number;
  /**
   * Each stream channel's type (default: all 'eeg'): the model's filters without a channel list
   * apply to its ExG channels only, as they did when it was trained (engine/decoding/recordings.ts).
   */
  readonly streamChannelTypes?: readonly string[];
  /** Rows between predictions (≥ 1). */
  readonly stepRows: number;
  readonly smoothing: Smoothing;
  /** The largest number of rows one `process` call is given at once (larger calls are split). */
  readonly maxBlockRows: number;
}

export class OnlineDecoder {
  readonly classCount: number;
  readonly windowRows: number;
  readonly stepRows: number;
  /** Predictions made by the last `process` call. */
  count = 0;
  /** Per prediction of the last call: its probabilities (count × classCount, after smoothing). */
  readonly probabilities: Float64Array;
  /** Per prediction of the last call: the sample index of its window's last row. */
  readonly sampleIndices: Float64Array;
  /** Per prediction of the last call: the row (within that call's rows) of its window's last row. */
  readonly rows: Int32Array;

  private readonly decoder: Decoder | null;
  private readonly asyncDecoder: AsyncDecoder | null;
  /** Asynchronous decoders: windows taken and not yet settled (count, windows, their sample index and row, smoothing restarts). */
  private pendingCount = 0;
  private readonly pendingWindows: Float64Array;
  private readonly pendingSampleIndices: Float64Array;
  private readonly pendingRows: Int32Array;
  private readonly pendingRestarts: Uint8Array;
  private restartBeforeNext = false;
  private readonly channels: Int32Array;
  private readonly streamChannels: number;
  private readonly pipeline: Pipeline;
  private readonly block: Block;
  private readonly history: Float64Array;
  private readonly window: Float64Array;
  private readonly raw: Float64Array;
  private readonly smoothing: Smoothing;
  private readonly smoothed: Float64Array;
  private readonly alpha: number;
  private readonly votes: Int32Array;
  private readonly voteCounts: Int32Array;
  private voteFill = 0;
  private votePosition = 0;
  private primed = false;
  /** Where the next row goes in the history (the oldest row once it is full). */
  private position = 0;
  private filled = 0;
  private expectedSampleIndex = -1;

  constructor(options: OnlineDecoderOptions) {
    const { decoder, channelIndices, stepRows, maxBlockRows } = options;
    if (channelIndices.length !== decoder.channelCount) throw new RangeError(`the decoder takes ${decoder.channelCount} channels, ${channelIndices.length} were mapped`);
    for (const c of channelIndices) if (!(Number.isInteger(c) && c >= 0 && c < options.streamChannelCount)) throw new RangeError(`channel index ${c} is not a channel of the stream (0..${options.streamChannelCount - 1})`);
    if (!Number.isInteger(stepRows) || stepRows < 1) throw new RangeError(`the step must be a whole number of rows ≥ 1, got ${stepRows}`);
    if (!Number.isInteger(maxBlockRows) || maxBlockRows < 1) throw new RangeError(`maxBlockRows must be ≥ 1, got ${maxBlockRows}`);
    this.decoder = isAsyncDecoder(decoder) ? null : decoder;
    this.asyncDecoder = isAsyncDecoder(decoder) ? decoder : null;
    this.classCount = decoder.classes.length;
    this.windowRows = decoder.rowCount;
    this.stepRows = stepRows;
    this.channels = Int32Array.from(channelIndices);
    this.streamChannels = options.streamChannelCount;
    const channelCount = channelIndices.length;
    if (options.streamChannelTypes && options.streamChannelTypes.length !== options.streamChannelCount) throw new RangeError(`${options.streamChannelTypes.length} channel types were given for a stream of ${options.streamChannelCount} channels`);
    const channelTypes = channelIndices.map((c) => options.streamChannelTypes?.[c] ?? 'eeg');
    this.pipeline = new Pipeline(options.filters, { sampleRateHz: options.sampleRateHz, channelCount, channelTypes, maxBlockRows });
    this.block = createBlock(channelCount, maxBlockRows);
    this.history = new Float64Array(channelCount * this.windowRows);
    this.window = new Float64Array(channelCount * this.windowRows);
    this.raw = new Float64Array(this.classCount);
    const capacity = Math.floor(maxBlockRows / stepRows) + 1;
    this.probabilities = new Float64Array(capacity * this.classCount);
    this.sampleIndices = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
    const queue = this.asyncDecoder ? capacity : 0;
    this.pendingWindows = new Float64Array(queue * channelCount * this.windowRows);
    this.pendingSampleIndices = new Float64Array(queue);
    this.pendingRows = new Int32Array(queue);
    this.pendingRestarts = new Uint8Array(queue);
    this.smoothing = options.smoothing;
    this.smoothed = new Float64Array(this.classCount);
    this.alpha = options.smoothing.kind === 'exponential' ? 1 - Math.exp(-stepRows / options.sampleRateHz / options.smoothing.timeConstantSec) : 1;
    this.votes = new Int32Array(options.smoothing.kind === 'majority' ? options.smoothing.count : 1);
    this.voteCounts = new Int32Array(this.classCount);
  }

  /**
   * Takes the next rows of the stream (interleaved, all its channels; at most maxBlockRows) starting
   * at `firstSampleIndex` and returns how many predictions they completed (in probabilities /
   * sampleIndices / rows). A jump in the sample index restarts the window.
   */
  process(rows: Float64Array, rowCount: number, firstSampleIndex: number): number {
    if (rowCount > this.block.stride) throw new RangeError(`the online decoder takes at most ${this.block.stride} rows at once, got ${rowCount}`);
    if (this.pendingCount > 0) throw new Error('the online decoder still has windows to settle: await settle() before the next rows');
    this.count = 0;
    if (firstSampleIndex !== this.expectedSampleIndex) this.restartWindow();
    this.processRows(rows, rowCount, firstSampleIndex);
    this.expectedSampleIndex = firstSampleIndex + rowCount;
    return this.count;
  }

  /** Windows that gave no prediction because their probabilities were not finite (NaN input). */
  skipped = 0;

  /** Windows of an asynchronous decoder waiting for settle(). */
  get pending(): number {
    return this.pendingCount;
  }

  /** Forgets the window and the smoothing (the filters keep their state). */
  restartWindow(): void {
    this.filled = 0;
    this.position = 0;
    // an asynchronous decoder's queued windows are smoothed before this restart takes effect
    if (this.asyncDecoder && this.pendingCount > 0) this.restartBeforeNext = true;
    else this.restartSmoothing();
  }

  private restartSmoothing(): void {
    this.primed = false;
    this.voteFill = 0;
    this.votePosition = 0;
    this.voteCounts.fill(0);
  }

  /**
   * Runs an asynchronous decoder on the windows the last `process` took, in order, and returns how
   * many predictions they made (in probabilities / sampleIndices / rows, as `process` does for a
   * synchronous decoder). A synchronous decoder has nothing to settle (0).
   */
  async settle(): Promise<number> {
    const decoder = this.asyncDecoder;
    this.count = 0;
    if (!decoder) return 0;
    const n = this.pendingCount;
    const size = this.channels.length * this.windowRows;
    try {
      for (let i = 0; i < n; i++) {
        await decoder.predictProbaAsync(this.pendingWindows.subarray(i * size, (i + 1) * size), this.raw);
        if (this.pendingRestarts[i]) this.restartSmoothing();
        if (!this.rawIsFinite()) {
          this.skipped++;
          continue;
        }
        this.publish(this.pendingSampleIndices[i], this.pendingRows[i]);
      }
    } finally {
      this.pendingCount = 0;
    }
    if (this.restartBeforeNext) {
      this.restartBeforeNext = false;
      this.restartSmoothing();
    }
    return this.count;
  }

  private rawIsFinite(): boolean {
    const raw = this.raw;
    for (let k = 0; k < raw.length; k++) if (!Number.isFinite(raw[k])) return false;
    return true;
  }

  private processRows(rows: Float64Array, n: number, firstSampleIndex: number): void {
    const block = this.block;
    const channels = this.channels;
    const width = this.streamChannels;
    const stride = block.stride;
    const data = block.data;
    for (let c = 0; c < channels.length; c++) {
      const base = c * stride;
      for (let r = 0, i = channels[c]; r < n; r++, i += width) data[base + r] = rows[i];
    }
    block.rowCount = n;
    this.pipeline.process(block);
    const W = this.windowRows;
    const history = this.history;
    const step = this.stepRows;
    for (let r = 0; r < n; r++) {
      const at = this.position;
      for (let c = 0; c < channels.length; c++) history[c * W + at] = data[c * stride + r];
      this.position = at + 1 === W ? 0 : at + 1;
      if (this.filled < W) this.filled++;
      const sampleIndex = firstSampleIndex + r;
      if (this.filled === W && (sampleIndex + 1) % step === 0) this.predict(sampleIndex, r);
    }
  }

  private predict(sampleIndex: number, row: number): void {
    const W = this.windowRows;
    const channelCount = this.channels.length;
    const history = this.history;
    const window = this.window;
    const oldest = this.position;
    for (let c = 0; c < channelCount; c++) {
      const base = c * W;
      let k = 0;
      for (let j = oldest; j < W; j++, k++) window[base + k] = history[base + j];
      for (let j = 0; j < oldest; j++, k++) window[base + k] = history[base + j];
    }
    // a window that held non-finite samples (a NaN-padded gap in a file, a broken channel) gives no
    // prediction rather than a wrong one: the model's filters and the window start again from here
    if (this.decoder) {
      this.decoder.predictProba(window, this.raw);
      if (!this.rawIsFinite()) {
        this.skipped++;
        this.pipeline.reset();
        this.restartWindow();
        return;
      }
      this.publish(sampleIndex, row);
      return;
    }
    for (let i = 0; i < window.length; i++) {
      if (!Number.isFinite(window[i])) {
        this.skipped++;
        this.pipeline.reset();
        this.restartWindow();
        return;
      }
    }
    const at = this.pendingCount++;
    this.pendingWindows.set(window, at * window.length);
    this.pendingSampleIndices[at] = sampleIndex;
    this.pendingRows[at] = row;
    this.pendingRestarts[at] = this.restartBeforeNext ? 1 : 0;
    this.restartBeforeNext = false;
  }

  /** Smooths the probabilities in `raw` and appends them as the prediction for `sampleIndex`. */
  private publish(sampleIndex: number, row: number): void {
    const raw = this.raw;
    const K = this.classCount;
    const out = this.probabilities;
    const at = this.count * K;
    switch (this.smoothing.kind) {
      case 'none':
        for (let k = 0; k < K; k++) out[at + k] = raw[k];
        break;
      case 'exponential': {
        const s = this.smoothed;
        if (!this.primed) {
          for (let k = 0; k < K; k++) s[k] = raw[k];
          this.primed = true;
        } else {
          const a = this.alpha;
          for (let k = 0; k < K; k++) s[k] = a * raw[k] + (1 - a) * s[k];
        }
        for (let k = 0; k < K; k++) out[at + k] = s[k];
        break;
      }
      case 'majority': {
        const votes = this.votes;
        const counts = this.voteCounts;
        const N = votes.length;
        const vote = argmax(raw);
        if (this.voteFill === N) counts[votes[this.votePosition]]--;
        else this.voteFill++;
        votes[this.votePosition] = vote;
        counts[vote]++;
        this.votePosition = this.votePosition + 1 === N ? 0 : this.votePosition + 1;
        for (let k = 0; k < K; k++) out[at + k] = counts[k] / this.voteFill;
        break;
      }
    }
    this.sampleIndices[this.count] = sampleIndex;
    this.rows[this.count] = row;
    this.count++;
  }
}
