// The Protocols panel: the data folder's protocols with their ethics approval (id, title,
// committee, approval number, validity, modes, maximum session length), each one's state said
// plainly (current, expired, not yet valid, retired with its reason); Retire with a reason; and the
// add form, checked field by field before it goes (the contract's schema; the engine's refusal,
// such as an id that exists, lands on its field too). The engine keeps the protocols and checks
// every session against them; this panel only shows and asks.

import { useState } from 'react';
import type { Protocol } from '../../../electron/common/contract/ethics.js';
import { SESSION_MODES } from '../../../electron/common/contract/ethics.js';
import { EMPTY_PROTOCOL_FIELDS, toProtocolInput, type ProtocolErrors, type ProtocolField, type ProtocolFields } from './protocol-form.js';
import { modesText, protocolState, protocolStateText } from '../../ui/protocol-choices.js';
import type { ProtocolsView } from './use-protocols.js';
import './protocols.css';

export function ProtocolsPanel({ view, disabled }: { view: ProtocolsView; disabled: boolean }) {
  const { protocols, folder, error } = view;
  const now = Date.now();
  return (
    <section className="panel protocols-panel" aria-label="Protocols" data-testid="protocols-panel" data-count={protocols?.length ?? 0}>
      <div className="panel-header">
        <h2>Protocols</h2>
        <span className="panel-note mono" title="protocols.json in this data folder (the session form's)">
          {folder ?? ''}
        </span>
        <button type="button" className="btn small" disabled={disabled} data-testid="protocols-reload" title="Read the folder's protocols again (after `bci protocol add` or another workstation changed them)" onClick={view.refresh}>
          Reload
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="protocols-error">
          {error}
        </p>
      )}
      {protocols && protocols.length === 0 && <p className="record-note">No protocols in this data folder yet: add the approved ones below.</p>}
      {protocols && protocols.length > 0 && (
        <ul className="protocol-list">
          {protocols.map((p) => (
            <ProtocolRow key={p.id} protocol={p} nowMs={now} disabled={disabled} onRetire={view.retire} />
          ))}
        </ul>
      )}
      <AddProtocol disabled={disabled} onAdd={view.add} />
    </section>
  );
}

function ProtocolRow({ protocol: p, nowMs, disabled, onRetire }: { protocol: Protocol; nowMs: number; disabled: boolean; onRetire: ProtocolsView['retire'] }) {
  const state = protocolState(p, nowMs);
  const [retiring, setRetiring] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (reason.trim() === '') {
      setProblem(`Give the reason for retiring ${p.id} (it is kept with the protocol).`);
      return;
    }
    setBusy(true);
    const refusal = await onRetire(p.id, reason.trim());
    setBusy(false);
    if (refusal) setProblem(refusal);
    else setRetiring(false);
  };
  return (
    <li className={`protocol-row ${state}`} data-testid={`protocol-${p.id}`} data-state={state}>
      <div className="protocol-head">
        <strong className="mono">{p.id}</strong>
        <span className="protocol-title">{p.title}</span>
        <span className={`protocol-state ${state}`} data-testid={`protocol-state-${p.id}`}>
          {protocolStateText(p, nowMs)}
        </span>
      </div>
      <div className="protocol-facts">
        {p.committee} · {p.approvalNumber} · {p.validFrom} to {p.validTo} · {modesText(p.modes)} · {p.maxSessionMinutes !== undefined ? `at most ${p.maxSessionMinutes} min` : 'no length limit'}
      </div>
      {p.notes && <div className="protocol-notes">{p.notes}</div>}
      {state !== 'retired' && !retiring && (
        <button type="button" className="btn small" disabled={disabled} data-testid={`protocol-retire-${p.id}`} onClick={() => {
            setRetiring(true);
            setProblem(null);
          }}>
          Retire…
        </button>
      )}
      {retiring && (
        <div className="protocol-retire">
          <input type="text" aria-label={`Why ${p.id} is retired`} placeholder="why (e.g. superseded by P2)" value={reason} aria-invalid={problem !== null} data-testid="retire-reason" onChange={(e) => {
              setReason(e.target.value);
              setProblem(null);
            }} />
          <button type="button" className="btn small" disabled={busy || disabled} data-testid="retire-confirm" onClick={() => void confirm()}>
            Retire {p.id}
          </button>
          <button type="button" className="btn small" onClick={() => setRetiring(false)}>
            Cancel
          </button>
          {problem && (
            <span className="field-error" role="alert">
              {problem}
            </span>
          )}
        </div>
      )}
    </li>
  );
}

