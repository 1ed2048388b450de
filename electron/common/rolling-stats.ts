// Rolling percentiles over the most recent N values (latency, processing time). Recording a value
// is O(1) with no allocation; a percentile query sorts a preallocated copy (done at status rate,
// a few times a second, never per sample).

export class RollingPercentiles {
  private readonly values: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private maxSeen = 0;
  private total = 0;

  constructor(readonly windowSize = 4096) {
    this.values = new Float64Array(windowSize);
    this.scratch = new Float64Array(windowSize);
  }

  record(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.windowSize;
    if (this.count < this.windowSize) this.count++;
    if (value > this.maxSeen) this.maxSeen = value;
    this.total++;
  }

  /** Values recorded since creation (not just those in the window). */
  get recorded(): number {
    return this.total;
  }

  /** Largest value since creation. */
  get max(): number {
    return this.maxSeen;
  }

  /** Nearest-rank percentiles (p in 0..100) of the values in the window; NaN when empty. */
  percentiles(ps: readonly number[], out: Float64Array = new Float64Array(ps.length)): Float64Array {
    const n = this.count;
    if (n === 0) {
      out.fill(Number.NaN);
      return out;
    }
    const sorted = this.scratch.subarray(0, n);
    sorted.set(this.values.subarray(0, n));
    sorted.sort();
    for (let i = 0; i < ps.length; i++) {
      const rank = Math.min(n - 1, Math.max(0, Math.ceil((ps[i] / 100) * n) - 1));
      out[i] = sorted[rank];
    }
    return out;
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
    this.maxSeen = 0;
    this.total = 0;
  }
}
