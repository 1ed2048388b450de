// The signal-quality monitor the pipeline worker runs on raw rows: per channel and per one-second
// window aligned on sample indices (window k holds indices [k·W, (k+1)·W), W = the rate rounded),
// it measures railed (95 % of full scale), flat (raw SD < 0.1 µV), the mains line's share of the
// raw signal (Goertzel at 50 and 60 Hz over the window, the larger), and after a fixed quality
// filter (Butterworth band-pass 1-40 Hz, order 2, whatever the display filters are) the RMS and
// the peak-to-peak of each 0.25 s segment (artefact bursts above a threshold). Lost rows show as
// jumps in the sample index and are counted in the window they fall in. Everything is a function
// of the sample indices and values only, never of chunking or arrival time: a replay at any speed
// gives the same summaries. No allocation per sample: typed arrays, a planar scratch block.

import { butterSos } from '../dsp/butter.js';
import { SosFilter } from '../dsp/sos.js';
import { DEFAULT_QUALITY_THRESHOLDS, type ChannelQuality, type QualityLevel, type QualitySummary, type QualityThresholds } from '../contract/quality.js';

export const RAILED_FRACTION = 0.95;
export const FLAT_SD_UV = 0.1;
export const SEGMENT_SEC = 0.25;
const QUALITY_BAND_HZ: readonly [number, number] = [1, 40];

export interface QualityMonitorOptions {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** 1 for EEG channels (measured), 0 for others (level unknown). */
  readonly eegMask: Uint8Array;
  /** Full scale per channel (the larger of |physicalMin| and |physicalMax|); 0 or Infinity: never railed. */
  readonly fullScale: ArrayLike<number>;
  /** Largest chunk handed to push, in rows. */
  readonly maxBlockRows: number;
  readonly thresholds?: Partial<QualityThresholds>;
}

export class QualityMonitor {
  readonly windowRows: number;
  readonly segmentRows: number;
  private readonly channels: number;
  private readonly eeg: Uint8Array;
  private readonly railLimit: Float64Array;
  private thresholds: QualityThresholds;
  private readonly filter: SosFilter | undefined;
  private readonly scratch: Float64Array;
  private readonly stride: number;
  private readonly goertzelCoeff: Float64Array; // one per mains frequency (0: not below Nyquist)
  // per channel accumulators of the current window
  private readonly shift: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  private readonly maxAbs: Float64Array;
  private readonly g1: Float64Array; // Goertzel states: channel × 2 frequencies × (s1, s2)
  private readonly fSumSquares: Float64Array;
  private readonly segMin: Float64Array;
  private readonly segMax: Float64Array;
  private readonly maxPp: Float64Array;
  private readonly artefacts: Int32Array;
  private readonly primed: Uint8Array;
  private windowStart = -1;
  private rowsInWindow = 0;
  private lostInWindow = 0;
  private expectedIndex = -1;
  private readonly done: QualitySummary[] = [];

  constructor(options: QualityMonitorOptions) {
    const { sampleRateHz, channelCount } = options;
    this.channels = channelCount;
    this.windowRows = Math.max(4, Math.round(sampleRateHz));
    this.segmentRows = Math.max(2, Math.round(SEGMENT_SEC * sampleRateHz));
    this.eeg = Uint8Array.from(options.eegMask);
    this.thresholds = { ...DEFAULT_QUALITY_THRESHOLDS, ...options.thresholds };
    this.railLimit = new Float64Array(channelCount);
    for (let c = 0; c < channelCount; c++) {
      const f = Math.abs(options.fullScale[c] ?? 0);
      this.railLimit[c] = f > 0 && Number.isFinite(f) ? f * RAILED_FRACTION : Infinity;
    }
    const highHz = Math.min(QUALITY_BAND_HZ[1], sampleRateHz * 0.45);
    this.filter = highHz > QUALITY_BAND_HZ[0] * 2 ? new SosFilter(butterSos(2, [QUALITY_BAND_HZ[0], highHz], 'bandpass', sampleRateHz), channelCount) : undefined;
    this.stride = options.maxBlockRows;
    this.scratch = new Float64Array(channelCount * options.maxBlockRows);
    // Goertzel over exactly W = rate samples puts 50 and 60 Hz on whole bins
    this.goertzelCoeff = Float64Array.from([50, 60], (f) => (f < sampleRateHz / 2 ? 2 * Math.cos((2 * Math.PI * f) / this.windowRows) : 0));
    const n = channelCount;
    this.shift = new Float64Array(n);
    this.sum = new Float64Array(n);
    this.sumSquares = new Float64Array(n);
    this.maxAbs = new Float64Array(n);
    this.g1 = new Float64Array(n * 4);
    this.fSumSquares = new Float64Array(n);
    this.segMin = new Float64Array(n);
    this.segMax = new Float64Array(n);
    this.maxPp = new Float64Array(n);
    this.artefacts = new Int32Array(n);
    this.primed = new Uint8Array(n);
  }

