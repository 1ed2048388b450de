// The event list's model: events by sample index with their time, counts per label that keep
// counting past the cap, gap labels, a filter by label, hotkey labels.
import { describe, expect, it } from 'vitest';
import { EMPTY_EVENT_LOG, MAX_LOGGED_EVENTS, formatEventTime, gapLabel, hotkeyLabels, logEvent, visibleEvents } from '../../../../../renderer/features/events/event-log.js';

describe('event log', () => {
  it('logs markers, cues and gaps with their time, latest first, and counts them per label', () => {
    let log = EMPTY_EVENT_LOG;
    log = logEvent(log, { sampleIndex: 250, label: 'left', source: 'board' }, 250);
    log = logEvent(log, { sampleIndex: 1000, label: 'M1', source: 'user' }, 250);
    log = logEvent(log, { sampleIndex: 500, label: 'left', source: 'board' }, 250);
    log = logEvent(log, { sampleIndex: 750, label: gapLabel(12), source: 'gap' }, 250);
    expect(log.counts).toEqual({ left: 2, M1: 1, 'gap: 12 samples lost': 1 });
    expect(visibleEvents(log, null).map((e) => e.sampleIndex)).toEqual([1000, 750, 500, 250]);
    expect(visibleEvents(log, 'left').map((e) => e.timeSec)).toEqual([2, 1]);
    expect(gapLabel(1)).toBe('gap: 1 sample lost');
  });

  it('keeps the latest entries past its cap, and the counts of everything', () => {
    let log = EMPTY_EVENT_LOG;
    for (let i = 0; i < MAX_LOGGED_EVENTS + 5; i++) log = logEvent(log, { sampleIndex: i, label: 'x', source: 'user' }, 100);
    expect(log.entries).toHaveLength(MAX_LOGGED_EVENTS);
    expect(log.entries[0].sampleIndex).toBe(5);
    expect(log.dropped).toBe(5);
    expect(log.counts.x).toBe(MAX_LOGGED_EVENTS + 5);
  });

  it('formats times and the hotkey labels', () => {
    expect(formatEventTime(12.3456)).toBe('0:12.346');
    expect(formatEventTime(3725.5)).toBe('1:02:05.500');
    expect(hotkeyLabels('left, right,, rest')).toEqual(['left', 'right', '3', 'rest', '5', '6', '7', '8', '9']);
    expect(hotkeyLabels('')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
