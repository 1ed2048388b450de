// The LSL panel: a switch per outlet (raw EEG, filtered EEG, predictions, markers) published on
// the Lab Streaming Layer while a board streams, each outlet's name as LabRecorder lists it, and
// the engine's sentence when liblsl is missing or an outlet stopped; and the streams the engine's
// machine resolves (name, type, host, channels, rate), each signal stream with "Use as board"
// (the board picker's "LSL stream", set to that stream's source_id, or its name when it has none),
// and each marker stream with "Take markers" (into the connected board's session).

import { LSL_OUTLET_KINDS, type LslOutletKind, type LslOutletsState, type LslStreamSummary } from '../../../electron/common/contract/lsl.js';

const LABELS: Readonly<Record<LslOutletKind, string>> = { raw: 'Raw EEG', filtered: 'Filtered EEG', predictions: 'Predictions', markers: 'Markers' };

interface Props {
  readonly state: LslOutletsState | null;
  readonly error: string | null;
  readonly busy: boolean;
  readonly disabled: boolean;
  readonly onToggle: (kind: LslOutletKind, on: boolean) => void;
  readonly streams: readonly LslStreamSummary[] | null;
  readonly searching: boolean;
  readonly onSearch: () => void;
  /** Sets the board picker to this stream (only while no board is connected). */
  readonly onUseAsBoard?: (selector: string) => void;
  readonly canUseAsBoard?: boolean;
  /** Takes this marker stream's markers into the connected board's session. */
  readonly onTakeMarkers?: (selector: string) => void;
  readonly canTakeMarkers?: boolean;
  /** Marker streams already taken (by selector). */
  readonly takenMarkers?: readonly string[];
}

/** How the picker and `addLslMarkers` name a stream: its source_id (stable across restarts), else its name. */
export function lslStreamSelector(s: LslStreamSummary): string {
  return s.sourceId ? `source_id=${s.sourceId}` : s.name;
}

/** Whether a stream carries markers (strings, or type Markers) rather than a signal. */
export function isMarkerStream(s: LslStreamSummary): boolean {
  return s.channelFormat === 'string' || s.type.toLowerCase() === 'markers';
}

export function LslPanel({ state, error, busy, disabled, onToggle, streams, searching, onSearch, onUseAsBoard, canUseAsBoard, onTakeMarkers, canTakeMarkers, takenMarkers = [] }: Props) {
  return (
    <section className="panel lsl-panel" aria-labelledby="lsl-title" data-testid="lsl-panel">
      <header className="panel-header">
        <h2 id="lsl-title">Lab Streaming Layer</h2>
        <span className="panel-note">publish while streaming</span>
      </header>
      <div className="lsl-outlets">
        {LSL_OUTLET_KINDS.map((kind) => {
          const outlet = state?.outlets.find((o) => o.kind === kind);
          return (
            <label key={kind} className="check" title={outlet ? `${outlet.name} (${outlet.type}), source_id ${outlet.sourceId}` : undefined}>
              <input type="checkbox" data-testid={`lsl-${kind}`} checked={state?.wanted[kind] ?? false} disabled={busy || disabled || state === null} onChange={(e) => onToggle(kind, e.target.checked)} />
              <span>{LABELS[kind]}</span>
              {outlet ? <span className="panel-note">{outlet.name}</span> : null}
            </label>
          );
        })}
      </div>
      <div className="lsl-streams">
        <button type="button" className="btn" data-testid="lsl-search" disabled={disabled || searching} onClick={onSearch}>
          {searching ? 'Searching…' : 'Find LSL streams'}
        </button>
        {streams && streams.length === 0 ? <p className="panel-note">No LSL streams found.</p> : null}
        {streams && streams.length > 0 ? (
          <ul className="lsl-stream-list" data-testid="lsl-streams">
            {streams.map((s, i) => (
              <li key={`${s.hostname}/${s.sourceId}/${s.name}`} title={`source_id ${s.sourceId || '(none)'}, ${s.channelFormat}`} data-testid={`lsl-stream-${i}`}>
                <strong>{s.name}</strong> {s.type} on {s.hostname}: {s.channelCount} ch, {s.nominalRateHz > 0 ? `${s.nominalRateHz} Hz` : 'irregular'}{' '}
                {isMarkerStream(s)
                  ? onTakeMarkers && (
                      <button
                        type="button"
                        className="btn small"
                        data-testid={`lsl-take-markers-${i}`}
                        disabled={disabled || !canTakeMarkers || takenMarkers.includes(lslStreamSelector(s))}
                        title={canTakeMarkers ? 'Put its markers into this session' : 'Connect a board first'}
                        onClick={() => onTakeMarkers(lslStreamSelector(s))}
                      >
                        {takenMarkers.includes(lslStreamSelector(s)) ? 'Markers taken' : 'Take markers'}
                      </button>
                    )
                  : onUseAsBoard && (
                      <button type="button" className="btn small" data-testid={`lsl-use-${i}`} disabled={disabled || !canUseAsBoard} title={canUseAsBoard ? 'Choose it in the board picker, then Connect' : 'Disconnect the board first'} onClick={() => onUseAsBoard(lslStreamSelector(s))}>
                        Use as board
                      </button>
                    )}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="lsl-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
