// The assistive view, full screen: a setup form until a session runs, then the targets (large,
// high contrast), the dwell's progress on the target it runs on, the scanning highlight, the
// selection shown large, the gate's reason in plain words, and the STOP button that never moves.
// Escape stops from anywhere on the page: the command leaves in the key's own event handler.
// Space or Enter is the single switch. SSVEP flicker starts only after the photosensitivity warning
// has been acknowledged, and only on the targets.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { AssistState } from '../../../electron/common/contract/assistive.js';
import { INACTIVE_ASSIST, TARGET_PRESETS } from '../../../electron/common/contract/assistive.js';
import type { DecoderInfo } from '../../../electron/common/contract/decoding.js';
import { DEFAULT_FORM, requestOfForm, type AssistForm } from './setup.js';
import { announceSelection, silence } from './feedback.js';
import './assistive.css';

const PHASE_WORDS: Record<string, string> = {
  idle: 'Ready',
  dwelling: 'Selecting…',
  refractory: 'Selected',
  confirming: 'Confirm?',
  suspended: 'Paused',
  stopped: 'STOPPED',
};

export function AssistiveView({ client }: { client: EngineClient }) {
  const [assist, setAssist] = useState<AssistState>(INACTIVE_ASSIST);
  const [decoder, setDecoder] = useState<DecoderInfo | null>(null);
  const [boardName, setBoardName] = useState<string | null>(null);
  const [form, setForm] = useState<AssistForm>(DEFAULT_FORM);
  const [error, setError] = useState<string | null>(null);
  const [modelPath, setModelPath] = useState('');
  const [flickerOk, setFlickerOk] = useState(false);
  const [lastShown, setLastShown] = useState<{ label: string; seq: number } | null>(null);
  const lastSeq = useRef(0);

  useEffect(() => {
    const sub = client.onEvent((event) => {
      if (event.type === 'assist') setAssist(event.state);
      if (event.type === 'snapshot') {
        setDecoder(event.snapshot.decoder);
        setBoardName(event.snapshot.descriptor?.name ?? null);
      }
      if (event.type === 'error' && event.message.startsWith('assistive')) setError(event.message);
    });
    // this view draws no signals: no sample or prediction frames (less work on both ends of a stop)
    client.invoke('setStreams', { raw: false, filtered: false, predictions: false }).catch(() => undefined);
    client.invoke('getAssist').then(setAssist, () => undefined);
    client.invoke('getSnapshot').then(
      (s) => {
        setDecoder(s.decoder);
        setBoardName(s.descriptor?.name ?? null);
      },
      () => undefined,
    );
    return () => sub.dispose();
  }, [client]);

  // a new selection: shown large, with a tone and speech
  useEffect(() => {
    const s = assist.lastSelection;
    if (!s || s.seq === lastSeq.current) return;
    lastSeq.current = s.seq;
    setLastShown({ label: s.label, seq: s.seq });
    announceSelection(s.label);
  }, [assist.lastSelection]);

  const stop = useCallback(
    (source: 'button' | 'escape') => {
      // the command leaves first; the screen follows
      client.invoke('stopAssist', { source }).then(setAssist, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
      silence();
      setAssist((a) => ({ ...a, stopped: true }));
    },
    [client],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        if (assist.active) stop('escape');
        return;
      }
      if ((event.key === ' ' || event.key === 'Enter') && assist.active && !assist.stopped) {
        const target = event.target as HTMLElement | null;
        // Enter and Space on a button keep their meaning (Tab + Enter reaches every control)
        if (target && (target.tagName === 'BUTTON' || target.tagName === 'INPUT' || target.tagName === 'SELECT')) return;
        event.preventDefault();
        client.invoke('assistSwitch').then(setAssist, () => undefined);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [assist.active, assist.stopped, client, stop]);

  const act = (work: Promise<AssistState>) => work.then(setAssist, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));

  const start = () => {
    setError(null);
    const r = requestOfForm(form);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setFlickerOk(false);
    act(client.invoke('startAssist', r.request));
  };

  const loadModel = () => {
    setError(null);
    client.invoke('loadModel', { path: modelPath }).then(setDecoder, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  if (!assist.active) {
    return (
      <main className="assist assist-setup" aria-label="Assistive mode setup">
        <h1>Assistive mode</h1>
        <p className="assist-line">
          Board: {boardName ?? 'none connected (connect one in the workstation window)'} · Model:{' '}
          {decoder ? `${decoder.kind} (${decoder.classes.join(', ')})` : 'none running'}
        </p>
        {!decoder && (
          <div className="assist-row">
            <label>
              Model file <input aria-label="Model file" value={modelPath} onChange={(e) => setModelPath(e.target.value)} placeholder="/path/to/model.json" />
            </label>
            <button type="button" onClick={loadModel} disabled={!modelPath || !boardName}>
              Load model
            </button>
          </div>
        )}
        <div className="assist-grid-form">
          <label>
            Targets
            <select aria-label="Targets" value={form.preset} onChange={(e) => setForm({ ...form, preset: e.target.value })}>
              {Object.entries(TARGET_PRESETS).map(([id, labels]) => (
                <option key={id} value={id}>
                  {labels.join(' / ')}
                </option>
              ))}
              <option value="custom">Own labels…</option>
            </select>
          </label>
          {form.preset === 'custom' && (
            <label>
              Labels (comma-separated; end with * for a critical target)
              <input aria-label="Own labels" value={form.customTargets} onChange={(e) => setForm({ ...form, customTargets: e.target.value })} />
            </label>
          )}
          <label>
            Control scheme
            <select aria-label="Scheme" value={form.scheme} onChange={(e) => setForm({ ...form, scheme: e.target.value as AssistForm['scheme'] })}>
              <option value="direct">Direct (one imagined movement per target)</option>
              <option value="scanning">Scanning (targets lit in turn, one class or a switch selects)</option>
              <option value="ssvep">SSVEP (each target flickers)</option>
            </select>
          </label>
          <label>
            Threshold (probability)
            <input aria-label="Threshold" value={form.thresholdProb} onChange={(e) => setForm({ ...form, thresholdProb: e.target.value })} />
          </label>
          <label>
            Dwell (s)
            <input aria-label="Dwell" value={form.dwellSec} onChange={(e) => setForm({ ...form, dwellSec: e.target.value })} />
          </label>
          <label>
            Refractory (s)
            <input aria-label="Refractory" value={form.refractorySec} onChange={(e) => setForm({ ...form, refractorySec: e.target.value })} />
          </label>
          {form.scheme === 'ssvep' && (
            <label>
              Flicker frequencies (Hz)
              <input aria-label="Flicker frequencies" value={form.ssvepHz} onChange={(e) => setForm({ ...form, ssvepHz: e.target.value })} />
            </label>
          )}
          <label>
            UDP output (HOST:PORT, optional)
            <input aria-label="UDP output" value={form.udp} onChange={(e) => setForm({ ...form, udp: e.target.value })} placeholder="127.0.0.1:9000" />
          </label>
          <label className="assist-check">
            <input type="checkbox" checked={form.allowRemote} onChange={(e) => setForm({ ...form, allowRemote: e.target.checked })} /> Allow a remote address
          </label>
          <label>
            Subject code
            <input aria-label="Subject code" value={form.subject} onChange={(e) => setForm({ ...form, subject: e.target.value })} placeholder="S01" />
          </label>
          <label>
            Operator
            <input aria-label="Operator" value={form.operator} onChange={(e) => setForm({ ...form, operator: e.target.value })} />
          </label>
          <label>
            Protocol id
            <input aria-label="Protocol id" value={form.protocolId} onChange={(e) => setForm({ ...form, protocolId: e.target.value })} />
          </label>
          <label className="assist-check">
            <input type="checkbox" aria-label="Consent obtained" checked={form.consentObtained} onChange={(e) => setForm({ ...form, consentObtained: e.target.checked, consentTime: e.target.checked ? new Date().toISOString() : '' })} /> Consent obtained
          </label>
        </div>
        <button type="button" className="assist-start" onClick={start} disabled={!decoder}>
          Start assistive session
        </button>
        {error && (
          <p className="assist-error" role="alert">
            {error}
          </p>
        )}
      </main>
    );
  }

  const view = assist.view;
  const needsWarning = assist.scheme === 'ssvep' && !flickerOk;
  const phase = assist.stopped ? 'stopped' : (view?.phase ?? 'idle');
  const failing = assist.outputs.filter((o) => o.error);
  return (
    <main className={`assist assist-live phase-${phase}`} aria-label="Assistive mode">
      <header className="assist-bar">
        <button type="button" className="assist-stop" data-testid="assist-stop" onClick={() => stop('button')}>
          STOP
        </button>
        <div className="assist-status" role="status" aria-live="assertive">
          <span className="assist-phase">{PHASE_WORDS[phase] ?? phase}</span>
          {view?.suspendedReason && !assist.stopped && <span className="assist-reason">{view.suspendedReason}</span>}
          {assist.stopped && <span className="assist-reason">Every output is halted. Press Resume when it is safe to go on.</span>}
        </div>
        {assist.stopped && (
          <button type="button" className="assist-resume" onClick={() => act(client.invoke('resumeAssist', { source: 'button' }))}>
            Resume
          </button>
        )}
        <button type="button" className="assist-end" onClick={() => act(client.invoke('endAssist'))}>
          End session
        </button>
      </header>
      {failing.length > 0 && (
        <p className="assist-error" role="alert">
          Not delivered: {failing.map((o) => `${o.endpoint} (${o.error})`).join('; ')}
        </p>
      )}
      {needsWarning ? (
        <section className="assist-warning" role="alertdialog" aria-label="Photosensitivity warning">
          <h2>Flashing lights</h2>
          <p>
            The targets will flicker at {assist.ssvep?.frequenciesHz.join(', ')} Hz. Flicker can trigger seizures in people with photosensitive epilepsy. Do not go on if the person has epilepsy or has had a
            seizure; stop at once (Escape or STOP) if they feel unwell.
          </p>
          <button type="button" onClick={() => setFlickerOk(true)}>
            I have checked: start the flicker
          </button>
        </section>
      ) : (
        <Targets assist={assist} flicker={assist.scheme === 'ssvep' && flickerOk && !assist.stopped} />
      )}
      <footer className="assist-selection" aria-live="polite" data-testid="assist-selection">
        {lastShown ? lastShown.label : '\u00a0'}
      </footer>
    </main>
  );
}

function Targets({ assist, flicker }: { assist: AssistState; flicker: boolean }) {
  const refs = useRef<(HTMLDivElement | null)[]>([]);
  const view = assist.view;
  // SSVEP: on or off per animation frame by the frame's count (a whole number of frames per cycle)
  useEffect(() => {
    if (!flicker || !assist.ssvep) return;
    const freqs = assist.ssvep.frequenciesHz;
    let frame = 0;
    let raf = 0;
    const stamps: number[] = [];
    let refreshHz = 60;
    const tick = (t: number) => {
      if (stamps.length < 30) {
        stamps.push(t);
        if (stamps.length === 30) refreshHz = 29000 / (stamps[29] - stamps[0]);
      }
      refs.current.forEach((el, i) => {
        if (!el || freqs[i] === undefined) return;
        const cycle = Math.max(2, Math.round(refreshHz / freqs[i]));
        el.classList.toggle('flicker-off', frame % cycle >= Math.ceil(cycle / 2));
      });
      frame++;
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      refs.current.forEach((el) => el?.classList.remove('flicker-off'));
    };
  }, [flicker, assist.ssvep]);
  return (
    <section className={`assist-targets n${assist.targets.length}`} aria-label="Targets">
      {assist.targets.map((t, i) => {
        const dwelling = view?.target === i && view.phase === 'dwelling';
        const classes = [
          'assist-target',
          view?.highlighted === i ? 'highlighted' : '',
          dwelling ? 'dwelling' : '',
          view?.confirming === i ? 'confirming' : '',
          assist.lastSelection?.target === i && view?.phase === 'refractory' ? 'selected' : '',
        ].join(' ');
        return (
          <div key={t.label} ref={(el) => void (refs.current[i] = el)} className={classes} data-testid={`assist-target-${i}`} aria-label={`${t.label}${t.critical ? ' (needs confirming)' : ''}`}>
            <span className="assist-label">{t.label}</span>
            {view?.confirming === i && <span className="assist-confirm">Confirm: choose it again</span>}
            <div className="assist-dwell" aria-hidden="true">
              <div className="assist-dwell-fill" style={{ width: `${Math.round((dwelling ? view.dwellFraction : 0) * 100)}%` }} />
            </div>
          </div>
        );
      })}
    </section>
  );
}
