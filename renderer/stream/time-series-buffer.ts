// The time-series display buffer: what the stacked EEG plot draws, kept outside React in
// preallocated typed arrays. Samples are folded into one min/max bucket per pixel column as they
// arrive (so 64 channels × 1000 Hz × 20 s costs the same to draw as 64 × 250 Hz × 5 s), with a
// slow per-channel baseline removed for display. `fill` lays the buckets out for uPlot in sweep
// mode (a cursor overwrites the oldest data, a blank gap ahead of it) or scroll mode (newest at the
// right), as two points per column, NaN where there is nothing to draw. Pure: no DOM.
//
// Bucket addressing: sample index s sits at window position p = s mod N (N samples per window) in
// bucket floor(p·B/N), and belongs to sweep floor(s/N). A bucket remembers the sweep of its
// samples, so stale columns (a previous sweep, a gap in the sample index) are recognised without
// clearing anything when the cursor moves.

export type SweepMode = 'sweep' | 'scroll';

export interface TimeSeriesLayout {
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly windowSec: number;
  /** Pixel columns available to the plot: the bucket count is min(columns, samples per window). */
  readonly columns: number;
}

/** Where `fill` writes: x (2 per bucket) and one y array per visible channel (2 per bucket). */
export interface TimeSeriesTarget {
  readonly ys: readonly Float64Array[];
}

/** Time constant of the display baseline (DC) remover: slower than any EEG of interest. */
export const DISPLAY_BASELINE_TAU_SEC = 2;
/** The blank gap ahead of the sweep cursor, as a fraction of the window. */
export const SWEEP_GAP_FRACTION = 0.02;

export class TimeSeriesBuffer {
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly windowSec: number;
  /** Samples per window (N). */
  readonly windowSamples: number;
  /** Buckets (columns) per window (B). */
  readonly bucketCount: number;
  /** Buckets left blank ahead of the sweep cursor. */
  readonly gapBuckets: number;
  /** Subtract a slow running mean per channel before bucketing (display only). */
  removeBaseline = true;

  /** Channel-major: channel c, bucket b at c·B + b. */
  private readonly minValues: Float32Array;
  private readonly maxValues: Float32Array;
  /** 1 when the bucket's min was reached after its max (so it is drawn second). */
  private readonly minLast: Uint8Array;
  /** The sweep each bucket's samples belong to (NaN: never written). */
  private readonly bucketSweep: Float64Array;
  private readonly baseline: Float64Array;
  private baselinePrimed = false;
  private readonly baselineAlpha: number;
  /** x of each point, per mode (constant for a layout). */
  readonly sweepX: Float64Array;
  readonly scrollX: Float64Array;
  /** Scratch: which buckets are drawn in the current fill. */
  private readonly valid: Uint8Array;
  /** The index after the newest sample pushed (0 before any). */
  private next = 0;
  private hasData = false;

  constructor(layout: TimeSeriesLayout) {
    const { channelCount, sampleRateHz, windowSec, columns } = layout;
    if (!Number.isInteger(channelCount) || channelCount < 1) throw new RangeError(`channel count must be a positive integer, got ${channelCount}`);
    if (!(sampleRateHz > 0) || !(windowSec > 0)) throw new RangeError('sample rate and window must be positive');
    this.channelCount = channelCount;
    this.sampleRateHz = sampleRateHz;
    this.windowSec = windowSec;
    this.windowSamples = Math.max(2, Math.round(windowSec * sampleRateHz));
    this.bucketCount = Math.max(2, Math.min(Math.floor(columns), this.windowSamples));
    this.gapBuckets = Math.max(1, Math.round(this.bucketCount * SWEEP_GAP_FRACTION));
    const cells = channelCount * this.bucketCount;
    this.minValues = new Float32Array(cells);
    this.maxValues = new Float32Array(cells);
    this.minLast = new Uint8Array(cells);
    this.bucketSweep = new Float64Array(this.bucketCount).fill(NaN);
    this.baseline = new Float64Array(channelCount);
    this.baselineAlpha = 1 - Math.exp(-1 / (DISPLAY_BASELINE_TAU_SEC * sampleRateHz));
    this.valid = new Uint8Array(this.bucketCount);
    const B = this.bucketCount;
    const bucketSec = windowSec / B;
    this.sweepX = new Float64Array(2 * B);
    this.scrollX = new Float64Array(2 * B);
    for (let b = 0; b < B; b++) {
      const xs = (b + 0.5) * bucketSec;
      this.sweepX[2 * b] = this.sweepX[2 * b + 1] = xs;
      const xr = -windowSec + (b + 1) * bucketSec;
      this.scrollX[2 * b] = this.scrollX[2 * b + 1] = xr;
    }
  }

  /** The index after the newest sample (what the cursor points at). */
  get nextSampleIndex(): number {
    return this.next;
  }

  get empty(): boolean {
    return !this.hasData;
  }

  /**
   * Restarts the display baseline at the next sample: after a filter change the signal's offset
   * jumps (a new high-pass removes thousands of µV of electrode offset at once), and a slow
   * baseline would keep the traces clipped for seconds.
   */
  rebaseline(): void {
    this.baselinePrimed = false;
  }

