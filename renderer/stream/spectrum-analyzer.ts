// The spectrum analyser: Welch power spectral densities of the filtered stream, per channel, for
// the spectrum plot, the band power bars and the mains readout. Pure: no DOM, no allocation per
// pass. It keeps the last few seconds of every channel in a ring and recomputes in passes that
// the caller may spread over several animation frames (`advance` with a time budget).
//
// Choices (documented in the UI's tooltips too):
//  - display PSD: segments of the power of two nearest 2 s (0.5 Hz bins at 256/512/1024 Hz
//    rates, ~0.49 Hz at 250/500/1000), Hann, 50% overlap, over the last two segment lengths
//    (three segments averaged), 1-60 Hz shown, in dB re 1 µV²/Hz;
//  - mains readout: its own estimate with twice the segment length (≈0.25 Hz bins: a sinusoid's
//    peak stands twice as high above the noise floor), over the last three display segment
//    lengths (≈6 s, two segments), averaged over up to 16 channels spread over the montage. The
//    readout is the peak density within ±0.5 Hz of 50 (or 60) Hz over the median density of the
//    neighbouring floor (f₀−10..f₀−2 and f₀+2..f₀+8 Hz), in dB; railed or flat channels
//    (`excluded`) are left out of the average;
//  - the history is cleared when the pipeline changes (the spectrum shows the current filters
//    only) and the first half second after that is skipped while the filters settle.

import { WelchEstimator } from '../../electron/common/dsp/welch.js';

export interface Band {
  readonly name: string;
  readonly lowHz: number;
  readonly highHz: number;
}

export const EEG_BANDS: readonly Band[] = Object.freeze([
  { name: 'delta', lowHz: 1, highHz: 4 },
  { name: 'theta', lowHz: 4, highHz: 8 },
  { name: 'alpha', lowHz: 8, highHz: 13 },
  { name: 'beta', lowHz: 13, highHz: 30 },
  { name: 'gamma', lowHz: 30, highHz: 45 },
]);

export const DISPLAY_MIN_HZ = 1;
export const DISPLAY_MAX_HZ = 60;
export const SETTLE_SEC = 0.5;
export const MAINS_MAX_CHANNELS = 16;
const MAINS_PEAK_HALF_WIDTH_HZ = 0.5;
const POWER_FLOOR = 1e-12;

export interface BandPowers {
  /** Absolute band power (µV²), per EEG_BANDS entry. */
  readonly absolute: Float64Array;
  /** Fraction of the 1-45 Hz total, per band. */
  readonly relative: Float64Array;
  /** Total 1-45 Hz power (µV²). */
  total: number;
}

export interface MainsReadout {
  readonly frequencyHz: number;
  /** Peak over floor in dB; null when not measurable (too little data, above Nyquist). */
  readonly db: number | null;
}

/** The power of two nearest (in log terms) to `samples`. */
export function nearestPowerOfTwo(samples: number): number {
  return 2 ** Math.max(1, Math.round(Math.log2(Math.max(2, samples))));
}

/** Median of values[from..to) (sorts a scratch copy in place). */
function medianOf(scratch: Float64Array, count: number): number {
  if (count === 0) return NaN;
  const view = scratch.subarray(0, count);
  view.sort();
  const m = count >> 1;
  return count % 2 ? view[m] : 0.5 * (view[m - 1] + view[m]);
}

/**
 * Mains peak over the neighbouring floor (dB) of a PSD, or null when f₀ is not below Nyquist or
 * the PSD is empty. `scratch` must hold at least psd.length values.
 */
export function mainsPeakDb(frequencyHz: Float64Array, psd: Float64Array, mainsHz: number, scratch: Float64Array): number | null {
  const bins = frequencyHz.length;
  const nyquist = frequencyHz[bins - 1];
  if (!(mainsHz + MAINS_PEAK_HALF_WIDTH_HZ < nyquist)) return null;
  let peak = 0;
  let floorCount = 0;
  for (let k = 0; k < bins; k++) {
    const d = frequencyHz[k] - mainsHz;
    if (d >= -MAINS_PEAK_HALF_WIDTH_HZ && d <= MAINS_PEAK_HALF_WIDTH_HZ) {
      if (psd[k] > peak) peak = psd[k];
    } else if ((d >= -10 && d <= -2) || (d >= 2 && d <= 8)) {
      scratch[floorCount++] = psd[k];
    }
  }
  const floor = medianOf(scratch, floorCount);
  if (!(floor > 0) || !(peak > 0)) return null;
  return 10 * Math.log10(peak / floor);
}

/** Integrates a PSD over each band (rectangle rule, bins with lowHz ≤ f < highHz). */
export function bandPowersOf(frequencyHz: Float64Array, psd: Float64Array, out: BandPowers, bands: readonly Band[] = EEG_BANDS): void {
  const df = frequencyHz.length > 1 ? frequencyHz[1] - frequencyHz[0] : 1;
  const totalLow = bands[0].lowHz;
  const totalHigh = bands[bands.length - 1].highHz;
  let total = 0;
  out.absolute.fill(0);
  for (let k = 0; k < frequencyHz.length; k++) {
    const f = frequencyHz[k];
    if (f < totalLow || f >= totalHigh) continue;
    const p = psd[k] * df;
    total += p;
    for (let i = 0; i < bands.length; i++) {
      if (f >= bands[i].lowHz && f < bands[i].highHz) {
        out.absolute[i] += p;
        break;
      }
    }
  }
  out.total = total;
  for (let i = 0; i < bands.length; i++) out.relative[i] = total > 0 ? out.absolute[i] / total : 0;
}

