// Time in text recordings (one row per sample, a sample counter and/or host timestamps): which rows
// follow a loss, and how many samples were lost, told apart from timestamp glitches.
//
// - With a sample counter (OpenBCI, BrainFlow's package number, wrapping at 256, stepping by 1 or,
//   for the Cyton+Daisy, by 2), every jump is counted as lost rows; the timestamps only tell how
//   many wraps a long silence hid.
// - Without one, a row comes after a loss when its timestamp step exceeds the expected interval by
//   more than the timestamps' own jitter (measured on the first rows), not only by half a second.
// - A timestamp that jumps away and comes back at the next row (one bad value: +10 s, or 10⁹ ms
//   back) is a glitch: it is counted and reported as such, never as loss, and it bends neither the
//   rate nor the duration. The decision is taken one row late, when the next timestamp is known.
// - A step backwards that does not come back (a clock reset) is counted, not taken as loss.
// - The rate measured from the timestamps (gaps and glitches left out) is reported, so a file
//   whose device ran at another rate than the nominal one says so.

export interface StepTrackerOptions {
  /** The rate rows are expected at (nominal, or estimated from the first rows). */
  readonly rateHz: number;
  /** Rows lost are counted from a sample counter (else from the timestamps). */
  readonly counter: boolean;
  /** Rows per counter wrap (256 / stride). */
  readonly wrapRows: number;
  /** Without a counter: a step longer than expected by more than this is a gap. */
  readonly gapThresholdSec: number;
  /** A step away from the expected one by more than this waits for the next row to be judged. */
  readonly suspectSec: number;
  /** A gap before `row`: `lostRows` rows (counter) or `missingSec` seconds (timestamps). */
  readonly onGap: (row: number, lostRows: number | undefined, missingSec: number | undefined) => void;
}

export interface TimingSummary {
  glitches: number;
  /** The first few glitches: row and how far its timestamp was off, in seconds. */
  glitchExamples: { row: number; offSec: number }[];
  backwardSteps: number;
  /** Rows per second of host time over the steps that were neither gaps nor glitches (NaN without timestamps). */
  measuredRateHz: number;
}

const EXAMPLES = 5;

interface Pending {
  row: number;
  t: number;
  lost: number;
}

export class StepTracker {
  private lastRow = -1;
  private lastT = NaN;
  private pending: Pending | null = null;
  private glitches = 0;
  private readonly glitchExamples: { row: number; offSec: number }[] = [];
  private backwardSteps = 0;
  private sumSec = 0;
  private sumRows = 0;

  constructor(private readonly o: StepTrackerOptions) {}

  /** Row `row` (rows come in order), with `lostByCounter` rows missing before it by the counter (0 without one), at host time `t` seconds (NaN when unknown). */
  push(row: number, lostByCounter: number, t: number): void {
    if (!Number.isFinite(t)) {
      // no time for this row: the counter alone speaks
      if (this.pending) this.commitPending();
      if (lostByCounter > 0) this.o.onGap(row, lostByCounter, undefined);
      return;
    }
    if (this.lastRow < 0) {
      if (lostByCounter > 0) this.o.onGap(row, lostByCounter, undefined);
      this.lastRow = row;
      this.lastT = t;
      return;
    }
    const p = this.pending;
    if (p) {
      // the pending row's timestamp was far off: judge it by this row's
      const rows = row - this.lastRow + p.lost + lostByCounter;
      if (Math.abs(t - this.lastT - rows / this.o.rateHz) <= this.o.suspectSec) {
        // this row agrees with the rows before the pending one: the pending timestamp was a glitch
        this.glitches++;
        if (this.glitchExamples.length < EXAMPLES) this.glitchExamples.push({ row: p.row, offSec: p.t - (this.lastT + (p.row - this.lastRow + p.lost) / this.o.rateHz) });
        this.pending = null;
        if (p.lost > 0) this.o.onGap(p.row, p.lost, undefined);
        this.step(row, lostByCounter, t);
        return;
      }
      this.commitPending();
    }
    const rows = row - this.lastRow + lostByCounter;
    const off = t - this.lastT - rows / this.o.rateHz;
    if (Math.abs(off) > this.o.suspectSec) {
      this.pending = { row, t, lost: lostByCounter };
      return;
    }
    this.step(row, lostByCounter, t);
  }

  /** After the last row: a last row whose timestamp jumped cannot be confirmed and is taken as a glitch. */
  finish(): TimingSummary {
    const p = this.pending;
    if (p) {
      this.glitches++;
      if (this.glitchExamples.length < EXAMPLES) this.glitchExamples.push({ row: p.row, offSec: p.t - (this.lastT + (p.row - this.lastRow + p.lost) / this.o.rateHz) });
      if (p.lost > 0) this.o.onGap(p.row, p.lost, undefined);
      this.pending = null;
    }
    return {
      glitches: this.glitches,
      glitchExamples: this.glitchExamples,
      backwardSteps: this.backwardSteps,
      measuredRateHz: this.sumSec > 0 ? this.sumRows / this.sumSec : NaN,
    };
  }

  private commitPending(): void {
    const p = this.pending!;
    this.pending = null;
    this.step(p.row, p.lost, p.t);
  }

  /** A step from the last accepted row to `row`, whose timestamp is trusted. */
  private step(row: number, lostByCounter: number, t: number): void {
    const n = row - this.lastRow;
    const dt = t - this.lastT;
    this.lastRow = row;
    this.lastT = t;
    if (dt < -this.o.suspectSec) {
      // a step back beyond the jitter that the next row confirmed: a clock reset
      this.backwardSteps++;
      if (lostByCounter > 0) this.o.onGap(row, lostByCounter, undefined);
      return;
    }
    if (this.o.counter) {
      let lost = lostByCounter;
      // the counter wraps: a silence longer than half a wrap shows only in the timestamps
      const byTime = dt * this.o.rateHz - n;
      if (byTime > lost + this.o.wrapRows / 2) lost += this.o.wrapRows * Math.round((byTime - lost) / this.o.wrapRows);
      if (lost > 0) this.o.onGap(row, lost, undefined);
      if (lost === lostByCounter) {
        this.sumSec += dt;
        this.sumRows += n + lost;
      }
      return;
    }
    const missingSec = dt - n / this.o.rateHz;
    if (missingSec > this.o.gapThresholdSec) {
      this.o.onGap(row, undefined, missingSec);
      return;
    }
    this.sumSec += dt;
    this.sumRows += n;
  }
}

/** The 99th percentile of |x − median| (a robust jitter scale), NaN for no values. */
export function jitterScale(steps: readonly number[]): { median: number; p99Deviation: number } {
  if (steps.length === 0) return { median: NaN, p99Deviation: NaN };
  const s = [...steps].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  const dev = s.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  return { median, p99Deviation: dev[Math.min(dev.length - 1, Math.floor(dev.length * 0.99))] };
}
