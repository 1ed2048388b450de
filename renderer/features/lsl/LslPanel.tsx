// The LSL panel: a switch per outlet (raw EEG, filtered EEG, predictions, markers) published on
// the Lab Streaming Layer while a board streams, each outlet's name as LabRecorder lists it, and
// the engine's sentence when liblsl is missing or an outlet stopped; and the streams the engine's
// machine resolves (name, type, host, channels, rate), to take one as the board ("LSL stream" in
// the board picker, by name) or as markers.

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
}

export function LslPanel({ state, error, busy, disabled, onToggle, streams, searching, onSearch }: Props) {
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
            {streams.map((s) => (
              <li key={`${s.hostname}/${s.sourceId}/${s.name}`} title={`source_id ${s.sourceId || '(none)'}, ${s.channelFormat}`}>
                <strong>{s.name}</strong> {s.type} on {s.hostname}: {s.channelCount} ch, {s.nominalRateHz > 0 ? `${s.nominalRateHz} Hz` : 'irregular'}
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
