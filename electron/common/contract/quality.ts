// Signal quality as the pipeline worker reports it: one small summary per channel for every
// second of samples (windows aligned on sample indices, so a replay at any speed gives the same
// summaries). What the channel labels' traffic lights, the alert rules and the assistive mode's
// quality gate read.

export const QUALITY_LEVELS = ['good', 'fair', 'bad', 'unknown'] as const;
/** good: usable; fair: usable with care (mains, artefacts, large RMS); bad: railed or flat; unknown: not EEG, or no samples. */
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

export interface ChannelQuality {
  readonly level: QualityLevel;
  /** A raw value reached 95 % of the channel's full scale (an electrode off, a saturated input). */
  readonly railed: boolean;
  /** The raw signal's standard deviation was below 0.1 µV (a powered-down or shorted input). */
  readonly flat: boolean;
  /** RMS after the quality filter (1-40 Hz band-pass), µV. */
  readonly rmsUv: number;
  /** RMS of the mains line (50 or 60 Hz, the larger) over the RMS of the raw signal without its mean, 0..1. */
  readonly lineNoiseRatio: number;
  /** The largest peak-to-peak of a 0.25 s segment after the quality filter, µV. */
  readonly peakToPeakUv: number;
  /** 0.25 s segments whose peak-to-peak after the quality filter exceeded the artefact threshold. */
  readonly artefactSegments: number;
}

export interface QualitySummary {
  /** The window's first sample index (a multiple of windowRows). */
  readonly firstSampleIndex: number;
  /** The window's length in rows (one second). */
  readonly windowRows: number;
  /** Rows of the window that arrived (windowRows minus the lost ones, fewer when the stream ended inside it). */
  readonly rows: number;
  /** Rows of the window lost (device gaps, reader overflows). */
  readonly lostRows: number;
  /** Per stream channel, in the stream's order. */
  readonly channels: readonly ChannelQuality[];
}

/** Thresholds of the quality levels (the worker's defaults). */
export interface QualityThresholds {
  /** Peak-to-peak of a 0.25 s segment after the quality filter counted as an artefact (µV). */
  readonly artefactUv: number;
  /** Line-noise ratio above which a channel is fair. */
  readonly lineNoiseFair: number;
  /** RMS above which a channel is fair (µV). */
  readonly rmsFairUv: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = Object.freeze({ artefactUv: 150, lineNoiseFair: 0.5, rmsFairUv: 100 });

/** The worst level among some channels (by stream index): what a quality gate checks. Unknown counts as bad. */
export function worstLevel(summary: QualitySummary, channels: readonly number[]): QualityLevel {
  let worst = 0;
  const rank: Record<QualityLevel, number> = { good: 0, fair: 1, bad: 2, unknown: 2 };
  for (const c of channels) {
    const q = summary.channels[c];
    const r = q ? rank[q.level] : 2;
    if (r > worst) worst = r;
  }
  return worst === 0 ? 'good' : worst === 1 ? 'fair' : 'bad';
}
