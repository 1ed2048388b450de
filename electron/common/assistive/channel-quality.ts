// A simple per-channel quality monitor for the assistive gate: over blocks of `blockSec` of raw
// rows, a channel is railed when any value lies within 1% of its declared physical range, flat when
// its sample-to-sample changes are below `flatUv` (RMS), noisy when their RMS is above `noisyUv`
// (differences remove electrode offsets and slow drift). No allocation per row; one summary per block.

import type { ChannelQuality, ChannelQualityState, QualitySummary } from './quality-gate.js';

export interface ChannelQualityOptions {
  readonly labels: readonly string[];
  /** Per channel: the largest |value| the board can report (µV); values within 1% of it are railed. */
  readonly rangeUv: readonly number[];
  /** Which channels to judge (others are always good): EEG channels. */
  readonly judged: readonly boolean[];
  readonly sampleRateHz: number;
  readonly blockSec?: number;
  readonly flatUv?: number;
  readonly noisyUv?: number;
}

export class ChannelQualityMeter {
  private readonly n: number;
  private readonly blockRows: number;
  private readonly sumSq: Float64Array;
  private readonly previous: Float64Array;
  private readonly railed: Uint8Array;
  private readonly railLimit: Float64Array;
  private rows = 0;
  private hasPrevious = false;
  private readonly flatUv: number;
  private readonly noisyUv: number;

  constructor(private readonly options: ChannelQualityOptions) {
    this.n = options.labels.length;
    this.blockRows = Math.max(2, Math.round((options.blockSec ?? 1) * options.sampleRateHz));
    this.sumSq = new Float64Array(this.n);
    this.previous = new Float64Array(this.n);
    this.railed = new Uint8Array(this.n);
    this.railLimit = Float64Array.from(options.rangeUv, (r) => (r > 0 ? 0.99 * r : Infinity));
    this.flatUv = options.flatUv ?? 0.05;
    this.noisyUv = options.noisyUv ?? 150;
  }

  /** Interleaved rows (rowCount × channels) starting at firstSampleIndex; calls onSummary at each block's end. */
  push(rows: ArrayLike<number>, rowCount: number, firstSampleIndex: number, onSummary: (summary: QualitySummary) => void): void {
    const n = this.n;
    for (let r = 0; r < rowCount; r++) {
      const base = r * n;
      for (let c = 0; c < n; c++) {
        const v = rows[base + c];
        if (Math.abs(v) >= this.railLimit[c] || !Number.isFinite(v)) this.railed[c] = 1;
        if (this.hasPrevious) {
          const d = v - this.previous[c];
          this.sumSq[c] += d * d;
        }
        this.previous[c] = v;
      }
      this.hasPrevious = true;
      if (++this.rows >= this.blockRows) onSummary(this.summarise(firstSampleIndex + r + 1));
    }
  }

  /** After a gap the differences would straddle it: start the block again. */
  reset(): void {
    this.rows = 0;
    this.hasPrevious = false;
    this.sumSq.fill(0);
    this.railed.fill(0);
  }

  private summarise(sampleIndex: number): QualitySummary {
    const channels: ChannelQuality[] = [];
    const diffs = Math.max(1, this.rows - 1);
    for (let c = 0; c < this.n; c++) {
      let state: ChannelQualityState = 'good';
      if (this.options.judged[c]) {
        // RMS of the differences / √2: the RMS of the white part of the signal
        const rms = Math.sqrt(this.sumSq[c] / diffs / 2);
        state = this.railed[c] ? 'railed' : rms < this.flatUv ? 'flat' : rms > this.noisyUv ? 'noisy' : 'good';
      }
      channels.push({ label: this.options.labels[c], state });
    }
    this.rows = 0;
    this.sumSq.fill(0);
    this.railed.fill(0);
    return { sampleIndex, channels };
  }
}
