// Channel quality flags for the display: a channel is "railed" when its raw value reaches the
// amplifier's full scale (a Cyton rails near ±187 500 µV: an electrode off, a saturated input),
// and "flat" when it barely moves (a powered-down or shorted input). Judged over blocks of half a
// second, from raw frames when the host sends them, else from filtered ones. Pure: no DOM.

export const QUALITY_OK = 0;
export const QUALITY_RAILED = 1;
export const QUALITY_FLAT = 2;
export type QualityFlag = typeof QUALITY_OK | typeof QUALITY_RAILED | typeof QUALITY_FLAT;

/** A value at or beyond this fraction of full scale counts as railed. */
export const RAILED_FRACTION = 0.95;
/** A block whose standard deviation is below this (µV) counts as flat. */
export const FLAT_STD_UV = 0.1;
/** Length of one judgement, in seconds. */
export const QUALITY_BLOCK_SEC = 0.5;

export class ChannelQuality {
  readonly channelCount: number;
  readonly blockSamples: number;
  /** Full scale per channel (the larger of |physicalMin| and |physicalMax|); 0 or Infinity: never railed. */
  private readonly railLimit: Float64Array;
  private readonly shift: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  private readonly maxAbs: Float64Array;
  private readonly current: Uint8Array;
  private count = 0;
  /** Incremented whenever a flag changes, so a view can cheaply poll for changes. */
  version = 0;

  constructor(channelCount: number, sampleRateHz: number, fullScale: ArrayLike<number>) {
    this.channelCount = channelCount;
    this.blockSamples = Math.max(2, Math.round(QUALITY_BLOCK_SEC * sampleRateHz));
    this.railLimit = new Float64Array(channelCount);
    for (let c = 0; c < channelCount; c++) {
      const f = Math.abs(fullScale[c] ?? 0);
      this.railLimit[c] = f > 0 && Number.isFinite(f) ? f * RAILED_FRACTION : Infinity;
    }
    this.shift = new Float64Array(channelCount);
    this.sum = new Float64Array(channelCount);
    this.sumSquares = new Float64Array(channelCount);
    this.maxAbs = new Float64Array(channelCount);
    this.current = new Uint8Array(channelCount);
  }

  /** The latest flag per channel (QUALITY_*). */
  get flags(): Uint8Array {
    return this.current;
  }

  flag(channel: number): QualityFlag {
    return this.current[channel] as QualityFlag;
  }

  reset(): void {
    this.count = 0;
    if (this.current.some((f) => f !== QUALITY_OK)) {
      this.current.fill(QUALITY_OK);
      this.version++;
    }
  }

  /** Adds interleaved rows; judges each channel at the end of every block. */
  push(samples: Float32Array | Float64Array, channelCount: number, sampleCount: number): void {
    if (channelCount !== this.channelCount) return;
    const C = channelCount;
    for (let r = 0, i = 0; r < sampleCount; r++) {
      if (this.count === 0) {
        // shift by the block's first value: the variance stays exact on a large DC offset
        for (let c = 0; c < C; c++) {
          const v = samples[i + c];
          this.shift[c] = Number.isFinite(v) ? v : 0;
          this.sum[c] = 0;
          this.sumSquares[c] = 0;
          this.maxAbs[c] = 0;
        }
      }
      for (let c = 0; c < C; c++, i++) {
        const v = samples[i];
        if (v !== v) continue;
        const d = v - this.shift[c];
        this.sum[c] += d;
        this.sumSquares[c] += d * d;
        const a = v < 0 ? -v : v;
        if (a > this.maxAbs[c]) this.maxAbs[c] = a;
      }
      if (++this.count === this.blockSamples) this.judge();
    }
  }

  private judge(): void {
    const n = this.count;
    let changed = false;
    for (let c = 0; c < this.channelCount; c++) {
      const mean = this.sum[c] / n;
      const variance = Math.max(0, this.sumSquares[c] / n - mean * mean);
      const flag = this.maxAbs[c] >= this.railLimit[c] ? QUALITY_RAILED : Math.sqrt(variance) < FLAT_STD_UV ? QUALITY_FLAT : QUALITY_OK;
      if (flag !== this.current[c]) {
        this.current[c] = flag;
        changed = true;
      }
    }
    this.count = 0;
    if (changed) this.version++;
  }
}