  /** Forgets every sample (a new session, a rewind of the sample index). */
  clear(): void {
    this.bucketSweep.fill(NaN);
    this.baselinePrimed = false;
    this.next = 0;
    this.hasData = false;
  }

  /**
   * Adds sampleCount interleaved rows (row r, channel c at r·channelCount + c) whose first row has
   * sample index firstSampleIndex. A jump forward leaves a gap; a jump back starts over.
   */
  push(samples: Float32Array | Float64Array, channelCount: number, sampleCount: number, firstSampleIndex: number): void {
    if (channelCount !== this.channelCount || sampleCount <= 0) return;
    if (this.hasData && firstSampleIndex < this.next) this.clear();
    else if (this.hasData && firstSampleIndex - this.next > this.sampleRateHz) this.baselinePrimed = false;
    const N = this.windowSamples;
    const B = this.bucketCount;
    const C = channelCount;
    const minV = this.minValues;
    const maxV = this.maxValues;
    const minLast = this.minLast;
    const base = this.baseline;
    const alpha = this.baselineAlpha;
    const removeBaseline = this.removeBaseline;
    if (!this.baselinePrimed) {
      for (let c = 0; c < C; c++) base[c] = finiteOr(samples[c], 0);
      this.baselinePrimed = true;
    }
    let s = firstSampleIndex;
    let sweep = Math.floor(s / N);
    let p = s - sweep * N;
    for (let r = 0, i = 0; r < sampleCount; r++, s++) {
      const b = Math.floor((p * B) / N);
      if (this.bucketSweep[b] !== sweep) {
        this.bucketSweep[b] = sweep;
        for (let c = 0, k = b; c < C; c++, k += B) {
          minV[k] = Infinity;
          maxV[k] = -Infinity;
          minLast[k] = 0;
        }
      }
      for (let c = 0, k = b; c < C; c++, k += B, i++) {
        const raw = samples[i];
        if (raw !== raw) continue; // NaN: nothing to draw
        let v = raw;
        if (removeBaseline) {
          const m = base[c] + alpha * (raw - base[c]);
          base[c] = m;
          v = raw - m;
        }
        if (v < minV[k]) {
          minV[k] = v;
          minLast[k] = 1;
        }
        if (v > maxV[k]) {
          maxV[k] = v;
          minLast[k] = 0;
        }
      }
      if (++p === N) {
        p = 0;
        sweep++;
      }
    }
    this.next = firstSampleIndex + sampleCount;
    this.hasData = true;
  }

  /**
   * The same window with a different column count (the plot was resized), keeping what is on
   * screen: each new column takes the min and max of the old columns it covers (those of the
   * newest sweep among them). Growing repeats old columns until new samples replace them.
   */
  withColumns(columns: number): TimeSeriesBuffer {
    const out = new TimeSeriesBuffer({ channelCount: this.channelCount, sampleRateHz: this.sampleRateHz, windowSec: this.windowSec, columns });
    out.removeBaseline = this.removeBaseline;
    out.baseline.set(this.baseline);
    out.baselinePrimed = this.baselinePrimed;
    out.next = this.next;
    out.hasData = this.hasData;
    if (!this.hasData) return out;
    const N = this.windowSamples;
    const B = this.bucketCount;
    const B2 = out.bucketCount;
    for (let b2 = 0; b2 < B2; b2++) {
      // window positions p with floor(p·B2/N) = b2, and the old buckets holding them
      const p0 = Math.ceil((b2 * N) / B2);
      const p1 = Math.ceil(((b2 + 1) * N) / B2) - 1;
      if (p1 < p0) continue;
      const o0 = Math.floor((p0 * B) / N);
      const o1 = Math.floor((p1 * B) / N);
      let sweep = NaN;
      for (let o = o0; o <= o1; o++) {
        const w = this.bucketSweep[o];
        if (w === w && !(w <= sweep)) sweep = w;
      }
      if (sweep !== sweep) continue;
      out.bucketSweep[b2] = sweep;
      for (let c = 0; c < this.channelCount; c++) {
        let mn = Infinity;
        let mx = -Infinity;
        let minAt = -1;
        let maxAt = -1;
        let lastFlag = 0;
        for (let o = o0; o <= o1; o++) {
          if (this.bucketSweep[o] !== sweep) continue;
          const cell = c * B + o;
          if (this.minValues[cell] < mn) {
            mn = this.minValues[cell];
            minAt = o;
          }
          if (this.maxValues[cell] > mx) {
            mx = this.maxValues[cell];
            maxAt = o;
          }
          lastFlag = this.minLast[cell];
        }
        const k = c * B2 + b2;
        out.minValues[k] = mn;
        out.maxValues[k] = mx;
        out.minLast[k] = minAt > maxAt ? 1 : minAt < maxAt ? 0 : lastFlag;
      }
    }
    return out;
  }

  /** x values of the points for a mode (constant for this buffer). */
  xValues(mode: SweepMode): Float64Array {
    return mode === 'sweep' ? this.sweepX : this.scrollX;
  }

