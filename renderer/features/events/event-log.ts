// The event list's model: markers (the operator's and the board's cues), a replayed file's
// annotations and gaps in the stream, each with its sample index, its time from the stream's start
// and its source; counts per label; a cap so a long session stays light. Pure: no DOM, no engine.

export type EventSource = 'user' | 'board' | 'gap';

export interface LoggedEvent {
  /** Increasing id (React key). */
  readonly id: number;
  readonly sampleIndex: number;
  readonly timeSec: number;
  readonly label: string;
  readonly source: EventSource;
}

/** Entries kept (the oldest go first); counts per label keep counting. */
export const MAX_LOGGED_EVENTS = 2000;

export interface EventLogState {
  readonly entries: readonly LoggedEvent[];
  /** Per label, every event seen (not only the kept ones). */
  readonly counts: Readonly<Record<string, number>>;
  readonly dropped: number;
  readonly nextId: number;
}

export const EMPTY_EVENT_LOG: EventLogState = { entries: [], counts: {}, dropped: 0, nextId: 1 };

/** The log with one more event (in arrival order; the list sorts by sample index when shown). */
export function logEvent(log: EventLogState, event: { sampleIndex: number; label: string; source: EventSource }, sampleRateHz: number): EventLogState {
  const entry: LoggedEvent = { id: log.nextId, sampleIndex: event.sampleIndex, timeSec: event.sampleIndex / sampleRateHz, label: event.label, source: event.source };
  const over = log.entries.length + 1 - MAX_LOGGED_EVENTS;
  const entries = over > 0 ? [...log.entries.slice(over), entry] : [...log.entries, entry];
  return { entries, counts: { ...log.counts, [event.label]: (log.counts[event.label] ?? 0) + 1 }, dropped: log.dropped + Math.max(0, over), nextId: log.nextId + 1 };
}

/** A gap's label from the samples lost since the last status ("gap: 12 samples lost"). */
export function gapLabel(samples: number): string {
  return `gap: ${samples} sample${samples === 1 ? '' : 's'} lost`;
}

/** Entries to show: those of `label` (or all), latest first. */
export function visibleEvents(log: EventLogState, label: string | null): LoggedEvent[] {
  const list = label === null ? [...log.entries] : log.entries.filter((e) => e.label === label);
  return list.sort((a, b) => b.sampleIndex - a.sampleIndex || b.id - a.id);
}

/** "12.345 s" → "0:12.345"; hours when needed. */
export function formatEventTime(sec: number): string {
  const sign = sec < 0 ? '−' : '';
  const s = Math.abs(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(3).padStart(6, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${rest}` : `${sign}${m}:${rest}`;
}

/** Hotkey labels 1-9 from the text the operator typed ("left, right, rest"): empty entries fall back to the key's digit. */
export function hotkeyLabels(text: string): string[] {
  const parts = text.split(',').map((p) => p.trim());
  return Array.from({ length: 9 }, (_, i) => (parts[i] && parts[i] !== '' ? parts[i].slice(0, 64) : String(i + 1)));
}
