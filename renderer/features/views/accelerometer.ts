// The accelerometer view's numbers, without DOM: which channels of the board are accelerometer axes
// (descriptor type 'accel', unit g), the last few seconds of each axis in a ring of typed arrays
// laid out oldest-first for uPlot, the current reading, and the y range. The panel feeds it the RAW
// frames (the display filters would take gravity, the accelerometer's DC, out) and draws from it
// once per animation frame; nothing here allocates per sample or per frame once the window is full.
//
// Held values. The Cyton reads its accelerometer at about 25 Hz and sends a reading in one packet
// of ten: the other packets carry zeros on all three axes, meaning "no new reading". The Cyton
// driver (common/boards/cyton-protocol.ts) already holds the last reading in every row, and so does
// the OpenBCI GUI file reader, so the rows the recording keeps and the rows drawn here are the same.
// A source that still delivers those all-zero rows (a BrainFlow board, a file written elsewhere) is
// held here the same way, and counted (`heldRows`): a real accelerometer never reads exactly 0 g on
// all three axes (gravity is 1 g somewhere), so an all-zero row is the "no reading" code, not a
// reading. Until the first reading there is nothing to show: NaN, drawn as "—".

import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';

export interface AccelAxis {
  /** Channel index in the board's rows. */
  readonly channel: number;
  /** The descriptor's label (AccelX, Accel Channel 0, …). */
  readonly label: string;
  /** What the readout calls it: X, Y, Z for a three-axis sensor, else the label. */
  readonly name: string;
}

/** The accelerometer axes of a board (type 'accel' in g), in row order; [] when it has none. */
export function accelAxes(descriptor: BoardDescriptor | null): AccelAxis[] {
  if (!descriptor) return [];
  const found: { channel: number; label: string }[] = [];
  descriptor.channels.forEach((c, channel) => {
    if (c.type === 'accel' && c.unit === 'g') found.push({ channel, label: c.label });
  });
  const xyz = found.length === 3;
  return found.map((a, i) => ({ ...a, name: xyz ? 'XYZ'[i] : a.label }));
}

/** Seconds of history drawn (the OpenBCI GUI's accelerometer widget shows 5 s by default). */
export const ACCEL_WINDOW_SEC = 5;
/**
 * At most this many points per axis in the window (higher rates keep every k-th row: at 250 Hz every
 * third, 83 points a second, finer than the Cyton's 25 readings a second and than the panel's pixels).
 */
export const ACCEL_MAX_POINTS = 600;
/** The y range is at least this wide (g), so that a still board does not draw its noise full height. */
export const ACCEL_MIN_SPAN_G = 0.5;

/** A reading (g) for the readout: sign, three decimals; "—" before the first reading. */
export function formatG(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const v = Math.abs(value) < 0.0005 ? 0 : value;
  return `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(3)} g`;
}

/**
 * A y range (g) that holds [min, max] with a margin, at least ACCEL_MIN_SPAN_G wide, its ends on
 * 0.25 g steps (so that it does not wobble with every new sample). Written into `out`.
 */
export function accelRange(min: number, max: number, out: [number, number] = [0, 0]): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    out[0] = -1;
    out[1] = 1;
    return out;
  }
  const step = 0.25;
  const mid = (min + max) / 2;
  const half = Math.max((max - min) / 2 + 0.05, ACCEL_MIN_SPAN_G / 2);
  out[0] = Math.floor((mid - half) / step) * step;
  out[1] = Math.ceil((mid + half) / step) * step;
  return out;
}

export class AccelHistory {
  private axes: readonly number[] = [];
  private rateHz = 1;
  /** Every `stride`-th sample index goes into the window. */
  stride = 1;
  private capacity = 0;
  private times = new Float64Array(0);
  private rings: Float64Array[] = [];
  private layoutTimes = new Float64Array(0);
  private layoutAxes: Float64Array[] = [];
  /** Views handed out by layout(), kept while the point count stays the same (a full window). */
  private views: { n: number; times: Float64Array; axes: Float64Array[] } = { n: -1, times: new Float64Array(0), axes: [] };
  private next = 0;
  private count = 0;
  private nextSampleIndex = -Infinity;
  /** The current reading per axis (NaN before the first). */
  private readonly current = new Float64Array(8);
  private lastReadingIndex = -1;
  private readonly rangeOut: [number, number] = [-1, 1];
  /** Rows that carried no reading (all axes exactly 0) and show the previous one held. */
  heldRows = 0;
  /** Rows seen with a reading. */
  readingRows = 0;
  /** Increments on every push that changed something, and on configure (a chart redraws when it changed). */
  version = 0;

  constructor(readonly windowSec = ACCEL_WINDOW_SEC, readonly maxPoints = ACCEL_MAX_POINTS) {}

