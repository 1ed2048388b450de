// Small pure helpers for the workstation's view: the 1-2-5 scale ladder, the URL's autostart
// request, and the status bar's number formats. No DOM (the URL comes in as a string).

import type { BoardOptions } from '../../electron/common/contract/board-options.js';

/** µV per division, 1-2-5 steps. */
export const SCALE_STEPS_UV: readonly number[] = Object.freeze([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000]);
export const DEFAULT_SCALE_UV = 100;
export const WINDOW_CHOICES_SEC: readonly number[] = Object.freeze([5, 10, 20]);
export const DEFAULT_WINDOW_SEC = 10;

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

export interface AutostartRequest {
  readonly options: BoardOptions;
}

/**
 * `?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60` → what to connect and start, or
 * null when the page was not asked to. Out-of-range numbers are dropped (the board's defaults
 * apply); the engine validates again.
 */
export function parseAutostart(search: string): AutostartRequest | null {
  const q = new URLSearchParams(search);
  const board = q.get('autostart');
  if (!board) return null;
  const options: { -readonly [K in keyof BoardOptions]: BoardOptions[K] } = { board };
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = q.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const v = Number(raw);
    return Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  };
  const channelCount = int('channels', 1, 64);
  if (channelCount !== undefined) options.channelCount = channelCount;
  const sampleRateHz = int('rate', 100, 1000);
  if (sampleRateHz !== undefined) options.sampleRateHz = sampleRateHz;
  const seed = int('seed', 0, 0xffffffff);
  if (seed !== undefined) options.seed = seed;
  const mode = q.get('mode');
  if (mode === 'rest' || mode === 'mi') options.mode = mode;
  const mains = q.get('mains');
  if (mains === '50' || mains === '60') options.mainsHz = Number(mains) as 50 | 60;
  return { options };
}

/** "250.0 Hz"; "—" when there is no rate yet. */
export function formatRate(hz: number): string {
  return Number.isFinite(hz) && hz > 0 ? `${hz.toFixed(1)} Hz` : '— Hz';
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0);
}

export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)}%` : '—';
}

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  const s = Math.floor(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** µV² with a sensible number of digits. */
export function formatPower(uv2: number): string {
  if (!Number.isFinite(uv2)) return '—';
  if (uv2 >= 1000) return uv2.toFixed(0);
  if (uv2 >= 10) return uv2.toFixed(1);
  return uv2.toFixed(2);
}

/** "+23.4 dB" */
export function formatDb(db: number): string {
  return `${db >= 0 ? '+' : '−'}${Math.abs(db).toFixed(1)} dB`;
}