  /** New thresholds, applied from the next window on (a window is judged by one set). */
  setThresholds(thresholds: Partial<QualityThresholds>): void {
    this.pendingThresholds = { ...this.thresholds, ...this.pendingThresholds, ...thresholds };
  }
  private pendingThresholds: QualityThresholds | undefined;

  /** Which channels are EEG (a montage changed the types), from the next row on. */
  setEegMask(eegMask: Uint8Array): void {
    if (eegMask.length === this.eeg.length) this.eeg.set(eegMask);
  }

  /** Summaries of the windows completed since the last call (oldest first). */
  take(): QualitySummary[] {
    return this.done.splice(0, this.done.length);
  }

  /**
   * Adds interleaved raw rows (rowCount × channelCount) whose first row has sample index
   * firstSampleIndex; a jump from the previous chunk's end counts as lost rows.
   */
  push(rows: Float64Array, rowCount: number, firstSampleIndex: number): void {
    if (rowCount <= 0) return;
    if (rowCount > this.stride) throw new RangeError(`QualityMonitor.push: ${rowCount} rows is more than the ${this.stride} it was made for`);
    const W = this.windowRows;
    if (this.expectedIndex >= 0 && firstSampleIndex > this.expectedIndex) this.skip(this.expectedIndex, firstSampleIndex);
    this.expectedIndex = firstSampleIndex + rowCount;
    // planar copy, then the quality filter in place on it
    const C = this.channels;
    const S = this.stride;
    const x = this.scratch;
    for (let c = 0; c < C; c++) {
      const base = c * S;
      for (let r = 0, i = c; r < rowCount; r++, i += C) x[base + r] = rows[i];
    }
    // process the chunk window piece by window piece
    let r0 = 0;
    while (r0 < rowCount) {
      const index = firstSampleIndex + r0;
      const start = index - (index % W);
      if (start !== this.windowStart) this.openWindow(start);
      const r1 = Math.min(rowCount, r0 + (start + W - index));
      this.accumulate(r0, r1, index);
      this.rowsInWindow += r1 - r0;
      if (index + (r1 - r0) === start + W) this.closeWindow();
      r0 = r1;
    }
  }

  /** Closes the window in progress (the stream ended inside it). */
  finish(): void {
    if (this.windowStart >= 0 && this.rowsInWindow + this.lostInWindow > 0) this.closeWindow();
  }

  private skip(from: number, to: number): void {
    const W = this.windowRows;
    let index = from;
    while (index < to) {
      const start = index - (index % W);
      if (start !== this.windowStart) this.openWindow(start);
      const end = Math.min(to, start + W);
      this.lostInWindow += end - index;
      index = end;
      if (end === start + W) this.closeWindow();
    }
    // the quality filter restarts after a gap (a jump would ring)
    this.primed.fill(0);
  }

  private openWindow(start: number): void {
    if (this.windowStart >= 0 && this.rowsInWindow + this.lostInWindow > 0) this.closeWindow();
    if (this.pendingThresholds) {
      this.thresholds = this.pendingThresholds;
      this.pendingThresholds = undefined;
    }
    this.windowStart = start;
    this.rowsInWindow = 0;
    this.lostInWindow = 0;
    this.sum.fill(0);
    this.sumSquares.fill(0);
    this.maxAbs.fill(0);
    this.g1.fill(0);
    this.fSumSquares.fill(0);
    this.maxPp.fill(0);
    this.artefacts.fill(0);
    this.segMin.fill(Infinity);
    this.segMax.fill(-Infinity);
    for (let c = 0; c < this.channels; c++) this.shift[c] = Number.NaN;
  }