export function createBandPowers(bands: readonly Band[] = EEG_BANDS): BandPowers {
  return { absolute: new Float64Array(bands.length), relative: new Float64Array(bands.length), total: 0 };
}

export class SpectrumAnalyzer {
  readonly channelCount: number;
  readonly sampleRateHz: number;
  /** Display segment length (samples), a power of two near 2 s. */
  readonly segmentLength: number;
  private readonly display: WelchEstimator;
  private readonly mains: WelchEstimator;
  /** First and one-past-last bin shown (DISPLAY_MIN_HZ..DISPLAY_MAX_HZ, below Nyquist). */
  readonly displayFirstBin: number;
  readonly displayEndBin: number;
  /** Frequencies of the shown bins (a view). */
  readonly displayFrequencyHz: Float64Array;
  /** Linear PSD per channel (full one-sided length), valid where `ready[c]`. */
  readonly psd: Float64Array[];
  /** Same, in dB, over the shown bins only. */
  readonly psdDb: Float64Array[];
  readonly ready: Uint8Array;
  /** Channel-averaged mains PSD (linear) of the last completed pass. */
  readonly mainsPsd: Float64Array;
  private mainsPsdValid = false;
  private readonly mainsAccumulator: Float64Array;
  private mainsAccumulated = 0;
  private readonly mainsChannels: Uint8Array;
  /** Channels left out of the mains average (1: railed, flat: their spectra would swamp it). */
  readonly excluded: Uint8Array;

  private readonly historyLength: number;
  private readonly history: Float32Array[];
  private writePos = 0;
  /** Samples in the history (saturates at historyLength). */
  private filled = 0;
  private settleRemaining = 0;
  private readonly unrolled: Float64Array;
  private readonly scratch: Float64Array;
  private readonly mainsScratch: Float64Array;

  /** Next channel of the pass in progress; −1 when no pass is running. */
  private passChannel = -1;
  /** Completed passes since construction. */
  passes = 0;
  /** Counts pushes (and resets), so a caller can skip a pass over unchanged data. */
  dataVersion = 0;

  constructor(channelCount: number, sampleRateHz: number) {
    this.channelCount = channelCount;
    this.sampleRateHz = sampleRateHz;
    const n = nearestPowerOfTwo(2 * sampleRateHz);
    this.segmentLength = n;
    this.display = new WelchEstimator(n, n / 2, sampleRateHz);
    this.mains = new WelchEstimator(2 * n, n, sampleRateHz);
    this.historyLength = 3 * n;
    this.history = Array.from({ length: channelCount }, () => new Float32Array(this.historyLength));
    this.unrolled = new Float64Array(this.historyLength);
    const freq = this.display.frequencyHz;
    let first = 0;
    while (first < freq.length && freq[first] < DISPLAY_MIN_HZ) first++;
    let end = first;
    const top = Math.min(DISPLAY_MAX_HZ, sampleRateHz / 2);
    while (end < freq.length && freq[end] <= top + 1e-9) end++;
    this.displayFirstBin = first;
    this.displayEndBin = end;
    this.displayFrequencyHz = freq.subarray(first, end);
    const bins = freq.length;
    this.psd = Array.from({ length: channelCount }, () => new Float64Array(bins));
    this.psdDb = Array.from({ length: channelCount }, () => new Float64Array(end - first).fill(NaN));
    this.ready = new Uint8Array(channelCount);
    const mainsBins = this.mains.frequencyHz.length;
    this.mainsPsd = new Float64Array(mainsBins);
    this.mainsAccumulator = new Float64Array(mainsBins);
    this.scratch = new Float64Array(bins);
    this.mainsScratch = new Float64Array(mainsBins);
    this.mainsChannels = new Uint8Array(channelCount);
    this.excluded = new Uint8Array(channelCount);
    const used = Math.min(channelCount, MAINS_MAX_CHANNELS);
    for (let i = 0; i < used; i++) this.mainsChannels[Math.floor((i * channelCount) / used)] = 1;
  }

  /** Frequencies of the full display PSD. */
  get frequencyHz(): Float64Array {
    return this.display.frequencyHz;
  }

  get mainsFrequencyHz(): Float64Array {
    return this.mains.frequencyHz;
  }

  /** Seconds of data in the history. */
  get bufferedSec(): number {
    return this.filled / this.sampleRateHz;
  }

  /** Forgets the history (new filters): the next `settleSec` of data is skipped. */
  reset(settleSec = SETTLE_SEC): void {
    this.filled = 0;
    this.writePos = 0;
    this.settleRemaining = Math.round(settleSec * this.sampleRateHz);
    this.passChannel = -1;
    this.ready.fill(0);
    for (const db of this.psdDb) db.fill(NaN);
    this.mainsPsdValid = false;
    this.dataVersion++;
  }

