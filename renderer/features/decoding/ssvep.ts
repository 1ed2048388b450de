// SSVEP flicker by frame counting, and the measurement of what the display actually did. Pure: no
// DOM, no clock; frame timestamps come in from requestAnimationFrame.
//
// A screen changes only at its refresh, so a square-wave flicker can only have a whole number of
// frames per cycle: at 60 Hz, 60/N Hz = 30, 20, 15, 12, 10, 8.57, 7.5, 6.67, 6 Hz (N = 2…10). A
// requested frequency is planned as the nearest of these, its target on for ceil(N/2) frames and
// off for the rest of each cycle (odd N is uneven: 20 Hz at 60 Hz is on 2 frames, off 1). Whether a
// target is on is decided per animation frame by the frame's count since the flicker began, never
// by the clock: a dropped frame shows as a slower measured frequency, not as a jump in phase.
// The measured frequency is the number of whole cycles between the first and last rising edge,
// over the time between them, from the frames' own timestamps.

/** Lowest frequency offered by default (below 6 Hz the SSVEP competes with alpha). */
export const DEFAULT_MIN_FLICKER_HZ = 6;

/** The frequencies a display of `refreshHz` can flicker at, highest first: refreshHz / N for N = 2, 3, … while ≥ minHz. */
export function flickerFrequencies(refreshHz: number, minHz = DEFAULT_MIN_FLICKER_HZ): number[] {
  const out: number[] = [];
  if (!Number.isFinite(refreshHz) || refreshHz <= 0) return out;
  for (let n = 2; refreshHz / n >= minHz - 1e-9; n++) out.push(refreshHz / n);
  return out;
}

/** How one target flickers on a display. */
export interface FlickerPlan {
  /** What was asked for (Hz). */
  readonly requestedHz: number;
  /** What frame counting gives: refreshHz / framesPerCycle (Hz). */
  readonly frequencyHz: number;
  readonly framesPerCycle: number;
  /** Frames the target is on in each cycle (the rest it is off). */
  readonly onFrames: number;
  /** The request is a whole number of frames per cycle (within 0.5%). */
  readonly exact: boolean;
}

export function planFlicker(requestedHz: number, refreshHz: number): FlickerPlan {
  if (!(requestedHz > 0) || !(refreshHz > 0)) throw new RangeError('flicker and refresh frequencies must be positive');
  const framesPerCycle = Math.max(2, Math.round(refreshHz / requestedHz));
  const frequencyHz = refreshHz / framesPerCycle;
  return { requestedHz, frequencyHz, framesPerCycle, onFrames: Math.ceil(framesPerCycle / 2), exact: Math.abs(frequencyHz - requestedHz) <= requestedHz * 0.005 };
}

/** Whether a target is on at the `frameIndex`-th frame (0 = the first) of its flicker. */
export function flickerOn(plan: FlickerPlan, frameIndex: number): boolean {
  return frameIndex % plan.framesPerCycle < plan.onFrames;
}

/** "8.57", "30", "6.67": a frequency as a screen shows it. */
export function formatHz(hz: number): string {
  if (!Number.isFinite(hz)) return '—';
  const rounded = Math.round(hz * 100) / 100;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0$/, '');
}

/** One line for the screen: which frequencies this display can do, and why. */
export function frameCountingNote(refreshHz: number | null): string {
  if (refreshHz === null || !(refreshHz > 0)) return 'Measuring the display refresh… a target can only flicker at the refresh rate divided by a whole number of frames.';
  const list = flickerFrequencies(refreshHz).map(formatHz).join(', ');
  return `Display ${refreshHz.toFixed(1)} Hz: a target flickers by whole frames per cycle (refresh ÷ N), so only ${list} Hz are possible; other requests are moved to the nearest.`;
}

/** "20 Hz: 3 frames per cycle (2 on, 1 off)" and, when moved, what was asked. */
export function describePlan(plan: FlickerPlan): string {
  const frames = `${plan.framesPerCycle} frames per cycle (${plan.onFrames} on, ${plan.framesPerCycle - plan.onFrames} off)`;
  const moved = plan.exact ? '' : ` — ${formatHz(plan.requestedHz)} Hz is not a whole number of frames`;
  return `${formatHz(plan.frequencyHz)} Hz: ${frames}${moved}`;
}

/** Keeps the last frame intervals and reports the display's refresh rate. */
export class RefreshMeter {
  private readonly intervals: Float64Array;
  private count = 0;
  private next = 0;
  private lastMs = Number.NaN;
  /** Frames later than 1.5 intervals (dropped or late frames), since the last reset. */
  lateFrames = 0;
  frames = 0;

