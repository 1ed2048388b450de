// The record panel: one prominent Record / Stop recording toggle (red while recording), the
// recording's progress as the engine reports it (file, elapsed, lost samples, annotations, the
// markers that went in, any error), the summary of the last recording (path, duration, SHA-256,
// events), and the session form (subject code, session, task, run, operator, montage, protocol,
// consent with its time, notes, format, mains, data folder). The protocol is picked from the data
// folder's protocols (the Protocols panel), saying under it why the chosen one would be refused
// for a recording or a calibration. The engine validates the form and its refusal is shown beside
// the field it names.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { RecordingOptionsInput } from '../../../electron/common/contract/session.js';
import type { Protocol } from '../../../electron/common/contract/ethics.js';
import { protocolChoices, protocolWarnings } from '../../ui/protocol-choices.js';
import type { EngineState, RecordingStatus } from '../../../electron/common/contract/status.js';
import type { RecentMarker, RecordingSummary } from './use-recording.js';
import {
  bidsPreview,
  formatConsentTime,
  type RecordingRefusal,
  rememberedFields,
  restoreFields,
  SESSION_FORM_KEY,
  shortHash,
  toRecordingOptions,
  withConsent,
  type SessionField,
  type SessionFields,
} from './recording-form.js';
import { fileNameOf, formatCount, formatDuration } from '../../ui/format.js';

const FORM_KEY = SESSION_FORM_KEY;

function loadFields(): SessionFields {
  try {
    return restoreFields(localStorage.getItem(FORM_KEY));
  } catch {
    return restoreFields(null);
  }
}

function saveFields(fields: SessionFields): void {
  try {
    localStorage.setItem(FORM_KEY, JSON.stringify(rememberedFields(fields)));
  } catch {
    // storage unavailable: the form starts empty next time
  }
}

interface Props {
  readonly state: EngineState;
  readonly bridgeConnected: boolean;
  readonly active: RecordingStatus | null;
  readonly summary: RecordingSummary | null;
  readonly error: RecordingRefusal | null;
  readonly busy: boolean;
  readonly markers: readonly RecentMarker[];
  readonly onRecord: (options: RecordingOptionsInput) => void;
  readonly onStop: () => void;
  readonly onDismissSummary: () => void;
  readonly onClearError: () => void;
  readonly onReplay: (path: string) => void;
  /** The montage applied to the board (the Montage panel), which recordings carry; null: none. */
  readonly appliedMontage?: string | null;
  /** The form as recording options whenever it changes (null while it is not valid): the checklist checks it. */
  readonly onOptions?: (options: RecordingOptionsInput | null) => void;
  /** Checklist items still red while the checklist is enforced: Record waits and names them. */
  readonly blockedBy?: readonly string[] | null;
  /** The connected board's own mains frequency (the synthetic board's), which the recording takes: one setting, not two. */
  readonly boardMainsHz?: 50 | 60 | null;
  /** The form's mains frequency whenever it changes: the site's mains, which the spectrum marks. */
  readonly onMains?: (hz: 50 | 60) => void;
  /** The form's data folder whenever it changes ('' for the workstation's): where the protocols are. */
  readonly onDataDir?: (dir: string) => void;
  /** The data folder's protocols (null: not known; the field is then typed). */
  readonly protocols?: readonly Protocol[] | null;
  /** The site requires a protocol for plain recordings too. */
  readonly requireProtocol?: boolean;
}