  /** True when at least one channel has a spectrum (since the last reset). */
  get hasResult(): boolean {
    return this.ready.some((r) => r === 1);
  }

  push(samples: Float32Array | Float64Array, channelCount: number, sampleCount: number): void {
    if (channelCount !== this.channelCount) return;
    let r = 0;
    if (this.settleRemaining > 0) {
      r = Math.min(sampleCount, this.settleRemaining);
      this.settleRemaining -= r;
    }
    const kept = sampleCount - r;
    const H = this.historyLength;
    const C = channelCount;
    let pos = this.writePos;
    for (let i = r * C; r < sampleCount; r++) {
      for (let c = 0; c < C; c++, i++) {
        const v = samples[i];
        this.history[c][pos] = v === v ? v : 0;
      }
      if (++pos === H) pos = 0;
    }
    this.writePos = pos;
    this.filled = Math.min(H, this.filled + kept);
    this.dataVersion++;
  }

  /** True when at least one display segment is buffered. */
  get canCompute(): boolean {
    return this.filled >= this.segmentLength;
  }

  get passRunning(): boolean {
    return this.passChannel >= 0;
  }

  /** Starts a pass over all channels; false when there is not yet a segment of data. */
  beginPass(): boolean {
    if (!this.canCompute) return false;
    this.passChannel = 0;
    this.mainsAccumulator.fill(0);
    this.mainsAccumulated = 0;
    return true;
  }

  /**
   * Computes channels of the running pass until `budgetMs` has elapsed (at least one channel).
   * Returns true when this call completed the pass.
   */
  advance(budgetMs: number, now: () => number = () => performance.now()): boolean {
    if (this.passChannel < 0) return false;
    const start = now();
    do {
      this.computeChannel(this.passChannel);
      this.passChannel++;
    } while (this.passChannel < this.channelCount && now() - start < budgetMs);
    if (this.passChannel < this.channelCount) return false;
    this.passChannel = -1;
    if (this.mainsAccumulated > 0) {
      const inv = 1 / this.mainsAccumulated;
      for (let k = 0; k < this.mainsPsd.length; k++) this.mainsPsd[k] = this.mainsAccumulator[k] * inv;
      this.mainsPsdValid = true;
    }
    this.passes++;
    return true;
  }

  /** A whole pass at once (tests, small montages). */
  computeAll(): boolean {
    if (!this.beginPass()) return false;
    return this.advance(Infinity);
  }

  /** Mains peak over floor for f₀ (dB), or null when not measurable yet. */
  mainsReadout(mainsHz: number): MainsReadout {
    if (!this.mainsPsdValid) return { frequencyHz: mainsHz, db: null };
    return { frequencyHz: mainsHz, db: mainsPeakDb(this.mains.frequencyHz, this.mainsPsd, mainsHz, this.mainsScratch) };
  }

  /**
   * Mean linear PSD over the given channels (those with a result) into out (full length); returns
   * how many channels it averaged (0: out is all NaN).
   */
  meanPsd(channels: ArrayLike<number>, out: Float64Array): number {
    out.fill(0);
    let n = 0;
    for (let i = 0; i < channels.length; i++) {
      const c = channels[i];
      if (!this.ready[c]) continue;
      const p = this.psd[c];
      for (let k = 0; k < out.length; k++) out[k] += p[k];
      n++;
    }
    if (n > 0) for (let k = 0; k < out.length; k++) out[k] /= n;
    else out.fill(NaN);
    return n;
  }

  /** dB of the shown bins of a full-length linear PSD. */
  toDisplayDb(psd: Float64Array, out: Float64Array): void {
    for (let k = this.displayFirstBin, j = 0; k < this.displayEndBin; k++, j++) {
      const p = psd[k];
      out[j] = p === p ? 10 * Math.log10(Math.max(POWER_FLOOR, p)) : NaN;
    }
  }

  private computeChannel(c: number): void {
    const H = this.historyLength;
    const available = this.filled;
    // unroll the ring so the newest sample is last: unrolled[H - available .. H)
    const ring = this.history[c];
    const x = this.unrolled;
    let src = this.writePos - available;
    if (src < 0) src += H;
    for (let i = H - available; i < H; i++) {
      x[i] = ring[src];
      if (++src === H) src = 0;
    }
    const n = this.segmentLength;
    const displayLength = Math.min(available, 2 * n);
    this.display.compute(x, H - displayLength, displayLength, this.psd[c]);
    this.toDisplayDb(this.psd[c], this.psdDb[c]);
    this.ready[c] = 1;
    if (this.mainsChannels[c] && !this.excluded[c]) {
      if (available >= 2 * n) {
        this.mains.compute(x, H - available, available, this.mainsScratch);
        const acc = this.mainsAccumulator;
        for (let k = 0; k < acc.length; k++) acc[k] += this.mainsScratch[k];
        this.mainsAccumulated++;
      }
    }
  }
}
