// The event list: markers, cues, a replayed file's annotations and gaps, latest first, with their
// time from the stream's start and their sample index; counts per label (click one to show only
// it); during a replay a click on an event seeks there. The labels of marker hotkeys 1-9 are set
// here.

import { useState } from 'react';
import { formatEventTime, visibleEvents, type EventLogState } from './event-log.js';

/** Rows drawn at once (the log keeps more; the counts count everything). */
const SHOWN = 200;

interface Props {
  readonly log: EventLogState;
  readonly hotkeyText: string;
  readonly onHotkeyText: (text: string) => void;
  /** Seeks a replay to a time in seconds; null when the board cannot seek. */
  readonly onSeek: ((timeSec: number) => void) | null;
  readonly onClear: () => void;
}

export function EventListPanel({ log, hotkeyText, onHotkeyText, onSeek, onClear }: Props) {
  const [only, setOnly] = useState<string | null>(null);
  const labels = Object.keys(log.counts).sort();
  const shown = visibleEvents(log, only).slice(0, SHOWN);
  const total = Object.values(log.counts).reduce((a, b) => a + b, 0);
  return (
    <section className="panel event-panel" aria-labelledby="events-title" data-testid="event-list">
      <header className="panel-header">
        <h2 id="events-title">Events</h2>
        <span className="panel-note" data-testid="event-total">
          {total} event{total === 1 ? '' : 's'}
          {log.dropped > 0 ? ` (oldest ${log.dropped} scrolled out)` : ''}
        </span>
      </header>
      {labels.length > 0 && (
        <div className="event-counts" role="group" aria-label="Events per label: click to show one label only">
          {labels.map((l) => (
            <button key={l} type="button" className={only === l ? 'chip on' : 'chip'} aria-pressed={only === l} data-label={l} onClick={() => setOnly(only === l ? null : l)} title={`Show only ${l}`}>
              {l} <span className="event-count">{log.counts[l]}</span>
            </button>
          ))}
        </div>
      )}
      {shown.length === 0 ? (
        <p className="empty-note-inline">No events yet: markers (M, or 1-9 with the labels below), cues, annotations and gaps appear here.</p>
      ) : (
        <ol className="event-rows" aria-label="Events, latest first">
          {shown.map((e) => (
            <li key={e.id} className={`event-row ${e.source}`} data-testid="event-row" data-sample-index={e.sampleIndex} data-label={e.label}>
              {onSeek ? (
                <button type="button" className="event-seek" onClick={() => onSeek(e.timeSec)} title={`Seek the replay to ${formatEventTime(e.timeSec)}`}>
                  {formatEventTime(e.timeSec)}
                </button>
              ) : (
                <span className="event-time">{formatEventTime(e.timeSec)}</span>
              )}
              <span className="event-index" title="Sample index">
                #{e.sampleIndex}
              </span>
              <span className="event-label">{e.label}</span>
              <span className="event-source">{e.source === 'user' ? 'marker' : e.source === 'board' ? 'cue / file' : 'gap'}</span>
            </li>
          ))}
        </ol>
      )}
      <div className="event-actions">
        <label className="field grow">
          <span className="field-label">Marker keys 1-9</span>
          <input type="text" data-testid="hotkey-labels" value={hotkeyText} placeholder="e.g. left, right, rest" onChange={(e) => onHotkeyText(e.target.value)} aria-label="Labels of the marker keys 1 to 9, separated by commas" spellCheck={false} />
        </label>
        <button type="button" className="btn small" onClick={onClear} disabled={total === 0} title="Empty this list (the recording keeps its events)">
          Clear list
        </button>
      </div>
    </section>
  );
}