  constructor(capacity = 120) {
    this.intervals = new Float64Array(capacity);
  }

  /** A frame at `frameMs` (requestAnimationFrame's timestamp). */
  push(frameMs: number): void {
    this.frames++;
    if (!Number.isNaN(this.lastMs)) {
      const dt = frameMs - this.lastMs;
      if (dt > 0) {
        const median = this.count >= 10 ? this.medianMs() : Number.NaN;
        if (median > 0 && dt > 1.5 * median) this.lateFrames++;
        this.intervals[this.next] = dt;
        this.next = (this.next + 1) % this.intervals.length;
        this.count = Math.min(this.count + 1, this.intervals.length);
      }
    }
    this.lastMs = frameMs;
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
    this.lastMs = Number.NaN;
    this.lateFrames = 0;
    this.frames = 0;
  }

  /** Enough intervals for a figure (10). */
  get ready(): boolean {
    return this.count >= 10;
  }

  medianMs(): number {
    if (this.count === 0) return Number.NaN;
    const sorted = Array.from(this.intervals.subarray(0, this.count)).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * Frames per second (null until ready): the mean of the intervals within ±25% of the median, so
   * that late frames do not count and timestamps coarsened to 0.1 ms (as browsers do) average out.
   */
  get refreshHz(): number | null {
    if (!this.ready) return null;
    const median = this.medianMs();
    let sum = 0;
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const dt = this.intervals[i];
      if (Math.abs(dt - median) <= 0.25 * median) {
        sum += dt;
        n++;
      }
    }
    return 1000 / (sum / n);
  }
}

/** A measured refresh rate within 0.5% of a whole number of Hz is taken as that number (59.9 → 60). */
export function nominalRefreshHz(measuredHz: number): number {
  const whole = Math.round(measuredHz);
  return Math.abs(measuredHz - whole) <= whole * 0.005 ? whole : measuredHz;
}

/**
 * The frequency a target really flickered at, from the timestamps of the frames that turned it on
 * (rising edges). Flicker comes in spans (one per trial); each span counts its whole cycles
 * between its first and last rising edge, and the figure is all cycles over all that time.
 */
export class FlickerMeter {
  private cycles = 0;
  private spanMs = 0;
  private firstEdgeMs = Number.NaN;
  private lastEdgeMs = Number.NaN;
  private edges = 0;
  private wasOn = false;

  /** A new span of flicker begins (the next frame's "on" is a rising edge). */
  beginSpan(): void {
    this.closeSpan();
    this.wasOn = false;
  }

  /** One frame of flicker: its timestamp and whether the target was drawn on. */
  record(frameMs: number, on: boolean): void {
    if (on && !this.wasOn) {
      if (this.edges === 0) this.firstEdgeMs = frameMs;
      this.lastEdgeMs = frameMs;
      this.edges++;
    }
    this.wasOn = on;
  }

  /** Measured frequency (Hz), or null before two rising edges in one span. */
  get measuredHz(): number | null {
    const { cycles, spanMs } = this.totals();
    return cycles > 0 && spanMs > 0 ? (cycles * 1000) / spanMs : null;
  }

  /** Whole cycles measured so far. */
  get measuredCycles(): number {
    return this.totals().cycles;
  }

  private totals(): { cycles: number; spanMs: number } {
    const open = this.edges >= 2 ? { cycles: this.edges - 1, spanMs: this.lastEdgeMs - this.firstEdgeMs } : { cycles: 0, spanMs: 0 };
    return { cycles: this.cycles + open.cycles, spanMs: this.spanMs + open.spanMs };
  }

  private closeSpan(): void {
    if (this.edges >= 2) {
      this.cycles += this.edges - 1;
      this.spanMs += this.lastEdgeMs - this.firstEdgeMs;
    }
    this.edges = 0;
    this.firstEdgeMs = Number.NaN;
    this.lastEdgeMs = Number.NaN;
  }
}

/** The flicker of one target after a run: asked, planned, measured. */
export interface FlickerReport {
  readonly label: string;
  readonly requestedHz: number;
  readonly plannedHz: number;
  readonly measuredHz: number | null;
  readonly cycles: number;
}

/** "measured 29.98 Hz (planned 30 Hz, 240 cycles)". */
export function describeMeasured(report: FlickerReport): string {
  if (report.measuredHz === null) return `not measured (planned ${formatHz(report.plannedHz)} Hz)`;
  return `measured ${report.measuredHz.toFixed(2)} Hz (planned ${formatHz(report.plannedHz)} Hz, ${report.cycles} cycles)`;
}
