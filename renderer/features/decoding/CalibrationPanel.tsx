// The decoding panel: configure a calibration (motor imagery or SSVEP: classes, trials per class,
// phase lengths, jitter, seed; SSVEP frequencies by frame counting, said on screen), Start and
// Abort, the progress ("trial 7 of 30"), the markers sent and where the engine placed them, the
// result (and the flicker measured), then the decoder's seam: Train and Go online are callbacks
// (DecoderActions) that whoever trains and runs models provides, and the training report they
// hand back is shown here. On a board that cues by itself the panel says so and can follow it.

import type { CalibrationConfig, ConfigProblem } from './paradigm.js';
import { progressText } from './paradigm.js';
import { PARADIGM_NAMES, TASK_NAMES, runLengthSec, type CalibrationSettings, type ParadigmForm } from './calibration-form.js';
import { describeMeasured, describePlan, formatHz, frameCountingNote, planFlicker } from './ssvep.js';
import type { RunProgress } from './cue-driver.js';
import type { ActiveRun, CalibrationResult, PlacedCue } from './use-calibration.js';
import type { TrainingReport } from './training-report.js';
import { TrainingReportView } from './TrainingReportView.js';
import { formatDuration } from '../../ui/format.js';

/** What trains and runs a decoder: provided by the shell once those commands exist. */
export interface DecoderActions {
  /** Trains a model on a calibration (absent: this build cannot train; the button says so). */
  readonly onTrain?: (calibration: CalibrationResult) => void;
  readonly training?: boolean;
  /** The last training's figures. */
  readonly report?: TrainingReport | null;
  /** Why training or going online failed (a sentence). */
  readonly decoderError?: string | null;
  /** Runs the trained model on the stream (absent: nothing to run yet). */
  readonly onGoOnline?: () => void;
  readonly onGoOffline?: () => void;
  readonly online?: boolean;
  /** The decoder Train uses, the kinds to choose from, and the choice (absent: no picker). */
  readonly decoderKind?: string;
  readonly decoderChoices?: readonly { readonly kind: string; readonly label: string }[];
  readonly onDecoderKind?: (kind: string) => void;
  /** Why Train must wait (a sentence), e.g. while the calibration's recording finishes. */
  readonly trainBlocked?: string | null;
  /** Where the trained model was saved. */
  readonly modelPath?: string | null;
  /** What happens to the calibration's data (its recording), in a sentence. */
  readonly note?: string | null;
  /** Whether going online also writes `prediction: CLASS` into the recording at each change of class. */
  readonly annotate?: boolean;
  readonly onAnnotate?: (annotate: boolean) => void;
}

export interface CalibrationPanelProps {
  readonly settings: CalibrationSettings;
  readonly onSettings: (settings: CalibrationSettings) => void;
  readonly config: CalibrationConfig | null;
  readonly problems: readonly ConfigProblem[];
  /** The board is streaming (a calibration needs samples to mark). */
  readonly streaming: boolean;
  readonly active: ActiveRun | null;
  readonly progress: RunProgress | null;
  readonly markersSent: number;
  readonly markersPlaced: number;
  readonly recentCues: readonly PlacedCue[];
  readonly result: CalibrationResult | null;
  readonly error: string | null;
  /** The display's measured refresh rate (SSVEP planning). */
  readonly refreshHz: number | null;
  /** The board generates its own cues: its option's label ("Motor-imagery cues"), else null. */
  readonly boardCueMode: string | null;
  /** Class labels the board has sent as its own markers. */
  readonly boardCueLabels: readonly string[];
  readonly sampleRateHz: number | null;
  readonly onStart: () => void;
  readonly onAbort: () => void;
  readonly decoder: DecoderActions;
}

type TextField = Exclude<keyof ParadigmForm, 'phaseMarkers'>;

const FIELDS: readonly { key: TextField; label: string; testId: string; wide?: boolean; ssvepOnly?: boolean }[] = [
  { key: 'classes', label: 'Classes', testId: 'cal-classes', wide: true },
  { key: 'frequencies', label: 'Frequencies (Hz)', testId: 'cal-frequencies', wide: true, ssvepOnly: true },
  { key: 'trialsPerClass', label: 'Trials / class', testId: 'cal-trials' },
  { key: 'fixationSec', label: 'Fixation (s)', testId: 'cal-fixation' },
  { key: 'cueSec', label: 'Cue (s)', testId: 'cal-cue' },
  { key: 'taskSec', label: 'Task (s)', testId: 'cal-task' },
  { key: 'breakSec', label: 'Break (s)', testId: 'cal-break' },
  { key: 'jitterSec', label: '+ jitter (s)', testId: 'cal-jitter' },
  { key: 'seed', label: 'Seed', testId: 'cal-seed' },
];

