// The LSL panel: a switch per outlet (raw EEG, filtered EEG, predictions, markers) published on
// the Lab Streaming Layer while a board streams, each outlet's name as LabRecorder lists it, and
// the engine's sentence when liblsl is missing or an outlet stopped.

import { LSL_OUTLET_KINDS, type LslOutletKind, type LslOutletsState } from '../../../electron/common/contract/lsl.js';

const LABELS: Readonly<Record<LslOutletKind, string>> = { raw: 'Raw EEG', filtered: 'Filtered EEG', predictions: 'Predictions', markers: 'Markers' };

interface Props {
  readonly state: LslOutletsState | null;
  readonly error: string | null;
  readonly busy: boolean;
  readonly disabled: boolean;
  readonly onToggle: (kind: LslOutletKind, on: boolean) => void;
}

export function LslPanel({ state, error, busy, disabled, onToggle }: Props) {
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
      {error ? (
        <p className="form-error" role="alert" data-testid="lsl-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
