// How figures read on screen, for the status bar and every panel: rates, milliseconds, percents,
// durations, counts, powers, decibels, a path's file name and an error's message. Pure, no DOM.

/** The message of anything thrown (an Error's message, else its string). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** The last part of a path, whichever separator the engine's machine uses. */
export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
