// The Alert rules form: the thresholds in force (railed/flat time, artefact level and duration,
// impedance, losses, disk, the protocol's length warning, the fatigue reminder), changed and
// applied together. The engine validates them (a refusal lands on its field), saves them in the
// data folder's site settings and applies them at once.

import { useEffect, useState } from 'react';
import type { AlertRules } from '../../../electron/common/contract/ethics.js';
import { RULE_FIELDS, rulesChange, rulesToTexts, type RuleKey, type RuleTexts } from './alert-rules-form.js';
import type { AlertRulesView } from './use-alert-rules.js';
import './safety.css';

export function AlertRulesPanel({ view, disabled }: { view: AlertRulesView; disabled: boolean }) {
  const { rules } = view;
  return (
    <section className="panel rules-panel" aria-label="Alert rules" data-testid="alert-rules">
      <details>
        <summary className="panel-header" data-testid="alert-rules-toggle">
          <h2>Alert rules</h2>
          <span className="panel-note">saved for this data folder</span>
        </summary>
        {view.error && (
          <p className="form-error" role="alert">
            {view.error}
          </p>
        )}
        {rules && <RulesForm rules={rules} disabled={disabled} apply={view.apply} />}
      </details>
    </section>
  );
}

function RulesForm({ rules, disabled, apply }: { rules: AlertRules; disabled: boolean; apply: AlertRulesView['apply'] }) {
  const [texts, setTexts] = useState<RuleTexts>(() => rulesToTexts(rules));
  const [errors, setErrors] = useState<Partial<Record<RuleKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the rules in force changed (applied here, or another folder): the form shows them
  const key = JSON.stringify(rules);
  useEffect(() => setTexts(rulesToTexts(rules)), [key]);
  const submit = async () => {
    setNote(null);
    const check = rulesChange(texts, rules);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    const changed = Object.keys(check.change).length;
    if (changed === 0) {
      setNote('Nothing changed.');
      return;
    }
    setBusy(true);
    const refusal = await apply(check.change);
    setBusy(false);
    if (refusal) {
      setErrors(refusal.errors);
      setFormError(refusal.text);
      return;
    }
    setNote(`Applied and saved (${changed} changed).`);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="rules-grid">
        {RULE_FIELDS.map((f) => (
          <label key={f.key} className="field" title={f.help}>
            <span className="field-label">
              {f.label} <span className="muted">({f.unit})</span>
            </span>
            <input
              type="text"
              inputMode="decimal"
              value={texts[f.key]}
              aria-invalid={errors[f.key] !== undefined}
              data-testid={`rule-${f.key}`}
              data-in-force={rules[f.key]}
              onChange={(e) => {
                setTexts((t) => ({ ...t, [f.key]: e.target.value }));
                setErrors((x) => ({ ...x, [f.key]: undefined }));
                setFormError(null);
                setNote(null);
              }}
            />
            {errors[f.key] && (
              <span className="safety-field-error" role="alert" data-testid={`rule-error-${f.key}`}>
                {errors[f.key]}
              </span>
            )}
          </label>
        ))}
      </div>
      <div className="rules-actions">
        <button type="submit" className="btn small" disabled={busy || disabled} data-testid="rules-apply">
          Apply
        </button>
        <button type="button" className="btn small" disabled={busy} onClick={() => {
            setTexts(rulesToTexts(rules));
            setErrors({});
            setNote(null);
          }}>
          Revert
        </button>
        {note && (
          <span className="panel-note" role="status" data-testid="rules-note">
            {note}
          </span>
        )}
      </div>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
    </form>
  );
}
