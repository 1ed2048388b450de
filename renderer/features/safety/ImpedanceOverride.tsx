// Under a red impedance item of the checklist: override chosen electrodes with a written reason
// (the operator's judgement, e.g. dry electrodes or a known high-impedance site). The engine
// checks the reason, turns the item green ("overridden (channels …): reason") and logs the
// override in the session file and the recording.

import { useState } from 'react';
import { defaultOverrideSelection, MIN_REASON_CHARS, overrideRequest, type OverrideChannel } from './impedance-override.js';

export interface OverrideProps {
  readonly channels: readonly OverrideChannel[];
  /** Resolves to null when the engine took it, else its refusal as a sentence. */
  readonly onOverride: (channels: number[], reason: string) => Promise<string | null>;
  readonly disabled: boolean;
}

export function ImpedanceOverride({ channels, onOverride, disabled }: OverrideProps) {
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ field: 'channels' | 'reason' | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button
        type="button"
        className="btn small"
        disabled={disabled}
        data-testid="impedance-override-open"
        onClick={() => {
          setSelected(defaultOverrideSelection(channels));
          setProblem(null);
          setOpen(true);
        }}
      >
        Override with a reason…
      </button>
    );
  const toggle = (channel: number, on: boolean) => {
    setSelected((s) => (on ? [...s, channel] : s.filter((c) => c !== channel)));
    if (problem?.field === 'channels') setProblem(null);
  };
  const submit = async () => {
    const check = overrideRequest(selected, reason);
    if (!check.ok) {
      setProblem({ field: check.field, text: check.error });
      return;
    }
    setBusy(true);
    const refusal = await onOverride(check.request.channels, check.request.reason);
    setBusy(false);
    if (refusal) setProblem({ field: null, text: refusal });
    else setOpen(false);
  };
  return (
    <div className="impedance-override" data-testid="impedance-override">
      <div className="override-channels" role="group" aria-label="Channels to override" aria-invalid={problem?.field === 'channels'}>
        {channels.map((c) => (
          <label key={c.channel} className="check" title={c.detail}>
            <input type="checkbox" checked={selected.includes(c.channel)} data-testid={`override-ch-${c.channel}`} onChange={(e) => toggle(c.channel, e.target.checked)} />
            {c.label} <span className={c.state === 'good' ? 'muted' : 'warn'}>({c.detail})</span>
          </label>
        ))}
      </div>
      <textarea
        rows={2}
        aria-label="Why these electrodes are accepted"
        placeholder={`why these electrodes are accepted (at least ${MIN_REASON_CHARS} characters; logged with the recording)`}
        value={reason}
        aria-invalid={problem?.field === 'reason'}
        data-testid="override-reason"
        onChange={(e) => {
          setReason(e.target.value);
          if (problem?.field === 'reason') setProblem(null);
        }}
      />
      <div className="rules-actions">
        <button type="button" className="btn small" disabled={busy || disabled} data-testid="override-apply" onClick={() => void submit()}>
          Override {selected.length} channel{selected.length === 1 ? '' : 's'}
        </button>
        <button type="button" className="btn small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {problem && (
        <span className="safety-field-error" role="alert" data-testid="override-error">
          {problem.text}
        </span>
      )}
    </div>
  );
}
