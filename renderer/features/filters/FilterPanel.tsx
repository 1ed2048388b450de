// The filter panel: notch, band-pass (presets or custom edges), order, common average. Selects
// and the checkbox apply at once; custom edges apply with Enter or the Apply button. It always
// shows the pipeline the engine runs, and the host's reason when a change is refused. The filters
// apply to the ExG channels (EEG, EMG, EOG, ECG; contract/pipeline.ts): the panel says so, since an
// accelerometer or aux trace beside them is shown as it comes.

import { useState, type FormEvent } from 'react';
import { describePipeline, type PipelineDescription } from '../../../electron/common/contract/pipeline.js';
import { BAND_PRESETS, CUSTOM_BAND, type FilterForm, type NotchChoice } from './filter-form.js';

interface Props {
  readonly form: FilterForm;
  readonly others: readonly string[];
  readonly active: PipelineDescription | null;
  readonly error: string | null;
  readonly busy: boolean;
  readonly sampleRateHz: number | null;
  /** Apply a changed form (the parent sends setPipeline). */
  readonly onApply: (form: FilterForm) => void;
}

export function FilterPanel({ form, others, active, error, busy, sampleRateHz, onApply }: Props) {
  const [draftLow, setDraftLow] = useState<string | null>(null);
  const [draftHigh, setDraftHigh] = useState<string | null>(null);
  /** "Custom…" chosen but not applied yet: show the edge fields, change nothing. */
  const [editingCustom, setEditingCustom] = useState(false);
  const low = draftLow ?? form.customLowHz;
  const high = draftHigh ?? form.customHighHz;
  const custom = editingCustom || form.band === CUSTOM_BAND;

  const applyCustom = (e?: FormEvent) => {
    e?.preventDefault();
    onApply({ ...form, band: CUSTOM_BAND, customLowHz: low, customHighHz: high });
    setDraftLow(null);
    setDraftHigh(null);
    // the fields stay open: if the host refuses the band, it can be corrected right there
  };

  const chooseBand = (value: string) => {
    if (value === CUSTOM_BAND) {
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    onApply({ ...form, band: value });
  };

  return (
    <section className="panel filter-panel" aria-labelledby="filters-title">
      <header className="panel-header">
        <h2 id="filters-title">Filters</h2>
        {sampleRateHz ? <span className="panel-note">Nyquist {sampleRateHz / 2} Hz</span> : null}
      </header>
      <div className="filter-grid">
        <label className="field">
          <span className="field-label">Notch</span>
          <select data-testid="notch-select" value={form.notch} disabled={busy} onChange={(e) => onApply({ ...form, notch: e.target.value as NotchChoice })} title="Mains notch (N cycles)">
            <option value="off">Off</option>
            <option value="50">50 Hz</option>
            <option value="60">60 Hz</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Band-pass</span>
          <select data-testid="bandpass-select" value={custom ? CUSTOM_BAND : form.band} disabled={busy} onChange={(e) => chooseBand(e.target.value)}>
            {BAND_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
            <option value={CUSTOM_BAND}>Custom…</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Order</span>
          <select value={form.order} disabled={busy} onChange={(e) => onApply({ ...form, order: Number(e.target.value) })} title="Butterworth order of the band-pass / high-pass / low-pass">
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={form.car} disabled={busy} onChange={(e) => onApply({ ...form, car: e.target.checked })} />
          <span>Common average reference (EEG channels)</span>
        </label>
      </div>
      {custom && (
        <form className="custom-band" onSubmit={applyCustom}>
          <label className="field">
            <span className="field-label">Low (Hz)</span>
            <input type="text" inputMode="decimal" value={low} placeholder="off" onChange={(e) => setDraftLow(e.target.value)} aria-label="Custom high-pass edge in Hz (empty: none)" />
          </label>
          <label className="field">
            <span className="field-label">High (Hz)</span>
            <input type="text" inputMode="decimal" value={high} placeholder="off" onChange={(e) => setDraftHigh(e.target.value)} aria-label="Custom low-pass edge in Hz (empty: none)" />
          </label>
          <button type="submit" className="btn" disabled={busy}>
            Apply
          </button>
        </form>
      )}
      <p className="pipeline-scope muted" data-testid="filter-scope">
        Applied to the ExG channels (EEG, EMG, EOG, ECG); accelerometer, battery and other aux channels pass unfiltered.
      </p>
      <p className="pipeline-active" title="What the engine runs now">
        <span className="muted">Active:</span> {active ? describePipeline(active) : '—'}
      </p>
      {others.length > 0 && <p className="pipeline-others">Also active, not shown above (an edit here replaces them): {others.join('; ')}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