export function RecordPanel(props: Props) {
  const { state, active, summary, busy } = props;
  const [fields, setFields] = useState<SessionFields>(loadFields);
  const [open, setOpen] = useState(false);
  const [localError, setLocalError] = useState<{ text: string; field: SessionField } | null>(null);
  const inputs = useRef<Partial<Record<SessionField, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null>>>({});
  const recording = active !== null;
  const canRecord = state !== 'idle' && props.bridgeConnected && !busy;

  useEffect(() => saveFields(fields), [fields]);
  const { onOptions, onMains, onDataDir } = props;
  const boardMainsHz = props.boardMainsHz ?? null;
  // a board with its own mains (the synthetic board's) sets the recording's: the form's waits
  // the board's mains and the applied montage's name go with the form (one setting each, shown here)
  const appliedMontage = props.appliedMontage ?? null;
  const withMains = useCallback(
    (o: RecordingOptionsInput): RecordingOptionsInput => {
      const mains = boardMainsHz === null ? o : { ...o, powerLineHz: boardMainsHz };
      return appliedMontage === null ? mains : { ...mains, session: { ...mains.session, montage: appliedMontage } };
    },
    [boardMainsHz, appliedMontage],
  );
  useEffect(() => {
    if (!onOptions) return;
    const check = toRecordingOptions(fields);
    onOptions(check.ok ? withMains(check.options) : null);
  }, [fields, onOptions, withMains]);
  useEffect(() => onMains?.(fields.powerLineHz), [fields.powerLineHz, onMains]);
  useEffect(() => onDataDir?.(fields.dataDir), [fields.dataDir, onDataDir]);
  const blocked = !recording && props.blockedBy && props.blockedBy.length > 0 ? props.blockedBy : null;
  // the form is locked while recording: fold it away to make room for the progress
  useEffect(() => {
    if (recording) setOpen(false);
  }, [recording]);

  const engineError = props.error;
  const shown = localError ?? engineError;
  const badField = shown?.field ?? null;

  // a refusal about a field: open the form at that field
  const focusField = useCallback((field: SessionField | null) => {
    if (!field) return;
    setOpen(true);
    requestAnimationFrame(() => inputs.current[field]?.focus());
  }, []);
  useEffect(() => {
    if (engineError?.field) focusField(engineError.field);
  }, [props.error]);

  const set = <K extends SessionField>(key: K, value: SessionFields[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    if (localError?.field === key) setLocalError(null);
    if (props.error) props.onClearError();
  };

  const toggle = () => {
    if (recording) {
      props.onStop();
      return;
    }
    const check = toRecordingOptions(fields);
    if (!check.ok) {
      setLocalError({ text: check.error, field: check.field });
      focusField(check.field);
      return;
    }
    setLocalError(null);
    props.onRecord(withMains(check.options));
  };

  const field = (key: 'subject' | 'session' | 'task' | 'run' | 'operator' | 'montage' | 'protocolId' | 'dataDir', label: string, options: { placeholder?: string; wide?: boolean; testId?: string; hint?: string; mono?: boolean; required?: boolean } = {}) => (
    <label className={options.wide ? 'field wide' : 'field'}>
      <span className="field-label">
        {label}
        {options.required && <span className="required"> *</span>}
      </span>
      <input
        type="text"
        ref={(el) => {
          inputs.current[key] = el;
        }}
        className={options.mono ? 'mono' : undefined}
        data-testid={options.testId}
        value={fields[key]}
        placeholder={options.placeholder}
        disabled={recording}
        aria-invalid={badField === key}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => set(key, e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && canRecord && !recording) toggle();
        }}
      />
      {options.hint && <span className="field-hint">{options.hint}</span>}
    </label>
  );

  const subject = fields.subject.trim();
  const sessionLine = subject ? `sub-${subject} · ses-${fields.session.trim() || '01'} · task-${fields.task.trim() || 'rest'}` : 'no subject yet';

  return (
    <section className="panel record-panel" aria-label="Record">
      <div className="panel-header">
        <h2>Record</h2>
        <span className="panel-note">{fields.format === 'bdf' ? 'BDF+ · 24-bit' : 'EDF+ · 16-bit'}</span>
      </div>
      <div className="record-body">
        <button
          type="button"
          data-testid="record-toggle"
          className={recording ? 'btn record-toggle on' : 'btn record-toggle'}
          disabled={!canRecord || blocked !== null}
          aria-pressed={recording}
          onClick={toggle}
          data-blocked={blocked ? blocked.join(', ') : ''}
          title={blocked ? `The checklist is not green yet: ${blocked.join(', ')}` : state === 'idle' ? 'Connect a board to record' : recording ? 'Stop recording: the file is completed and checksummed' : 'Record the raw samples from now on, with the session below'}
        >
          <span className={recording ? 'rec-dot live' : 'rec-dot'} aria-hidden="true" />
          {recording ? 'Stop recording' : busy ? 'Starting…' : blocked ? `Still red: ${blocked.join(', ')}` : 'Record'}
        </button>
        {state === 'idle' && !recording && !summary && <p className="record-note">Connect a board to record.</p>}

        {active && (
          <div className="rec-status" data-testid="recording-status" data-path={active.path} data-duration={active.durationSec} data-annotations={active.annotations} data-lost={active.lostRows} role="status">
            <div className="rec-file" title={active.path}>
              {fileNameOf(active.path)}
            </div>
            <div className="rec-figures">
              <span className="rec-elapsed" title="Recorded so far (samples written ÷ rate)">
                {formatDuration(active.durationSec)}
              </span>
              <span className={active.lostRows > 0 ? 'rec-figure warn' : 'rec-figure'} title="Samples lost while recording (written into the file as gap annotations)">
                lost <strong>{formatCount(active.lostRows)}</strong>
              </span>
              <span className="rec-figure" title="Annotations written into the file: markers, events, gaps">
                annotations <strong>{formatCount(active.annotations)}</strong>
              </span>
            </div>
            {props.markers.length > 0 ? (
              <ul className="rec-markers" aria-label="Markers in this recording">
                {props.markers.map((m, i) => (
                  <li key={i} className="rec-marker" title={`${m.label}: into the recording at about ${formatDuration(m.atSec)}`}>
                    <span className="rec-marker-label">{m.label}</span> <span className="muted">{formatDuration(m.atSec)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="rec-hint">
                Markers (<kbd>M</kbd> or the Marker button) go into this recording.
              </p>
            )}
            {active.error && (
              <div className="form-error" role="alert" data-testid="recording-failed">
                Recording stopped: {active.error}. The file is valid up to here; press Stop recording to close it.
              </div>
            )}
          </div>
        )}

        {!active && summary && <Summary summary={summary} onDismiss={props.onDismissSummary} onReplay={props.onReplay} />}

        {shown && (
          <div className="form-error" role="alert" data-testid="recording-error">
            {shown.text}
          </div>
        )}
      </div>

      <details className="session-form" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary data-testid="session-form-toggle" title="The session stored with the recording (BIDS sidecars)">
          <span className="session-title">Session</span>
          <span className={subject ? 'session-line' : 'session-line missing'}>{sessionLine}</span>
        </summary>
        <div className="session-grid">
          {field('subject', 'Subject code', { placeholder: 'e.g. S01', testId: 'session-subject', hint: 'a code such as S01, never a name', required: true })}
          {field('session', 'Session', { placeholder: 'e.g. 01' })}
          {field('task', 'Task', { placeholder: 'e.g. rest', testId: 'session-task' })}
          {field('run', 'Run', { placeholder: '(next free)' })}
          {field('operator', 'Operator')}
          {props.appliedMontage ? (
            <label className="field">
              <span className="field-label">Montage</span>
              <input type="text" data-testid="session-montage-applied" value={props.appliedMontage} readOnly aria-readonly="true" title="Applied to the board in the Montage panel: recordings carry its labels, types and positions" />
            </label>
          ) : (
            field('montage', 'Montage', { placeholder: 'e.g. 10-20, 8 ch' })
          )}
          {props.protocols ? (
            <ProtocolPicker
              protocols={props.protocols}
              value={fields.protocolId}
              requireProtocol={props.requireProtocol ?? false}
              disabled={recording}
              invalid={badField === 'protocolId'}
              inputRef={(el) => {
                inputs.current.protocolId = el;
              }}
              onChange={(id) => set('protocolId', id)}
            />
          ) : (
            field('protocolId', 'Protocol / ethics id', { wide: true })
          )}
          <div className="field wide consent">
            <label className="check">
              <input type="checkbox" data-testid="session-consent" checked={fields.consentObtained} disabled={recording} onChange={(e) => setFields((f) => withConsent(f, e.target.checked, new Date()))} />
              <span>Consent obtained</span>
            </label>
            {fields.consentObtained && fields.consentTime && (
              <span className="muted" title={fields.consentTime}>
                at {formatConsentTime(fields.consentTime, new Date())}
              </span>
            )}
          </div>
          <label className="field wide">
            <span className="field-label">Notes</span>
            <textarea
              ref={(el) => {
                inputs.current.notes = el;
              }}
              rows={2}
              value={fields.notes}
              disabled={recording}
              onChange={(e) => set('notes', e.target.value)}
            />
          </label>
          <div className="field">
            <span className="field-label">Format</span>
            <div className="segmented" role="group" aria-label="File format">
              {(['bdf', 'edf'] as const).map((f) => (
                <button key={f} type="button" className={fields.format === f ? 'seg on' : 'seg'} aria-pressed={fields.format === f} disabled={recording} onClick={() => set('format', f)} title={f === 'bdf' ? 'BDF+: 24-bit, the converter’s full resolution (default)' : 'EDF+: 16-bit, for tools that read only EDF'}>
                  {f === 'bdf' ? 'BDF+' : 'EDF+'}
                </button>
              ))}
            </div>
          </div>
          {boardMainsHz !== null ? (
            <div className="field">
              <span className="field-label">Mains</span>
              <span className="panel-note" data-testid="session-mains" title="The board sets the mains frequency (its option in the header); the recording takes it">
                {boardMainsHz} Hz (the board's)
              </span>
            </div>
          ) : (
            <label className="field">
              <span className="field-label">Mains</span>
              <select value={fields.powerLineHz} disabled={recording} onChange={(e) => set('powerLineHz', e.target.value === '60' ? 60 : 50)} data-testid="session-mains" title="Power line frequency where the recording is made (BIDS PowerLineFrequency); the spectrum's mains readout follows it">
                <option value={50}>50 Hz</option>
                <option value={60}>60 Hz</option>
              </select>
            </label>
          )}
          {field('dataDir', 'Data folder', { placeholder: "the workstation's data folder", wide: true, testId: 'session-datadir', mono: true, hint: "on the engine's machine; recordings go into sub-…/ses-…/eeg inside it" })}
          <div className="field wide">
            <span className="field-label">File</span>
            <span className="bids-preview" title="BIDS name; an existing file is never overwritten">
              {bidsPreview(fields)}
            </span>
          </div>
        </div>
      </details>
    </section>
  );
}

function ProtocolPicker(props: { protocols: readonly Protocol[]; value: string; requireProtocol: boolean; disabled: boolean; invalid: boolean; inputRef: (el: HTMLSelectElement | null) => void; onChange: (id: string) => void }) {
  const now = Date.now();
  const choices = protocolChoices(props.protocols, props.value, props.requireProtocol, now);
  const warnings = protocolWarnings(props.protocols, props.value, now);
  return (
    <label className="field wide">
      <span className="field-label">Protocol (ethics approval)</span>
      <select ref={props.inputRef} value={props.value.trim()} disabled={props.disabled} aria-invalid={props.invalid} data-testid="session-protocol" onChange={(e) => props.onChange(e.target.value)}>
        {choices.map((c) => (
          <option key={c.value} value={c.value} disabled={c.disabled}>
            {c.label}
          </option>
        ))}
      </select>
      {warnings.length > 0 ? (
        <ul className="protocol-warnings" data-testid="session-protocol-warnings">
          {warnings.map((w) => (
            <li key={w}>{w.charAt(0).toUpperCase() + w.slice(1)}.</li>
          ))}
        </ul>
      ) : (
        <span className="field-hint">{props.protocols.length === 0 ? 'no protocols in this data folder: add them in the Protocols panel' : 'the protocols of this data folder (the Protocols panel)'}</span>
      )}
    </label>
  );
}

function Summary({ summary, onDismiss, onReplay }: { summary: RecordingSummary; onDismiss: () => void; onReplay: (path: string) => void }) {
  return (
    <div className={summary.error ? 'rec-summary failed' : 'rec-summary'} data-testid="recording-summary" data-path={summary.path} data-duration={summary.durationSec} data-events={summary.events} data-sha256={summary.sha256}>
      <div className="rec-summary-head">
        <span className="rec-summary-title">{summary.error ? 'Recording ended early' : 'Saved'}</span>
        <button type="button" className="mini" onClick={onDismiss} aria-label="Dismiss the summary">
          ×
        </button>
      </div>
      <div className="rec-path" title="The data file (select to copy)">
        {summary.path}
      </div>
      <dl className="rec-facts">
        <dt>Duration</dt>
        <dd>{formatDuration(summary.durationSec)}</dd>
        <dt>Samples</dt>
        <dd>{formatCount(summary.rowsWritten)}</dd>
        <dt>Events</dt>
        <dd>{formatCount(summary.events)}</dd>
        <dt>Lost</dt>
        <dd className={summary.lostRows > 0 ? 'warn' : undefined}>{formatCount(summary.lostRows)}</dd>
        {summary.clippedValues > 0 && (
          <>
            <dt>Clipped</dt>
            <dd className="warn">{formatCount(summary.clippedValues)}</dd>
          </>
        )}
        <dt>SHA-256</dt>
        <dd className="mono" title={summary.sha256}>
          {shortHash(summary.sha256)}
        </dd>
        <dt>Sidecars</dt>
        <dd title={summary.sidecars.join('\n')}>{summary.sidecars.length} files beside it</dd>
      </dl>
      {summary.error && (
        <div className="form-error" role="alert">
          {summary.error}. The file is valid up to there.
        </div>
      )}
      <div className="rec-summary-actions">
        <button type="button" className="btn small" onClick={() => onReplay(summary.path)} title="Put this file in Replay">
          Replay this recording
        </button>
      </div>
    </div>
  );
}
