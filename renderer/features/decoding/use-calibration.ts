// The calibration as React holds it: the form (remembered), the run in progress and its progress,
// the markers sent and where the engine placed them, and the result a "Train" callback receives.
// A run draws its own schedule (CueDriver stamps each cue marker at the frame that drew it), or,
// on a board that cues by itself, follows the board's cue markers (the stage shows each as it
// arrives; the engine already has them at their own sample). Either way the run is bracketed by
// `calibration-start` and `calibration-end` (or `calibration-abort`) markers. A run stops when
// streaming stops or a marker is refused.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { MarkerInfo } from '../../../electron/common/contract/commands.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import type { Workstation } from '../../stream/workstation.js';
import { errorText } from '../../ui/format.js';
import { MARKER_ABORT, MARKER_END, MARKER_START, ParadigmRun, buildSchedule, type CalibrationConfig, type ConfigProblem, type ParadigmKind, type PhaseTiming } from './paradigm.js';
import { parseForm, restoreSettings, type CalibrationSettings } from './calibration-form.js';
import { nominalRefreshHz, planFlicker, RefreshMeter, type FlickerPlan, type FlickerReport } from './ssvep.js';
import { CueDriver, hostNowMs, type CueStageElements, type RunOutcome, type RunProgress } from './cue-driver.js';
import { boardCueProgress, cueLabelsAmong, type BoardCueProgress } from './board-cues.js';

const SETTINGS_KEY = 'bci.calibration';

/** A cue as the engine placed it. */
export interface PlacedCue {
  readonly label: string;
  readonly sampleIndex: number;
}

/** What a finished (or aborted) calibration hands to training. */
export interface CalibrationResult {
  readonly kind: ParadigmKind;
  /** Drawn here from a schedule, or the board's own cue markers. */
  readonly cueSource: 'paradigm' | 'board';
  readonly status: 'finished' | 'aborted';
  readonly classes: readonly string[];
  /** SSVEP: the frequency each class flickered at (frame-counted), in the order of `classes`. */
  readonly frequenciesHz: readonly number[];
  readonly timing: PhaseTiming;
  /** Each class cue, in order, at the sample the engine mapped it to. */
  readonly cues: readonly PlacedCue[];
  readonly startSampleIndex: number | null;
  readonly endSampleIndex: number | null;
  readonly sampleRateHz: number | null;
  readonly trialCount: number;
  /** Trials whose cue no frame drew (the page was hidden or stalled). */
  readonly missedTrials: number;
  /** Markers the engine refused or never answered. */
  readonly markerFailures: number;
  /** The display during the run (measured from its frames): its rate, the frames drawn, those that came late. */
  readonly refreshHz: number | null;
  readonly frames: number;
  readonly lateFrames: number;
  readonly flicker: readonly FlickerReport[] | null;
  /**
   * How long each class period lasts after its cue (s): the paradigm's cue and task phases (SSVEP:
   * the flicker), or on a board that cues by itself the shortest measured cue-to-next-marker
   * interval (null: none measured). What a decoder's epoch window can span.
   */
  readonly imagerySec: number | null;
}

/** The run in progress, for the cue stage. */
export type ActiveRun =
  | {
      readonly source: 'paradigm';
      readonly config: CalibrationConfig;
      readonly plans: readonly FlickerPlan[] | null;
      /** Hands the stage's elements to the frame loop; answers its teardown. */
      readonly attach: (elements: CueStageElements) => () => void;
    }
  | { readonly source: 'board'; readonly config: CalibrationConfig; readonly plans: null; readonly cue: string | null; readonly progress: BoardCueProgress };

export interface CalibrationView {
  readonly settings: CalibrationSettings;
  readonly setSettings: (settings: CalibrationSettings) => void;
  /** The current form's configuration, or its problems. */
  readonly config: CalibrationConfig | null;
  readonly problems: readonly ConfigProblem[];
  readonly active: ActiveRun | null;
  readonly progress: RunProgress | null;
  /** Markers sent this run, and those the engine placed. */
  readonly markersSent: number;
  readonly markersPlaced: number;
  /** The last cues placed (newest last), for the panel. */
  readonly recentCues: readonly PlacedCue[];
  readonly result: CalibrationResult | null;
  readonly error: string | null;
  /** The display's refresh rate, measured while the SSVEP form is open (null: measuring). */
  readonly refreshHz: number | null;
  /** Labels among the configured classes that the board has sent as its own markers. */
  readonly boardCueLabels: readonly string[];
  /** The class cued on screen now: the run's cue or flicker, else the board's last class marker (null: none). */
  readonly currentCue: string | null;
  readonly start: () => void;
  readonly abort: () => void;
}

