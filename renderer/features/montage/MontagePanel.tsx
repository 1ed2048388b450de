// The montage editor: per channel of the board a label, a type and a 10-20 position; save it under
// a name, load a saved one, apply it to the connected board (refused while recording), delete it.
// Problems show inline, worded as the engine words them.

import { MONTAGE_POSITIONS, MONTAGE_TYPES, type MontageChannelType } from '../../../electron/common/contract/montage.js';
import type { MontageEditor } from './use-montage.js';

export function MontagePanel({ editor, disabled }: { editor: MontageEditor; disabled: boolean }) {
  const { rows, check, saved, name, applied, busy } = editor;
  const savedNames = saved.map((m) => m.name);
  return (
    <section className="panel montage-panel" aria-label="Montage" data-testid="montage-panel" data-applied={applied ?? ''}>
      <div className="panel-header">
        <h2>Montage</h2>
        <span className="panel-note" data-testid="montage-applied">
          {applied ? `applied: ${applied}` : "the board's own labels"}
        </span>
      </div>
      <div className="montage-body">
        <div className="montage-saved">
          <select aria-label="Saved montages" data-testid="montage-saved" value="" disabled={disabled || savedNames.length === 0} onChange={(e) => editor.load(e.target.value)}>
            <option value="">{savedNames.length === 0 ? 'No saved montages' : 'Load a saved montage…'}</option>
            {savedNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <button type="button" className="btn small" data-testid="montage-from-board" disabled={disabled || busy} onClick={editor.fromBoard} title="Start from the connected board's labels">
            From board
          </button>
        </div>
        {rows.length === 0 ? (
          <p className="record-note">Connect a board to edit its montage.</p>
        ) : (
          <table className="montage-table" data-testid="montage-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Label</th>
                <th>Type</th>
                <th>Position</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => {
                const problems = check.rows[i] ?? {};
                return (
                  <tr key={i} className={problems.label || problems.position ? 'invalid' : undefined}>
                    <td>{i + 1}</td>
                    <td>
                      <input aria-label={`Channel ${i + 1} label`} data-testid={`montage-label-${i}`} value={row.label} maxLength={16} disabled={disabled} aria-invalid={problems.label !== undefined} title={problems.label} onChange={(e) => editor.setRow(i, { label: e.target.value })} />
                    </td>
                    <td>
                      <select aria-label={`Channel ${i + 1} type`} data-testid={`montage-type-${i}`} value={row.type} disabled={disabled} onChange={(e) => editor.setRow(i, { type: e.target.value as MontageChannelType })}>
                        {MONTAGE_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {t.toUpperCase()}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select aria-label={`Channel ${i + 1} position`} data-testid={`montage-position-${i}`} value={row.position} disabled={disabled} aria-invalid={problems.position !== undefined} title={problems.position} onChange={(e) => editor.setRow(i, { position: e.target.value })}>
                        <option value="">—</option>
                        {!MONTAGE_POSITIONS.includes(row.position) && row.position !== '' && <option value={row.position}>{row.position}</option>}
                        {MONTAGE_POSITIONS.map((p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <ul className="montage-problems" data-testid="montage-problems" data-count={check.general.length + check.rows.filter((r) => r.label || r.position || r.type).length}>
          {check.rows.flatMap((r, i) => [r.label, r.position, r.type].filter((m): m is string => m !== undefined).map((m) => <li key={`${i}-${m}`}>{`Channel ${i + 1}: ${m}`}</li>))}
          {check.general.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
        <div className="montage-actions">
          <input aria-label="Montage name" placeholder="Montage name" data-testid="montage-name" value={name} disabled={disabled} onChange={(e) => editor.setName(e.target.value)} />
          <button type="button" className="btn" data-testid="montage-save" disabled={disabled || busy || !check.ok} onClick={() => void editor.save()} title={editor.exists ? 'A montage of this name exists: replace it' : undefined}>
            {editor.exists ? 'Replace' : 'Save'}
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="montage-apply"
            disabled={disabled || busy || !editor.canApply || !savedNames.some((n) => n.toLowerCase() === name.trim().toLowerCase())}
            title={editor.recordingActive ? 'Stop the recording first: a file keeps the labels it started with' : 'Apply the saved montage of this name to the connected board'}
            onClick={() => void editor.apply(savedNames.find((n) => n.toLowerCase() === name.trim().toLowerCase()) ?? name)}
          >
            Apply
          </button>
          <button type="button" className="btn" data-testid="montage-clear" disabled={disabled || busy || !editor.canApply || applied === null} onClick={() => void editor.apply(null)} title="Back to the board's own labels">
            Board labels
          </button>
          <button type="button" className="btn" data-testid="montage-delete" disabled={disabled || busy || !editor.exists} onClick={() => void editor.remove(name.trim())}>
            Delete
          </button>
        </div>
        {editor.message && (
          <p className="panel-note" data-testid="montage-message">
            {editor.message}
          </p>
        )}
        {editor.error && (
          <p className="form-error" role="alert" data-testid="montage-error">
            {editor.error}
          </p>
        )}
      </div>
    </section>
  );
}
