// The recent class probabilities of an online decoder, outside React: a ring of typed arrays (one
// time column, one column per class) that predictions are pushed into as they arrive (each stamped
// with the sample index of its window's last sample), and laid out oldest-first into preallocated
// columns for uPlot. Nothing here allocates per prediction. React hears only that something
// changed (`onPrediction`, a few times a second) and reads the newest prediction.

import { Emitter } from '../../electron/common/disposable.js';

/** How many predictions are kept (at 10 a second, a minute). */
export const DEFAULT_PREDICTION_CAPACITY = 600;

export class PredictionHistory {
  readonly onPrediction = new Emitter<void>();
  private classList: readonly string[] = [];
  private rateHz = 1;
  private capacity: number;
  /** Ring columns: seconds (sample index / rate), and one probability column per class. */
  private times: Float64Array;
  private probabilities: Float64Array[] = [];
  /** Laid-out columns (oldest first) handed to the chart. */
  private layoutTimes: Float64Array;
  private layoutProbabilities: Float64Array[] = [];
  private next = 0;
  private count = 0;
  private lastSampleIndex = -Infinity;
  /** Increments on every push and reset (a chart redraws when it changed). */
  version = 0;

  constructor(capacity = DEFAULT_PREDICTION_CAPACITY) {
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.layoutTimes = new Float64Array(capacity);
  }

  get classes(): readonly string[] {
    return this.classList;
  }

  get sampleRateHz(): number {
    return this.rateHz;
  }

  get length(): number {
    return this.count;
  }

  /** Starts over for a model's classes and the stream's rate (drops what was kept). */
  reset(classes: readonly string[], sampleRateHz: number): void {
    if (!(sampleRateHz > 0)) throw new RangeError('PredictionHistory: the sample rate must be positive');
    this.classList = [...classes];
    this.rateHz = sampleRateHz;
    this.probabilities = classes.map(() => new Float64Array(this.capacity));
    this.layoutProbabilities = classes.map(() => new Float64Array(this.capacity));
    this.next = 0;
    this.count = 0;
    this.lastSampleIndex = -Infinity;
    this.version++;
    this.onPrediction.fire();
  }

  /**
   * One prediction: the sample index of its window's last sample and one probability per class.
   * A prediction older than the newest kept (a replay that sought backwards) starts the history over.
   */
  push(sampleIndex: number, probabilities: ArrayLike<number>): void {
    const k = this.classList.length;
    if (probabilities.length !== k) throw new RangeError(`PredictionHistory: ${probabilities.length} probabilities for ${k} classes`);
    if (sampleIndex < this.lastSampleIndex) {
      this.next = 0;
      this.count = 0;
    }
    this.lastSampleIndex = sampleIndex;
    const i = this.next;
    this.times[i] = sampleIndex / this.rateHz;
    for (let c = 0; c < k; c++) this.probabilities[c][i] = probabilities[c];
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    this.version++;
    this.onPrediction.fire();
  }

  /** Copies the newest probabilities into `out`; answers its sample index (null when there is none). */
  latest(out: Float64Array): number | null {
    if (this.count === 0) return null;
    const i = (this.next - 1 + this.capacity) % this.capacity;
    for (let c = 0; c < this.classList.length; c++) out[c] = this.probabilities[c][i];
    return this.lastSampleIndex;
  }

  /**
   * The kept predictions oldest first: time (s) and one column per class, as views of length
   * `length` into preallocated arrays (valid until the next layout).
   */
  layout(): { readonly timesSec: Float64Array; readonly probabilities: readonly Float64Array[] } {
    const n = this.count;
    const start = (this.next - n + this.capacity) % this.capacity;
    const copy = (ring: Float64Array, into: Float64Array) => {
      const head = Math.min(n, this.capacity - start);
      into.set(ring.subarray(start, start + head), 0);
      if (head < n) into.set(ring.subarray(0, n - head), head);
    };
    copy(this.times, this.layoutTimes);
    this.probabilities.forEach((ring, c) => copy(ring, this.layoutProbabilities[c]));
    return { timesSec: this.layoutTimes.subarray(0, n), probabilities: this.layoutProbabilities.map((p) => p.subarray(0, n)) };
  }
}
