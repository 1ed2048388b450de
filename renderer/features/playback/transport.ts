// The playback transport's pure side: the mm:ss.s clock, the timeline's mapping between
// seconds and pixels, event ticks merged per pixel bin (a file may hold thousands of events), the
// keyboard steps of the timeline slider, and the typed transport commands (`controlPlayback`:
// pause, resume, seek, speed, loop). No DOM.

import { playbackCommandSchema, type PlaybackCommand } from '../../../electron/common/contract/playback.js';
import type { PlaybackState } from '../../../electron/common/contract/status.js';

/** A playback speed as the status reports it: times real time, or max. */
export type PlaybackSpeed = PlaybackState['speed'];

/** "1:02.3" (m:ss.s), "1:02:03.4" past an hour; tenths are truncated so the clock never runs ahead. */
export function formatClock(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–:––.–';
  const tenths = Math.floor(sec * 10 + 1e-6);
  const t = tenths % 10;
  const whole = Math.floor(tenths / 10);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}.${t}` : `${m}:${two(s)}.${t}`;
}

/** Where a time sits on the timeline, 0..1 (0 for an empty recording). */
export function fractionOf(sec: number, durationSec: number): number {
  if (!(durationSec > 0) || !Number.isFinite(sec)) return 0;
  return Math.min(1, Math.max(0, sec / durationSec));
}

/** The time at a point of the timeline, clamped to the recording, to the millisecond. */
export function timeAtOffset(offsetPx: number, widthPx: number, durationSec: number): number {
  if (!(widthPx > 0) || !(durationSec > 0) || !Number.isFinite(offsetPx)) return 0;
  const f = Math.min(1, Math.max(0, offsetPx / widthPx));
  return Math.round(f * durationSec * 1000) / 1000;
}

export interface TimelineEvent {
  readonly onsetSec: number;
  readonly label: string;
}

/** One tick on the timeline: the events that fall within a few pixels of each other. */
export interface EventTick {
  /** 0..1 along the timeline (the first event of the group). */
  readonly fraction: number;
  readonly onsetSec: number;
  /** Up to MAX_TICK_LABELS labels, in time order. */
  readonly labels: readonly string[];
  /** How many events the tick stands for. */
  readonly count: number;
}

export const MAX_TICK_LABELS = 6;

/**
 * Events as ticks: sorted by time, events closer than `minGapPx` merged into one tick, so a file
 * with thousands of events draws at most one tick per few pixels. Events outside the recording
 * are dropped.
 */
export function eventTicks(events: readonly TimelineEvent[], durationSec: number, widthPx: number, minGapPx = 5): EventTick[] {
  if (!(durationSec > 0) || events.length === 0) return [];
  const width = widthPx > 0 ? widthPx : 1000;
  const sorted = events.filter((e) => Number.isFinite(e.onsetSec) && e.onsetSec >= 0 && e.onsetSec <= durationSec).sort((a, b) => a.onsetSec - b.onsetSec);
  const ticks: { fraction: number; onsetSec: number; labels: string[]; count: number }[] = [];
  for (const e of sorted) {
    const fraction = e.onsetSec / durationSec;
    const last = ticks[ticks.length - 1];
    if (last && (fraction - last.fraction) * width < minGapPx) {
      last.count++;
      if (last.labels.length < MAX_TICK_LABELS) last.labels.push(e.label);
      continue;
    }
    ticks.push({ fraction, onsetSec: e.onsetSec, labels: [e.label], count: 1 });
  }
  return ticks;
}

/** A tick's hover text: "M1 at 0:02.5", or "3 events from 0:02.5: A, B, C". */
export function tickTitle(tick: EventTick): string {
  if (tick.count === 1) return `${tick.labels[0]} at ${formatClock(tick.onsetSec)}`;
  const more = tick.count > tick.labels.length ? `, … (${tick.count - tick.labels.length} more)` : '';
  return `${tick.count} events from ${formatClock(tick.onsetSec)}: ${tick.labels.join(', ')}${more}`;
}

/** The tick nearest to a point of the timeline within `tolerancePx`, or null. */
export function tickNear(ticks: readonly EventTick[], offsetPx: number, widthPx: number, tolerancePx = 4): EventTick | null {
  if (!(widthPx > 0)) return null;
  let best: EventTick | null = null;
  let bestDistance = tolerancePx;
  for (const t of ticks) {
    const d = Math.abs(t.fraction * widthPx - offsetPx);
    if (d <= bestDistance) {
      best = t;
      bestDistance = d;
    }
  }
  return best;
}

/** Where a key on the focused timeline moves the position (seconds), or null for other keys. */
export function keySeek(key: string, shiftKey: boolean, positionSec: number, durationSec: number): number | null {
  const step = shiftKey ? 10 : 1;
  let target: number;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      target = positionSec - step;
      break;
    case 'ArrowRight':
    case 'ArrowUp':
      target = positionSec + step;
      break;
    case 'PageDown':
      target = positionSec - 10;
      break;
    case 'PageUp':
      target = positionSec + 10;
      break;
    case 'Home':
      target = 0;
      break;
    case 'End':
      target = durationSec;
      break;
    default:
      return null;
  }
  return Math.round(Math.min(Math.max(0, durationSec), Math.max(0, target)) * 1000) / 1000;
}

export const PAUSE: PlaybackCommand = Object.freeze({ action: 'pause' });
export const RESUME: PlaybackCommand = Object.freeze({ action: 'resume' });

/** Seek to a position, to the millisecond (negative or not a number: the start). */
export function seekCommand(sec: number): PlaybackCommand {
  const s = Math.max(0, Number.isFinite(sec) ? sec : 0);
  return { action: 'seek', positionSec: Number(s.toFixed(3)) };
}

/** A speed from the transport's select (a value of the board's speed field), or null when the contract refuses it. */
export function speedCommand(speed: unknown): PlaybackCommand | null {
  const parsed = playbackCommandSchema.safeParse({ action: 'speed', speed });
  return parsed.success ? parsed.data : null;
}

export function loopCommand(loop: boolean): PlaybackCommand {
  return { action: 'loop', loop };
}

/**
 * Whether the playhead may glide (a CSS transition) to a new position: only while playing at a
 * paced speed, forward, and by about one status interval's worth; never across a loop or a seek.
 */
export function shouldGlide(previousSec: number, nextSec: number, playing: boolean, speed: PlaybackSpeed, intervalSec = 0.25): boolean {
  if (!playing || speed === 'max') return false;
  const step = nextSec - previousSec;
  return step >= 0 && step <= 3 * intervalSec * speed + 0.05;
}