const PROBLEM_FIELDS: Record<ConfigProblem['field'], TextField> = {
  classes: 'classes',
  frequenciesHz: 'frequencies',
  trialsPerClass: 'trialsPerClass',
  fixationSec: 'fixationSec',
  cueSec: 'cueSec',
  taskSec: 'taskSec',
  breakSec: 'breakSec',
  jitterSec: 'jitterSec',
  seed: 'seed',
};

export function CalibrationPanel(props: CalibrationPanelProps) {
  const { settings, config, active, progress, result, decoder } = props;
  const kind = settings.kind;
  const form = settings.forms[kind];
  const running = active !== null;
  const followBoard = props.boardCueMode !== null && settings.useBoardCues;
  const badFields = new Set(props.problems.map((p) => PROBLEM_FIELDS[p.field]));
  const setForm = (patch: Partial<ParadigmForm>) => props.onSettings({ ...settings, forms: { ...settings.forms, [kind]: { ...form, ...patch } } });
  const measuring = kind === 'ssvep' && !followBoard && props.refreshHz === null;
  const blocked = !props.streaming
    ? 'Start streaming to calibrate: the markers go into the stream.'
    : followBoard && kind === 'ssvep'
      ? "The board's cues are motor-imagery cues: choose Motor imagery, or stop following them."
      : measuring
        ? 'Measuring the display refresh first…'
        : null;
  const canStart = !running && config !== null && blocked === null;
  const trialCount = config ? config.classes.length * config.trialsPerClass : 0;
  const label = (key: TextField) => (key === 'taskSec' ? `${TASK_NAMES[kind]} (s)` : FIELDS.find((f) => f.key === key)!.label);

  return (
    <section className="panel decoding-panel" aria-labelledby="decoding-title" data-testid="calibration-panel">
      <header className="panel-header">
        <h2 id="decoding-title">Decoding</h2>
        <span className="panel-note">{running ? 'calibrating' : decoder.online ? 'online' : 'calibration'}</span>
      </header>
      <div className="decoding-body">
        <div className="segmented" role="group" aria-label="Paradigm">
          {(['mi', 'ssvep'] as const).map((k) => (
            <button key={k} type="button" className={`seg ${kind === k ? 'on' : ''}`} aria-pressed={kind === k} disabled={running} onClick={() => props.onSettings({ ...settings, kind: k })} data-testid={`paradigm-${k}`}>
              {PARADIGM_NAMES[k]}
            </button>
          ))}
        </div>

        {props.boardCueMode !== null && (
          <div className="board-cues-note" data-testid="board-cues-note">
            <p>
              This board sends its own cues ({props.boardCueMode}
              {props.boardCueLabels.length > 0 ? `: ${props.boardCueLabels.join(', ')} seen` : ''}). Following them, the stage shows each cue as the board marks it, at its own sample.
            </p>
            <label className="check">
              <input type="checkbox" checked={settings.useBoardCues} disabled={running} onChange={(e) => props.onSettings({ ...settings, useBoardCues: e.target.checked })} data-testid="follow-board-cues" />
              Follow the board&apos;s cues
            </label>
          </div>
        )}
        {props.boardCueMode === null && props.boardCueLabels.length > 0 && (
          <p className="panel-note" data-testid="board-cues-note">
            The board is sending markers named like the classes ({props.boardCueLabels.join(', ')}): a replayed calibration? Its markers are in the stream already.
          </p>
        )}

        <fieldset className="cal-grid" disabled={running}>
          {FIELDS.filter((f) => !f.ssvepOnly || kind === 'ssvep').map((f) => (
            <label key={f.key} className={`field ${f.wide ? 'wide' : ''}`}>
              <span className="field-label">{label(f.key)}</span>
              <input type="text" value={form[f.key]} aria-invalid={badFields.has(f.key)} onChange={(e) => setForm({ [f.key]: e.target.value })} data-testid={f.testId} spellCheck={false} />
            </label>
          ))}
          <label className="check wide">
            <input type="checkbox" checked={form.phaseMarkers} onChange={(e) => setForm({ phaseMarkers: e.target.checked })} data-testid="cal-phase-markers" />
            Also mark fixation and break
          </label>
        </fieldset>

        {kind === 'ssvep' && (
          <div className="ssvep-plan" data-testid="ssvep-plan" data-refresh-hz={props.refreshHz ?? undefined}>
            <p className="panel-note">{frameCountingNote(props.refreshHz)}</p>
            {config && props.refreshHz !== null && (
              <ul>
                {config.classes.map((c, i) => (
                  <li key={c}>
                    {c}: {describePlan(planFlicker(config.frequenciesHz[i], props.refreshHz!))}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        {props.problems.length > 0 && (
          <p className="form-error" role="alert" data-testid="cal-problems">
            {props.problems.map((p) => p.message).join('; ')}
          </p>
        )}

        <div className="cal-actions">
          {running ? (
            <button type="button" className="btn stop" onClick={props.onAbort} data-testid="cal-abort">
              Abort
            </button>
          ) : (
            <button type="button" className="btn primary" disabled={!canStart} onClick={props.onStart} data-testid="cal-start" title={blocked ?? undefined}>
              Start calibration
            </button>
          )}
          <span className="cal-summary muted">
            {config ? `${trialCount} trials${followBoard ? ' from the board' : `, about ${formatDuration(runLengthSec(config))}`}` : ''}
          </span>
        </div>
        {blocked && !running && <p className="panel-note">{blocked}</p>}

        {(running || props.markersSent > 0) && (
          <div className="cal-progress" data-testid="cal-progress" data-trial={progress ? progress.trialIndex + 1 : 0} data-count={progress?.trialCount ?? 0} data-status={progress?.status ?? ''}>
            {active?.source === 'board' ? (
              <span>{active.progress.text}</span>
            ) : progress ? (
              <span>
                {progress.status === 'finished' ? 'done: ' : ''}
                {progressText(progress.trialIndex, progress.trialCount)}
                {progress.phase && progress.status === 'running' ? ` · ${phaseName(progress.phase, kind)}${progress.label && progress.phase !== 'fixation' ? ` ${progress.label}` : ''}` : ''}
              </span>
            ) : null}
            {progress && progress.trialCount > 0 && (
              <span className="progress-track">
                <span className="progress-fill" style={{ width: `${(trialsDone(progress) / progress.trialCount) * 100}%` }} />
              </span>
            )}
            <span className="cal-markers" data-testid="cal-markers" data-sent={props.markersSent} data-placed={props.markersPlaced}>
              markers: {props.markersSent} sent, {props.markersPlaced} placed by the engine
            </span>
            {props.recentCues.length > 0 && (
              <ul className="rec-markers cal-cues" data-testid="cal-cues">
                {props.recentCues.map((c, i) => (
                  <li key={`${c.sampleIndex}-${i}`} className="rec-marker">
                    <span className="rec-marker-label">{c.label}</span> <span className="muted">sample {c.sampleIndex}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {props.error && (
          <p className="form-error" role="alert" data-testid="cal-error">
            {props.error}
          </p>
        )}

        {result && !running && <ResultSummary result={result} />}

        {decoder.note && (
          <p className="panel-note" data-testid="decoder-note">
            {decoder.note}
          </p>
        )}
        <div className="decoder-actions">
          {decoder.decoderChoices && decoder.onDecoderKind && (
            <label className="field">
              <span className="field-label">Decoder</span>
              <select value={decoder.decoderKind} disabled={decoder.training === true || running} onChange={(e) => decoder.onDecoderKind?.(e.target.value)} data-testid="decoder-kind">
                {decoder.decoderChoices.map((c) => (
                  <option key={c.kind} value={c.kind}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="btn"
            disabled={!decoder.onTrain || !result || result.cues.length === 0 || decoder.training === true || running || Boolean(decoder.trainBlocked)}
            onClick={() => result && decoder.onTrain?.(result)}
            title={decoder.trainBlocked ?? (decoder.onTrain ? 'Train a decoder on this calibration' : 'Training is not available in this build yet')}
            data-testid="train-button"
          >
            {decoder.training ? 'Training…' : 'Train'}
          </button>
          {decoder.online ? (
            <button type="button" className="btn stop" disabled={!decoder.onGoOffline} onClick={decoder.onGoOffline} data-testid="online-button">
              Stop online
            </button>
          ) : (
            <button type="button" className="btn" disabled={!decoder.onGoOnline || running} onClick={decoder.onGoOnline} title={decoder.onGoOnline ? 'Run the trained decoder on the stream' : 'Nothing to run yet: train a decoder first'} data-testid="online-button">
              Go online
            </button>
          )}
          {!decoder.onTrain && <span className="panel-note">Training arrives with the decoders.</span>}
        </div>
        {decoder.onAnnotate && (
          <label className="check" title="While online, a recording gets an annotation each time the predicted class changes">
            <input type="checkbox" checked={decoder.annotate === true} disabled={decoder.online === true} onChange={(e) => decoder.onAnnotate?.(e.target.checked)} data-testid="annotate-predictions" />
            Write predictions into the recording
          </label>
        )}
        {decoder.trainBlocked && <p className="panel-note">{decoder.trainBlocked}</p>}
        {decoder.decoderError && (
          <p className="form-error" role="alert" data-testid="decoder-error">
            {decoder.decoderError}
          </p>
        )}
        {decoder.modelPath && (
          <p className="panel-note" data-testid="model-path">
            Model saved to {decoder.modelPath}
          </p>
        )}
        {decoder.report && <TrainingReportView report={decoder.report} />}
      </div>
    </section>
  );
}

/** Trials over: all once finished, else those before the current one. */
function trialsDone(progress: RunProgress): number {
  return progress.status === 'finished' ? progress.trialCount : Math.max(0, Math.min(progress.trialIndex, progress.trialCount));
}

function phaseName(phase: NonNullable<RunProgress['phase']>, kind: CalibrationSettings['kind']): string {
  return phase === 'task' ? TASK_NAMES[kind].toLowerCase() : phase;
}

function ResultSummary({ result }: { result: CalibrationResult }) {
  const perClass = result.classes.map((c) => `${c} ${result.cues.filter((q) => q.label === c).length}`).join(' · ');
  const span = result.startSampleIndex !== null && result.endSampleIndex !== null && result.sampleRateHz ? ` over ${((result.endSampleIndex - result.startSampleIndex) / result.sampleRateHz).toFixed(1)} s` : '';
  return (
    <div className={`cal-result ${result.status}`} data-testid="cal-result" data-status={result.status} data-cues={result.cues.length} data-missed={result.missedTrials}>
      <p>
        <strong>{result.status === 'finished' ? 'Calibration complete' : 'Calibration aborted'}</strong>: {result.cues.length} cue{result.cues.length === 1 ? '' : 's'} placed{span} ({perClass})
        {result.cueSource === 'board' ? ", from the board's own markers" : ''}.
      </p>
      {(result.missedTrials > 0 || result.markerFailures > 0) && (
        <p className="note-warn">
          {result.missedTrials > 0 ? `${result.missedTrials} cue${result.missedTrials === 1 ? ' was' : 's were'} never drawn (the page was hidden or stalled). ` : ''}
          {result.markerFailures > 0 ? `${result.markerFailures} marker${result.markerFailures === 1 ? '' : 's'} refused by the engine.` : ''}
        </p>
      )}
      {result.refreshHz !== null && (
        <p className="panel-note">
          Display {result.refreshHz.toFixed(1)} Hz during the run{result.lateFrames > 0 ? `, ${result.lateFrames} late frame${result.lateFrames === 1 ? '' : 's'}` : ', no late frames'}.
        </p>
      )}
      {result.flicker && (
        <ul className="ssvep-measured" data-testid="ssvep-measured" data-refresh-hz={result.refreshHz ?? undefined} data-frames={result.frames} data-late-frames={result.lateFrames}>
          {result.flicker.map((f) => (
            <li key={f.label} data-label={f.label} data-planned-hz={f.plannedHz} data-measured-hz={f.measuredHz ?? undefined} data-cycles={f.cycles}>
              {f.label} ({formatHz(f.requestedHz)} Hz asked): {describeMeasured(f)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