  /** The sweep cursor's position in seconds from the left edge (sweep mode). */
  sweepCursorSec(): number {
    return ((this.next % this.windowSamples) / this.windowSamples) * this.windowSec;
  }

  /**
   * Writes the visible channels into target.ys (stacked top to bottom: the k-th listed channel is
   * centred at n − k − 0.5 on a 0..n axis), each value as centre + value·gain[channel], clamped to
   * ±clip around the centre. Buckets with nothing to draw become NaN (a gap).
   */
  fill(target: TimeSeriesTarget, channels: ArrayLike<number>, gain: ArrayLike<number>, mode: SweepMode, clip = 1): void {
    const B = this.bucketCount;
    const valid = this.valid;
    this.markValid(mode);
    const n = channels.length;
    // In scroll mode bucket b is drawn at column j = (b − newest − 1) mod B.
    const newest = this.newestBucket();
    const shift = mode === 'scroll' ? B - newest - 1 : 0;
    for (let k = 0; k < n; k++) {
      const c = channels[k];
      const out = target.ys[k];
      const centre = n - k - 0.5;
      const g = gain[c];
      const lo = centre - clip;
      const hi = centre + clip;
      const offset = c * B;
      for (let b = 0; b < B; b++) {
        let j = b + shift;
        if (j >= B) j -= B;
        const o = 2 * j;
        if (!valid[b]) {
          out[o] = NaN;
          out[o + 1] = NaN;
          continue;
        }
        const cell = offset + b;
        const mn = this.minValues[cell];
        if (mn === Infinity) {
          out[o] = NaN;
          out[o + 1] = NaN;
          continue;
        }
        let a = centre + mn * g;
        let z = centre + this.maxValues[cell] * g;
        if (a < lo) a = lo;
        else if (a > hi) a = hi;
        if (z < lo) z = lo;
        else if (z > hi) z = hi;
        if (this.minLast[cell]) {
          out[o] = z;
          out[o + 1] = a;
        } else {
          out[o] = a;
          out[o + 1] = z;
        }
      }
    }
  }

  /**
   * The x of a sample (a marker) on the plot, or null when it is not on screen: older than the
   * window, newer than the data, or (sweep mode) inside the blank gap ahead of the cursor.
   */
  sampleX(sampleIndex: number, mode: SweepMode): number | null {
    if (!this.hasData) return null;
    const newest = this.next - 1;
    if (sampleIndex > newest || sampleIndex <= newest - this.windowSamples) return null;
    if (mode === 'scroll') return ((sampleIndex - newest) / this.windowSamples) * this.windowSec;
    const N = this.windowSamples;
    const B = this.bucketCount;
    const p = sampleIndex % N;
    const bucket = Math.floor((p * B) / N);
    const newestBucket = this.newestBucket();
    const ahead = (bucket - newestBucket + B) % B;
    const sameSweep = Math.floor(sampleIndex / N) === Math.floor(newest / N);
    // blank gap ahead of the cursor, or the cursor's own column already overwritten
    if ((ahead >= 1 && ahead <= this.gapBuckets) || (ahead === 0 && !sameSweep)) return null;
    return (p / N) * this.windowSec;
  }

  /**
   * A robust peak-to-peak of a channel over what is on screen (2nd percentile of the bucket minima
   * to the 98th of the maxima), in the channel's unit; NaN when nothing is shown. Allocates: call
   * it on user request, not per frame.
   */
  peakToPeak(channel: number): number {
    this.markValid('scroll');
    const B = this.bucketCount;
    const mins: number[] = [];
    const maxs: number[] = [];
    for (let b = 0; b < B; b++) {
      if (!this.valid[b]) continue;
      const cell = channel * B + b;
      if (this.minValues[cell] === Infinity) continue;
      mins.push(this.minValues[cell]);
      maxs.push(this.maxValues[cell]);
    }
    if (mins.length === 0) return NaN;
    mins.sort((x, y) => x - y);
    maxs.sort((x, y) => x - y);
    const lo = mins[Math.floor(0.02 * (mins.length - 1))];
    const hi = maxs[Math.ceil(0.98 * (maxs.length - 1))];
    return hi - lo;
  }

  private newestBucket(): number {
    const N = this.windowSamples;
    const last = Math.max(0, this.next - 1);
    return Math.floor(((last % N) * this.bucketCount) / N);
  }

  /** Which buckets hold data of the window ending at the newest sample (minus the sweep gap). */
  private markValid(mode: SweepMode): void {
    const valid = this.valid;
    const B = this.bucketCount;
    if (!this.hasData) {
      valid.fill(0);
      return;
    }
    const N = this.windowSamples;
    const last = this.next - 1;
    const sweep = Math.floor(last / N);
    const newest = this.newestBucket();
    const gap = mode === 'sweep' ? this.gapBuckets : 0;
    for (let b = 0; b < B; b++) {
      const w = this.bucketSweep[b];
      valid[b] = (w === sweep && b <= newest) || (w === sweep - 1 && b > newest + gap) ? 1 : 0;
    }
  }
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
