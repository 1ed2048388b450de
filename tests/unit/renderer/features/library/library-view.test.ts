// The library table's logic: sorting (missing values last, ties in the engine's order), filtering
// by every word, the cells written for people, and which actions a row offers.
import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../../../../electron/common/contract/library.js';
import { DEFAULT_SORT, durationText, entryActions, filterEntries, nextSort, sizeText, sortEntries } from '../../../../../renderer/features/library/library-view.js';

const entry = (over: Partial<LibraryEntry>): LibraryEntry => ({
  path: '/d/x.bdf',
  relativePath: 'x.bdf',
  format: 'bdf',
  sizeBytes: 1000,
  modifiedAt: '2026-01-01T00:00:00.000Z',
  ours: true,
  subject: null,
  session: null,
  task: null,
  run: null,
  mode: null,
  protocolId: null,
  startTime: null,
  durationSec: null,
  channels: null,
  sampleRateHz: null,
  events: null,
  checksum: 'unverified',
  state: 'complete',
  problem: null,
  sidecars: [],
  ...over,
});

const a = entry({ path: '/d/a.bdf', relativePath: 'sub-S01/a.bdf', subject: 'S01', task: 'motor', run: 2, startTime: '2026-03-02T10:00:00Z', durationSec: 300, events: 40 });
const b = entry({ path: '/d/b.bdf', relativePath: 'sub-S10/b.bdf', subject: 'S10', task: 'rest', run: 10, startTime: '2026-03-01T10:00:00Z', durationSec: 60, state: 'unfinished', checksum: 'missing' });
const c = entry({ path: '/d/c.edf', relativePath: 'imports/c.edf', ours: false, format: 'edf', modifiedAt: '2026-03-03T00:00:00Z' });

describe('library view', () => {
  it('sorts newest first by default, numbers as numbers, and missing values last both ways', () => {
    expect(sortEntries([b, a, c], DEFAULT_SORT).map((e) => e.path)).toEqual(['/d/c.edf', '/d/a.bdf', '/d/b.bdf']);
    expect(sortEntries([b, a, c], { column: 'run', descending: false }).map((e) => e.path)).toEqual(['/d/a.bdf', '/d/b.bdf', '/d/c.edf']);
    expect(sortEntries([b, a, c], { column: 'run', descending: true }).map((e) => e.path)).toEqual(['/d/b.bdf', '/d/a.bdf', '/d/c.edf']);
    // subject S2 < S10 (numeric collation); another tool's file sorts by its name
    expect(sortEntries([b, a], { column: 'subject', descending: false }).map((e) => e.subject)).toEqual(['S01', 'S10']);
    expect(nextSort(DEFAULT_SORT, 'date')).toEqual({ column: 'date', descending: false });
    expect(nextSort(DEFAULT_SORT, 'task')).toEqual({ column: 'task', descending: false });
  });

  it('filters by every word over subject, task, run, path, state and checksum', () => {
    expect(filterEntries([a, b, c], 's01 motor').map((e) => e.path)).toEqual(['/d/a.bdf']);
    expect(filterEntries([a, b, c], 'unfinished').map((e) => e.path)).toEqual(['/d/b.bdf']);
    expect(filterEntries([a, b, c], 'imports').map((e) => e.path)).toEqual(['/d/c.edf']);
    expect(filterEntries([a, b, c], 'run 10').map((e) => e.path)).toEqual(['/d/b.bdf']);
    expect(filterEntries([a, b, c], '   ')).toHaveLength(3);
    expect(filterEntries([a, b, c], 'nothing-like-this')).toEqual([]);
  });

  it('writes durations and sizes for people', () => {
    expect(durationText(null)).toBe('—');
    expect(durationText(2.5)).toBe('2.5 s');
    expect(durationText(42)).toBe('42 s');
    expect(durationText(123)).toBe('2 min 03 s');
    expect(durationText(3 * 3600 + 5 * 60)).toBe('3 h 05 min');
    expect(sizeText(500)).toBe('500 B');
    expect(sizeText(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(sizeText(5.5 * 1024 ** 3)).toBe('5.50 GB');
  });

  it('offers open for what can be played, verify where a checksum exists, repair only for an unfinished BDF/EDF', () => {
    expect(entryActions(a)).toEqual({ open: true, verify: true, repair: false });
    expect(entryActions(b)).toEqual({ open: false, verify: false, repair: true });
    expect(entryActions(entry({ state: 'recording', checksum: 'missing' }))).toEqual({ open: false, verify: false, repair: false });
    expect(entryActions(entry({ state: 'unreadable', checksum: 'missing' }))).toEqual({ open: false, verify: false, repair: false });
    expect(entryActions(entry({ checksum: 'mismatch' })).verify).toBe(true);
  });
});
