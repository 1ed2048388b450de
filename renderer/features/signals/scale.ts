// The time series' vertical scale and window: the 1-2-5 ladder of µV per division, stepping along
// it, autoscale to the median channel, the window choices, and the scale's label. Pure.

/** µV per division, 1-2-5 steps. */
export const SCALE_STEPS_UV: readonly number[] = Object.freeze([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000]);
export const DEFAULT_SCALE_UV = 100;
export const WINDOW_CHOICES_SEC: readonly number[] = Object.freeze([5, 10, 20]);

/** The step `steps` away from `current` on the ladder (snapping `current` onto it first). */
export function stepScale(current: number, steps: number): number {
  let i = SCALE_STEPS_UV.findIndex((s) => s >= current - 1e-9);
  if (i < 0) i = SCALE_STEPS_UV.length - 1;
  const j = Math.min(SCALE_STEPS_UV.length - 1, Math.max(0, i + steps));
  return SCALE_STEPS_UV[j];
}

/** The smallest scale on the ladder that holds a peak-to-peak of `p2p` in one division. */
export function scaleForPeakToPeak(p2p: number): number | null {
  if (!Number.isFinite(p2p) || p2p <= 0) return null;
  return SCALE_STEPS_UV.find((s) => s >= p2p) ?? SCALE_STEPS_UV[SCALE_STEPS_UV.length - 1];
}

/** A global scale fitting most channels: the ladder step over the median peak-to-peak. */
export function autoscaleGlobal(peakToPeaks: readonly number[]): number | null {
  const usable = peakToPeaks.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  if (usable.length === 0) return null;
  const m = usable.length >> 1;
  const median = usable.length % 2 ? usable[m] : 0.5 * (usable[m - 1] + usable[m]);
  return scaleForPeakToPeak(median);
}

export function formatScale(uv: number): string {
  if (uv >= 1000) return `${uv / 1000} mV`;
  return `${uv} µV`;
}