const TEXT_FIELDS: readonly { key: Exclude<ProtocolField, 'modes' | 'notes'>; label: string; placeholder?: string; type?: 'date' }[] = [
  { key: 'id', label: 'Id', placeholder: 'e.g. P1' },
  { key: 'title', label: 'Title' },
  { key: 'committee', label: 'Ethics committee' },
  { key: 'approvalNumber', label: 'Approval number', placeholder: 'e.g. EB-2026-17' },
  { key: 'validFrom', label: 'Valid from', type: 'date' },
  { key: 'validTo', label: 'Valid to (included)', type: 'date' },
  { key: 'maxMinutes', label: 'Max session (min)', placeholder: 'no limit' },
];

function AddProtocol({ disabled, onAdd }: { disabled: boolean; onAdd: ProtocolsView['add'] }) {
  const [fields, setFields] = useState<ProtocolFields>(EMPTY_PROTOCOL_FIELDS);
  const [errors, setErrors] = useState<ProtocolErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const set = <K extends ProtocolField>(key: K, value: ProtocolFields[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    setFormError(null);
    setAdded(null);
  };
  const submit = async () => {
    const check = toProtocolInput(fields);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setBusy(true);
    const refusal = await onAdd(check.protocol);
    setBusy(false);
    if (refusal) {
      setErrors(refusal.errors);
      setFormError(refusal.text);
      return;
    }
    setAdded(check.protocol.id);
    setFields(EMPTY_PROTOCOL_FIELDS);
    setErrors({});
  };
  const error = (key: ProtocolField) =>
    errors[key] ? (
      <span className="field-error" role="alert" data-testid={`protocol-error-${key}`}>
        {errors[key]}
      </span>
    ) : null;
  return (
    <details className="protocol-add">
      <summary data-testid="protocol-add-toggle">Add a protocol</summary>
      <div className="protocol-grid">
        {TEXT_FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span className="field-label">{f.label}</span>
            <input type={f.type ?? 'text'} value={fields[f.key]} placeholder={f.placeholder} aria-invalid={errors[f.key] !== undefined} spellCheck={false} autoComplete="off" data-testid={`protocol-${f.key}`} onChange={(e) => set(f.key, e.target.value)} />
            {error(f.key)}
          </label>
        ))}
        <div className="field wide">
          <span className="field-label">Modes it allows</span>
          <div className="protocol-modes" role="group" aria-label="Modes the approval allows">
            {SESSION_MODES.map((m) => (
              <label key={m} className="check">
                <input type="checkbox" checked={fields.modes[m]} data-testid={`protocol-mode-${m}`} onChange={(e) => set('modes', { ...fields.modes, [m]: e.target.checked })} /> {m}
              </label>
            ))}
          </div>
          {error('modes')}
        </div>
        <label className="field wide">
          <span className="field-label">Notes</span>
          <textarea rows={2} value={fields.notes} onChange={(e) => set('notes', e.target.value)} />
          {error('notes')}
        </label>
      </div>
      <div className="protocol-actions">
        <button type="button" className="btn small" disabled={busy || disabled} data-testid="protocol-add" onClick={() => void submit()}>
          Add protocol
        </button>
        {added && (
          <span className="panel-note" role="status" data-testid="protocol-added">
            Added {added}.
          </span>
        )}
      </div>
      {formError && (
        <p className="form-error" role="alert" data-testid="protocol-form-error">
          {formError}
        </p>
      )}
    </details>
  );
}
