// The recordings library's table, pure: the columns an operator sorts by, the text filter (every
// word must match some column: "S07 motor" finds subject S07's motor runs), and the cells written
// for people (durations in minutes and seconds, sizes in MB, dates in the local clock).

import type { LibraryEntry } from '../../../electron/common/contract/library.js';

export type LibraryColumn = 'subject' | 'session' | 'task' | 'run' | 'date' | 'duration' | 'channels' | 'events' | 'size' | 'state';

export interface LibrarySort {
  readonly column: LibraryColumn;
  readonly descending: boolean;
}

export const LIBRARY_COLUMNS: readonly { readonly key: LibraryColumn; readonly title: string; readonly numeric: boolean }[] = [
  { key: 'subject', title: 'Subject', numeric: false },
  { key: 'session', title: 'Session', numeric: false },
  { key: 'task', title: 'Task', numeric: false },
  { key: 'run', title: 'Run', numeric: true },
  { key: 'date', title: 'Date', numeric: false },
  { key: 'duration', title: 'Duration', numeric: true },
  { key: 'channels', title: 'Channels', numeric: true },
  { key: 'events', title: 'Events', numeric: true },
  { key: 'size', title: 'Size', numeric: true },
  { key: 'state', title: 'State', numeric: false },
];

/** Newest first, as the engine lists them. */
export const DEFAULT_SORT: LibrarySort = { column: 'date', descending: true };

/** The moment of a recording: its start, or the file's time when the file does not say. */
export const entryTime = (e: LibraryEntry): string => e.startTime ?? e.modifiedAt;

/** A name for an entry that always says something (another tool's file has no subject). */
export const entryName = (e: LibraryEntry): string => e.relativePath.split('/').pop() ?? e.path;

function sortValue(e: LibraryEntry, column: LibraryColumn): string | number | null {
  switch (column) {
    case 'subject':
      return e.subject ?? entryName(e);
    case 'session':
      return e.session;
    case 'task':
      return e.task;
    case 'run':
      return e.run;
    case 'date':
      return entryTime(e);
    case 'duration':
      return e.durationSec;
    case 'channels':
      return e.channels;
    case 'events':
      return e.events;
    case 'size':
      return e.sizeBytes;
    case 'state':
      return stateText(e);
  }
}

/** Sorted by a column; entries without a value go last either way; ties keep the engine's order. */
export function sortEntries(entries: readonly LibraryEntry[], sort: LibrarySort): LibraryEntry[] {
  const sign = sort.descending ? -1 : 1;
  return entries
    .map((entry, index) => ({ entry, index, value: sortValue(entry, sort.column) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value), undefined, { numeric: true, sensitivity: 'base' });
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map((x) => x.entry);
}

/** Clicking a column: that column ascending, or the other way round when it is already sorted by. */
export function nextSort(current: LibrarySort, column: LibraryColumn): LibrarySort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column === 'date' };
}

/** Entries whose text has every word of the filter (case-insensitive). */
export function filterEntries(entries: readonly LibraryEntry[], filter: string): LibraryEntry[] {
  const words = filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const text = [e.subject, e.session, e.task, e.run === null ? null : `run ${e.run}`, e.mode, e.protocolId, e.relativePath, e.format, stateText(e), checksumText(e)]
      .filter((v) => v !== null)
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function durationText(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  const whole = Math.round(sec);
  if (whole < 60) return `${sec < 10 && sec !== whole ? sec.toFixed(1) : whole} s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** A local date and time, to the minute (YYYY-MM-DD HH:MM). */
export function dateText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function stateText(e: LibraryEntry): string {
  switch (e.state) {
    case 'complete':
      return 'complete';
    case 'unfinished':
      return 'unfinished';
    case 'recording':
      return 'recording now';
    case 'unreadable':
      return 'unreadable';
  }
}

export function checksumText(e: LibraryEntry): string {
  switch (e.checksum) {
    case 'verified':
      return 'checksum verified';
    case 'mismatch':
      return 'checksum MISMATCH';
    case 'unverified':
      return 'checksum not verified';
    case 'missing':
      return 'no checksum';
  }
}

/** What can be done with an entry: open it for replay, verify, repair. */
export function entryActions(e: LibraryEntry): { open: boolean; verify: boolean; repair: boolean } {
  return {
    open: e.state === 'complete' || (e.state === 'unfinished' && !e.ours),
    verify: e.state !== 'recording' && (e.checksum === 'unverified' || e.checksum === 'verified' || e.checksum === 'mismatch'),
    repair: e.state === 'unfinished' && /\.(bdf|edf)$/i.test(e.path),
  };
}