  get axisCount(): number {
    return this.axes.length;
  }

  get length(): number {
    return this.count;
  }

  get sampleRateHz(): number {
    return this.rateHz;
  }

  /** Sets up for a board's accelerometer channels and rate (drops what was kept). */
  configure(axisChannels: readonly number[], sampleRateHz: number): void {
    if (!(sampleRateHz > 0)) throw new RangeError('AccelHistory: the sample rate must be positive');
    if (axisChannels.length > this.current.length) throw new RangeError(`AccelHistory: at most ${this.current.length} axes`);
    this.axes = [...axisChannels];
    this.rateHz = sampleRateHz;
    this.stride = Math.max(1, Math.ceil((sampleRateHz * this.windowSec) / this.maxPoints));
    this.capacity = Math.ceil((sampleRateHz * this.windowSec) / this.stride) + 1;
    this.times = new Float64Array(this.capacity);
    this.layoutTimes = new Float64Array(this.capacity);
    this.rings = this.axes.map(() => new Float64Array(this.capacity));
    this.layoutAxes = this.axes.map(() => new Float64Array(this.capacity));
    this.views = { n: -1, times: this.layoutTimes, axes: [] };
    this.clear();
  }

  /** Forgets the samples (a new stream), keeps the layout. */
  clear(): void {
    this.next = 0;
    this.count = 0;
    this.nextSampleIndex = -Infinity;
    this.current.fill(Number.NaN);
    this.lastReadingIndex = -1;
    this.heldRows = 0;
    this.readingRows = 0;
    this.version++;
  }

  /**
   * Rows of a raw frame: `sampleCount` interleaved rows of `channelCount` values, the first at
   * `firstSampleIndex`. Rows from before the newest kept (a replay that sought backwards) start over.
   */
  push(samples: ArrayLike<number>, channelCount: number, sampleCount: number, firstSampleIndex: number): void {
    const axes = this.axes;
    const k = axes.length;
    if (k === 0 || sampleCount <= 0) return;
    if (firstSampleIndex < this.nextSampleIndex) this.clear();
    const current = this.current;
    for (let r = 0; r < sampleCount; r++) {
      const at = r * channelCount;
      let allZero = true;
      for (let a = 0; a < k; a++) {
        if (samples[at + axes[a]] !== 0) {
          allZero = false;
          break;
        }
      }
      const index = firstSampleIndex + r;
      if (allZero) this.heldRows++;
      else {
        this.readingRows++;
        this.lastReadingIndex = index;
        for (let a = 0; a < k; a++) current[a] = samples[at + axes[a]];
      }
      if (index % this.stride !== 0) continue;
      const i = this.next;
      this.times[i] = index / this.rateHz;
      for (let a = 0; a < k; a++) this.rings[a][i] = current[a];
      this.next = (i + 1) % this.capacity;
      if (this.count < this.capacity) this.count++;
    }
    this.nextSampleIndex = firstSampleIndex + sampleCount;
    this.version++;
  }

  /** Copies the current reading per axis (g; NaN before the first) into `out`; answers its sample index (-1: none yet). */
  latest(out: Float64Array): number {
    for (let a = 0; a < this.axes.length; a++) out[a] = this.current[a];
    return this.lastReadingIndex;
  }

  /** The newest kept time (s of the stream), or 0. */
  get newestSec(): number {
    return this.count === 0 ? 0 : this.times[(this.next - 1 + this.capacity) % this.capacity];
  }

  /**
   * The kept points oldest first: time (s of the stream) and one column per axis, as views into
   * preallocated arrays, valid until the next layout (the same view objects while the count stays).
   */
  layout(): { readonly timesSec: Float64Array; readonly axes: readonly Float64Array[] } {
    const n = this.count;
    const start = (this.next - n + this.capacity) % this.capacity;
    const head = Math.min(n, this.capacity - start);
    const copy = (ring: Float64Array, into: Float64Array) => {
      into.set(ring.subarray(start, start + head), 0);
      if (head < n) into.set(ring.subarray(0, n - head), head);
    };
    copy(this.times, this.layoutTimes);
    for (let a = 0; a < this.rings.length; a++) copy(this.rings[a], this.layoutAxes[a]);
    if (this.views.n !== n) {
      this.views = { n, times: this.layoutTimes.subarray(0, n), axes: this.layoutAxes.map((c) => c.subarray(0, n)) };
    }
    return { timesSec: this.views.times, axes: this.views.axes };
  }

  /** The y range (g) over the kept points of every axis (see accelRange); the same array each call. */
  range(): readonly [number, number] {
    let min = Infinity;
    let max = -Infinity;
    const n = this.count;
    for (const ring of this.rings) {
      for (let i = 0; i < n; i++) {
        const v = ring[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    return accelRange(min, max, this.rangeOut);
  }
}