  /** Rows [r0, r1) of the scratch block, whose first has sample index `index`, all in the current window. */
  private accumulate(r0: number, r1: number, index: number): void {
    const C = this.channels;
    const S = this.stride;
    const x = this.scratch;
    const seg = this.segmentRows;
    const artefactUv = this.thresholds.artefactUv;
    const k50 = this.goertzelCoeff[0];
    const k60 = this.goertzelCoeff[1];
    const offsetInWindow = index - this.windowStart;
    for (let c = 0; c < C; c++) {
      if (this.eeg[c] === 0) continue;
      const base = c * S;
      let shift = this.shift[c];
      let sum = this.sum[c];
      let sumSq = this.sumSquares[c];
      let maxAbs = this.maxAbs[c];
      const g = c * 4;
      let a1 = this.g1[g], a2 = this.g1[g + 1], b1 = this.g1[g + 2], b2 = this.g1[g + 3];
      for (let r = r0; r < r1; r++) {
        let v = x[base + r];
        if (v !== v) v = 0;
        if (shift !== shift) shift = v;
        const d = v - shift;
        sum += d;
        sumSq += d * d;
        const a = v < 0 ? -v : v;
        if (a > maxAbs) maxAbs = a;
        // Goertzel on the shifted value (a constant shift does not reach a whole-bin frequency)
        const a0 = d + k50 * a1 - a2;
        a2 = a1;
        a1 = a0;
        const b0 = d + k60 * b1 - b2;
        b2 = b1;
        b1 = b0;
      }
      this.shift[c] = shift;
      this.sum[c] = sum;
      this.sumSquares[c] = sumSq;
      this.maxAbs[c] = maxAbs;
      this.g1[g] = a1;
      this.g1[g + 1] = a2;
      this.g1[g + 2] = b1;
      this.g1[g + 3] = b2;
      // quality filter, in place (raw moments above are already taken)
      if (this.filter) {
        if (this.primed[c] === 0) {
          const v0 = x[base + r0];
          this.filter.setSteadyState(c, v0 === v0 ? v0 : 0);
          this.primed[c] = 1;
        }
        this.filter.processChannel(c, x, base + r0, r1 - r0);
      }
      let fSq = this.fSumSquares[c];
      let lo = this.segMin[c];
      let hi = this.segMax[c];
      let maxPp = this.maxPp[c];
      let artefacts = this.artefacts[c];
      for (let r = r0, pos = offsetInWindow; r < r1; r++, pos++) {
        let y = x[base + r];
        if (y !== y) y = 0;
        fSq += y * y;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
        if ((pos + 1) % seg === 0) {
          const pp = hi - lo;
          if (pp > maxPp) maxPp = pp;
          if (pp > artefactUv) artefacts++;
          lo = Infinity;
          hi = -Infinity;
        }
      }
      this.fSumSquares[c] = fSq;
      this.segMin[c] = lo;
      this.segMax[c] = hi;
      this.maxPp[c] = maxPp;
      this.artefacts[c] = artefacts;
    }
  }

  private closeWindow(): void {
    const n = this.rowsInWindow;
    const W = this.windowRows;
    const t = this.thresholds;
    const channels: ChannelQuality[] = [];
    for (let c = 0; c < this.channels; c++) {
      if (this.eeg[c] === 0 || n < 2) {
        channels.push({ level: 'unknown', railed: false, flat: false, rmsUv: 0, lineNoiseRatio: 0, peakToPeakUv: 0, artefactSegments: 0 });
        continue;
      }
      const mean = this.sum[c] / n;
      const variance = Math.max(0, this.sumSquares[c] / n - mean * mean);
      const sd = Math.sqrt(variance);
      // a partial segment at the end of the window counts too
      let maxPp = this.maxPp[c];
      let artefacts = this.artefacts[c];
      if (this.segMax[c] >= this.segMin[c]) {
        const pp = this.segMax[c] - this.segMin[c];
        if (pp > maxPp) maxPp = pp;
        if (pp > t.artefactUv) artefacts++;
      }
      let lineRms = 0;
      for (let f = 0; f < 2; f++) {
        if (this.goertzelCoeff[f] === 0) continue;
        const s1 = this.g1[c * 4 + 2 * f];
        const s2 = this.g1[c * 4 + 2 * f + 1];
        const power = Math.max(0, s1 * s1 + s2 * s2 - this.goertzelCoeff[f] * s1 * s2);
        // amplitude 2|X|/N over the window's rows; RMS = amplitude / √2
        const rms = (Math.SQRT2 * Math.sqrt(power)) / Math.max(n, 1);
        if (rms > lineRms) lineRms = rms;
      }
      const railed = this.maxAbs[c] >= this.railLimit[c];
      const flat = sd < FLAT_SD_UV;
      const rmsUv = Math.sqrt(this.fSumSquares[c] / n);
      const lineNoiseRatio = sd > 0 ? Math.min(1, lineRms / sd) : 0;
      const level: QualityLevel = railed || flat ? 'bad' : lineNoiseRatio > t.lineNoiseFair || artefacts > 0 || rmsUv > t.rmsFairUv ? 'fair' : 'good';
      channels.push({ level, railed, flat, rmsUv, lineNoiseRatio, peakToPeakUv: maxPp, artefactSegments: artefacts });
    }
    this.done.push({ firstSampleIndex: this.windowStart, windowRows: W, rows: n, lostRows: this.lostInWindow, channels });
    this.windowStart = -1;
    this.rowsInWindow = 0;
    this.lostInWindow = 0;
  }
}