interface CalibrationInput {
  readonly client: EngineClient;
  readonly workstation: Workstation;
  readonly state: EngineState;
  readonly sampleRateHz: number | null;
  /** The connected board sends its own cue markers (boardCueMode): the user may follow them. */
  readonly boardCues: boolean;
  /** Changes when the board changes (its cue labels are forgotten). */
  readonly boardKey: string;
  /** The bridge to the engine is up (a WebSocket can drop): a run cannot go on without it. */
  readonly bridgeConnected: boolean;
}

function loadSettings(): CalibrationSettings {
  try {
    return restoreSettings(localStorage.getItem(SETTINGS_KEY));
  } catch {
    return restoreSettings(null);
  }
}

/** The refresh rate of the display, measured over ~1.5 s of frames while `active`. */
function useRefreshRate(active: boolean): number | null {
  const [hz, setHz] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const meter = new RefreshMeter(90);
    let raf = requestAnimationFrame(function tick(t: number) {
      meter.push(t);
      if (meter.frames >= 91) {
        const measured = meter.refreshHz;
        setHz(measured === null ? null : nominalRefreshHz(measured));
        return;
      }
      raf = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(raf);
  }, [active]);
  return hz;
}

const RECENT_CUES = 6;

export function useCalibration({ client, workstation, state, sampleRateHz, boardCues, boardKey, bridgeConnected }: CalibrationInput): CalibrationView {
  const [settings, setSettingsState] = useState<CalibrationSettings>(loadSettings);
  const [active, setActive] = useState<ActiveRun | null>(null);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [markersSent, setMarkersSent] = useState(0);
  const [markersPlaced, setMarkersPlaced] = useState(0);
  const [recentCues, setRecentCues] = useState<readonly PlacedCue[]>([]);
  const [result, setResult] = useState<CalibrationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [boardLabels, setBoardLabels] = useState<readonly string[]>([]);
  /** The board's last marker, if it named a class. */
  const [boardCue, setBoardCue] = useState<string | null>(null);

  const setSettings = useCallback((next: CalibrationSettings) => {
    setSettingsState(next);
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
    } catch {
      // storage unavailable: the defaults next time
    }
  }, []);

  const followBoard = boardCues && settings.useBoardCues;
  const parsed = useMemo(() => parseForm(settings.kind, settings.forms[settings.kind]), [settings]);
  const config = parsed.ok ? parsed.config : null;
  const refreshHz = useRefreshRate(settings.kind === 'ssvep' && active === null);

  /** Everything about the run in progress that callbacks reach without re-rendering. */
  const runRef = useRef<{
    id: number;
    source: 'paradigm' | 'board';
    config: CalibrationConfig;
    plans: readonly FlickerPlan[] | null;
    driver: CueDriver | null;
    cues: PlacedCue[];
    startSampleIndex: number | null;
    endSampleIndex: number | null;
    failures: number;
    pending: Promise<unknown>[];
    boardCues: string[];
    /** Board runs: the class cue awaiting the board's next marker, and the measured cue lengths (samples). */
    openCue: number | null;
    cueLengths: number[];
    ending: boolean;
  } | null>(null);
  const runSerial = useRef(0);
  const sampleRateRef = useRef(sampleRateHz);
  sampleRateRef.current = sampleRateHz;

  const finishRef = useRef<(status: 'finished' | 'aborted') => void>(() => undefined);

  // the board's own markers: which class labels it sends (reset with the board), and its cues during a board-cued run
  useEffect(() => {
    setBoardLabels([]);
    setBoardCue(null);
  }, [boardKey]);
  const classesRef = useRef<readonly string[]>([]);
  classesRef.current = config?.classes ?? [];
  const classesKey = (config?.classes ?? []).join('\u0000');
  useEffect(() => {
    const sub = workstation.onMarker.on((marker: MarkerInfo) => {
      if (marker.source !== 'board') return;
      setBoardLabels((seen) => (seen.includes(marker.label) || seen.length >= 32 ? seen : [...seen, marker.label]));
      setBoardCue(classesRef.current.includes(marker.label) ? marker.label : null);
      const run = runRef.current;
      if (!run || run.source !== 'board' || run.ending || run.startSampleIndex === null || marker.sampleIndex < run.startSampleIndex) return;
      const isClass = run.config.classes.includes(marker.label);
      if (run.openCue !== null && marker.sampleIndex > run.openCue) run.cueLengths.push(marker.sampleIndex - run.openCue);
      run.openCue = isClass ? marker.sampleIndex : null;
      if (isClass) {
        run.boardCues.push(marker.label);
        run.cues.push({ label: marker.label, sampleIndex: marker.sampleIndex });
        setRecentCues((list) => [...list.slice(-(RECENT_CUES - 1)), { label: marker.label, sampleIndex: marker.sampleIndex }]);
      }
      const tally = boardCueProgress(run.config.classes, run.config.trialsPerClass, run.boardCues);
      setActive((a) => (a && a.source === 'board' ? { ...a, cue: isClass ? marker.label : null, progress: tally } : a));
      if (tally.done) finishRef.current('finished');
    });
    return () => sub.dispose();
  }, [workstation]);

  const sendMarker = useCallback(
    (label: string, hostTimeMs: number) => {
      const run = runRef.current;
      if (!run) return;
      setMarkersSent((n) => n + 1);
      const id = run.id;
      const reply = client.invoke('addMarker', { label, hostTimeMs }).then(
        (placed) => {
          if (runRef.current?.id !== id) return;
          setMarkersPlaced((n) => n + 1);
          if (label === MARKER_START) run.startSampleIndex = placed.sampleIndex;
          else if (label === MARKER_END || label === MARKER_ABORT) run.endSampleIndex = placed.sampleIndex;
          else if (run.config.classes.includes(label)) {
            run.cues.push({ label, sampleIndex: placed.sampleIndex });
            setRecentCues((list) => [...list.slice(-(RECENT_CUES - 1)), { label, sampleIndex: placed.sampleIndex }]);
          }
        },
        (e: unknown) => {
          if (runRef.current?.id !== id) return;
          run.failures++;
          // the first reason stays (an abort marker refused after the board went away says less)
          setError((previous) => previous ?? `the engine refused the "${label}" marker: ${errorText(e)}`);
          if (run.source === 'board') finishRef.current('aborted');
          else run.driver?.abort();
        },
      );
      run.pending.push(reply);
    },
    [client],
  );

  /** Builds the result once every marker of the run has its answer. */
  const complete = useCallback((outcome: RunOutcome) => {
    const run = runRef.current;
    if (!run) return;
    run.ending = true;
    void Promise.allSettled(run.pending).then(() => {
      if (runRef.current !== run) return;
      const cues = [...run.cues].sort((a, b) => a.sampleIndex - b.sampleIndex);
      const rate = sampleRateRef.current;
      const { timing } = run.config;
      const imagerySec =
        run.source === 'board' ? (run.cueLengths.length > 0 && rate ? Math.min(...run.cueLengths) / rate : null) : run.config.kind === 'ssvep' ? timing.taskSec : timing.cueSec + timing.taskSec;
      setResult({
        kind: run.config.kind,
        cueSource: run.source,
        status: outcome.status,
        classes: run.config.classes,
        frequenciesHz: run.plans ? run.plans.map((p) => p.frequencyHz) : [],
        timing: run.config.timing,
        cues,
        startSampleIndex: run.startSampleIndex,
        endSampleIndex: run.endSampleIndex,
        sampleRateHz: sampleRateRef.current,
        trialCount: outcome.trialCount,
        missedTrials: outcome.missedTrials.length,
        markerFailures: run.failures,
        refreshHz: outcome.refreshHz,
        frames: outcome.frames,
        lateFrames: outcome.lateFrames,
        flicker: outcome.flicker,
        imagerySec,
      });
      runRef.current = null;
      setActive(null);
    });
  }, []);

  const finishBoardRun = useCallback(
    (status: 'finished' | 'aborted') => {
      const run = runRef.current;
      if (!run || run.source !== 'board' || run.ending) return;
      sendMarker(status === 'finished' ? MARKER_END : MARKER_ABORT, hostNowMs());
      setProgress((p) => (p ? { ...p, status } : p));
      complete({ status, trialCount: run.boardCues.length, trialsDrawn: run.boardCues.length, missedTrials: [], frames: 0, lateFrames: 0, refreshHz: null, flicker: null });
    },
    [sendMarker, complete],
  );
  finishRef.current = finishBoardRun;

  const start = useCallback(() => {
    if (runRef.current || !config || state !== 'streaming') return;
    // SSVEP frames are counted against the measured refresh
    if (!followBoard && config.kind === 'ssvep' && refreshHz === null) return;
    setError(null);
    setResult(null);
    setMarkersSent(0);
    setMarkersPlaced(0);
    setRecentCues([]);
    const id = ++runSerial.current;
    const base = { id, config, driver: null, cues: [], startSampleIndex: null, endSampleIndex: null, failures: 0, pending: [], boardCues: [], openCue: null, cueLengths: [], ending: false };
    if (followBoard) {
      runRef.current = { ...base, source: 'board', plans: null };
      setActive({ source: 'board', config, plans: null, cue: null, progress: boardCueProgress(config.classes, config.trialsPerClass, []) });
      setProgress({ status: 'running', trialIndex: -1, trialCount: config.classes.length * config.trialsPerClass, phase: null, label: null });
      sendMarker(MARKER_START, hostNowMs());
      return;
    }
    const plans = config.kind === 'ssvep' && refreshHz !== null ? config.frequenciesHz.map((f) => planFlicker(f, refreshHz)) : null;
    const run = new ParadigmRun(buildSchedule(config));
    runRef.current = { ...base, source: 'paradigm', plans };
    const attach = (elements: CueStageElements) => {
      const driver = new CueDriver(run, elements, plans, {
        onMarker: sendMarker,
        onProgress: (p) => setProgress(p),
        onEnd: (outcome) => complete(outcome),
      });
      const current = runRef.current;
      if (current?.id === id) current.driver = driver;
      driver.start();
      return () => driver.dispose();
    };
    setProgress({ status: 'ready', trialIndex: -1, trialCount: run.schedule.trials.length, phase: null, label: null });
    setActive({ source: 'paradigm', config, plans, attach });
  }, [config, state, followBoard, refreshHz, sendMarker, complete]);

  /** Stops the run in progress (the stage's Abort, Escape, or streaming stopping under it). */
  const stopRun = useCallback(() => {
    const run = runRef.current;
    if (!run || run.ending) return;
    if (run.source === 'board') finishRef.current('aborted');
    else if (run.driver) run.driver.abort();
    else complete({ status: 'aborted', trialCount: 0, trialsDrawn: 0, missedTrials: [], frames: 0, lateFrames: 0, refreshHz: null, flicker: null });
  }, [complete]);

  // streaming stopped, or the bridge to the engine dropped, under a run: abort it, saying why
  useEffect(() => {
    if ((state === 'streaming' && bridgeConnected) || !runRef.current || runRef.current.ending) return;
    setError(bridgeConnected ? 'streaming stopped: the calibration was aborted' : 'the connection to the engine was lost: the calibration was aborted');
    stopRun();
  }, [state, bridgeConnected, stopRun]);

  // leaving the page mid-run: stop the frame loop
  useEffect(() => () => runRef.current?.driver?.dispose(), []);

  const boardCueLabels = useMemo(() => cueLabelsAmong(classesKey === '' ? [] : classesKey.split('\u0000'), boardLabels), [classesKey, boardLabels]);

  const runCue = active?.source === 'board' ? active.cue : progress?.status === 'running' && (progress.phase === 'cue' || progress.phase === 'task') ? progress.label : null;
  const currentCue = active ? runCue : boardCue;

  return {
    settings,
    setSettings,
    config,
    problems: parsed.ok ? [] : parsed.problems,
    active,
    progress,
    markersSent,
    markersPlaced,
    recentCues,
    result,
    error,
    refreshHz,
    boardCueLabels,
    currentCue,
    start,
    abort: stopRun,
  };
}
