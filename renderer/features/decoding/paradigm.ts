// The calibration paradigm as pure logic (no DOM, no clock of its own): the configuration, a seeded
// trial schedule (every class the same number of times, in a shuffled order, with a random
// inter-trial jitter), the state at any time into a run, and a run that is advanced frame by
// frame by whoever draws it, reporting which phase each frame enters so that the drawer can stamp
// the phase's marker at that very frame. Abort ends a run at once.
//
// A trial is four phases: fixation (a cross), cue (motor imagery: the arrow or word; SSVEP: the
// target to look at is outlined), task (motor imagery: imagine while the cross stays; SSVEP: the
// targets flicker), break (blank, `breakSec` plus a uniform jitter in [0, jitterSec)). The class
// label marks the phase where the class starts: the cue for motor imagery, the flicker's onset for
// SSVEP. Markers (the engine's `addMarker` labels):
//   - `<class label>` (e.g. `left`): the first frame that drew the class's cue (MI) or flicker (SSVEP);
//   - `fixation`, `break`: the first frame of each trial's fixation and break (when phase markers are on);
//   - `calibration-start`, `calibration-end`, `calibration-abort`: the run's first frame, its end, an abort.
// A class may not be named like one of these.

import { Random } from '../../../electron/common/random.js';

export type ParadigmKind = 'mi' | 'ssvep';
export type TrialPhase = 'fixation' | 'cue' | 'task' | 'break';
export const TRIAL_PHASES: readonly TrialPhase[] = ['fixation', 'cue', 'task', 'break'];

export const MARKER_FIXATION = 'fixation';
export const MARKER_BREAK = 'break';
export const MARKER_START = 'calibration-start';
export const MARKER_END = 'calibration-end';
export const MARKER_ABORT = 'calibration-abort';
/** Labels the paradigm itself uses: no class may take one. */
export const RESERVED_LABELS: readonly string[] = [MARKER_FIXATION, MARKER_BREAK, MARKER_START, MARKER_END, MARKER_ABORT];

/** Phase lengths (s). */
export interface PhaseTiming {
  readonly fixationSec: number;
  readonly cueSec: number;
  /** Motor imagery: the imagery period after the cue. SSVEP: the flicker. */
  readonly taskSec: number;
  readonly breakSec: number;
  /** Each break is longer by a uniform draw in [0, jitterSec). */
  readonly jitterSec: number;
}

export interface CalibrationConfig {
  readonly kind: ParadigmKind;
  /** Class labels, in order (they become the cue markers). */
  readonly classes: readonly string[];
  /** SSVEP: one flicker frequency per class, in the order of `classes` (motor imagery: empty). */
  readonly frequenciesHz: readonly number[];
  readonly trialsPerClass: number;
  readonly timing: PhaseTiming;
  /** The schedule's seed: the same seed, the same order and jitter. */
  readonly seed: number;
  /** Also mark each trial's fixation and break (the class label is always marked). */
  readonly phaseMarkers: boolean;
}

/** The phase whose first frame carries the class label. */
export function classPhaseOf(kind: ParadigmKind): TrialPhase {
  return kind === 'ssvep' ? 'task' : 'cue';
}

export const MAX_CLASSES = 8;
export const MAX_TRIALS_PER_CLASS = 200;
export const MAX_PHASE_SEC = 60;
export const MAX_LABEL_LENGTH = 40;

/** What is wrong with a configuration, one sentence per problem, with the field at fault. */
export interface ConfigProblem {
  readonly field: 'classes' | 'frequenciesHz' | 'trialsPerClass' | keyof PhaseTiming | 'seed';
  readonly message: string;
}

export function configProblems(config: CalibrationConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { classes } = config;
  if (classes.length < 2) problems.push({ field: 'classes', message: 'a calibration needs at least two classes' });
  if (classes.length > MAX_CLASSES) problems.push({ field: 'classes', message: `at most ${MAX_CLASSES} classes` });
  for (const label of classes) {
    if (label.trim() === '' || label !== label.trim()) problems.push({ field: 'classes', message: 'a class label may not be empty or start or end with a space' });
    else if (label.length > MAX_LABEL_LENGTH) problems.push({ field: 'classes', message: `class label "${label.slice(0, 12)}…" is longer than ${MAX_LABEL_LENGTH} characters` });
    else if (RESERVED_LABELS.includes(label)) problems.push({ field: 'classes', message: `"${label}" is a marker of the paradigm itself: name the class otherwise` });
  }
  if (new Set(classes).size !== classes.length) problems.push({ field: 'classes', message: 'each class label must be different' });
  if (config.kind === 'ssvep') {
    if (config.frequenciesHz.length !== classes.length) problems.push({ field: 'frequenciesHz', message: `one flicker frequency per class: ${classes.length} classes, ${config.frequenciesHz.length} frequencies` });
    if (config.frequenciesHz.some((f) => !Number.isFinite(f) || f <= 0)) problems.push({ field: 'frequenciesHz', message: 'flicker frequencies must be positive numbers of Hz' });
  }
  if (!Number.isInteger(config.trialsPerClass) || config.trialsPerClass < 1 || config.trialsPerClass > MAX_TRIALS_PER_CLASS) {
    problems.push({ field: 'trialsPerClass', message: `trials per class must be a whole number from 1 to ${MAX_TRIALS_PER_CLASS}` });
  }
  const t = config.timing;
  for (const key of ['fixationSec', 'cueSec', 'taskSec', 'breakSec', 'jitterSec'] as const) {
    const v = t[key];
    if (!Number.isFinite(v) || v < 0 || v > MAX_PHASE_SEC) problems.push({ field: key, message: `${PHASE_NAMES[key]} must be 0 to ${MAX_PHASE_SEC} s` });
  }
  const classPhase = classPhaseOf(config.kind) === 'cue' ? 'cueSec' : 'taskSec';
  if (Number.isFinite(t[classPhase]) && t[classPhase] <= 0) problems.push({ field: classPhase, message: `the ${PHASE_NAMES[classPhase]} carries the class: it must last longer than 0 s` });
  if (!Number.isSafeInteger(config.seed) || config.seed < 0) problems.push({ field: 'seed', message: 'the seed must be a whole number of 0 or more' });
  return problems;
}

const PHASE_NAMES: Record<keyof PhaseTiming, string> = { fixationSec: 'the fixation', cueSec: 'the cue', taskSec: 'the task period', breakSec: 'the break', jitterSec: 'the jitter' };

export interface ScheduledTrial {
  /** 0-based position in the run. */
  readonly index: number;
  readonly label: string;
  /** Index into the configuration's classes. */
  readonly classIndex: number;
  /** Where each phase starts, in ms from the run's start (phases of length 0 start where the next does). */
  readonly fixationAtMs: number;
  readonly cueAtMs: number;
  readonly taskAtMs: number;
  readonly breakAtMs: number;
  readonly endAtMs: number;
}

export interface TrialSchedule {
  readonly config: CalibrationConfig;
  readonly trials: readonly ScheduledTrial[];
  readonly durationMs: number;
}

/** A fixed stream of the seed's generator for the order, another for the jitter (so one does not shift the other). */
const STREAM_ORDER = 1;
const STREAM_JITTER = 2;

/**
 * The trials of a run: each class `trialsPerClass` times, shuffled (Fisher-Yates on a seeded
 * generator), with each break `breakSec` plus a seeded uniform jitter in [0, jitterSec). Times
 * are whole milliseconds. Throws the first problem of an invalid configuration.
 */
export function buildSchedule(config: CalibrationConfig): TrialSchedule {
  const problems = configProblems(config);
  if (problems.length > 0) throw new RangeError(problems[0].message);
  const order: number[] = [];
  for (let c = 0; c < config.classes.length; c++) for (let k = 0; k < config.trialsPerClass; k++) order.push(c);
  const shuffle = new Random(config.seed, STREAM_ORDER);
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const jitter = new Random(config.seed, STREAM_JITTER);
  const ms = (sec: number) => Math.round(sec * 1000);
  const t = config.timing;
  const trials: ScheduledTrial[] = [];
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    const fixationAtMs = at;
    const cueAtMs = fixationAtMs + ms(t.fixationSec);
    const taskAtMs = cueAtMs + ms(t.cueSec);
    const breakAtMs = taskAtMs + ms(t.taskSec);
    const endAtMs = breakAtMs + ms(t.breakSec + jitter.nextFloat() * t.jitterSec);
    trials.push({ index: i, label: config.classes[order[i]], classIndex: order[i], fixationAtMs, cueAtMs, taskAtMs, breakAtMs, endAtMs });
    at = endAtMs;
  }
  return { config, trials, durationMs: at };
}

/** Where a run is at some time: the trial and its phase, or before the first / after the last. */
export interface ScheduleState {
  /** -1 before the start; `trials.length` once the schedule is over. */
  readonly trialIndex: number;
  readonly phase: TrialPhase | null;
  /** The current trial's class (null outside a trial). */
  readonly label: string | null;
  /** Time into the current phase (ms). */
  readonly phaseElapsedMs: number;
}

/** The phase `elapsedMs` into a run (binary search over the trials; a phase of length 0 is never current). */
export function stateAt(schedule: TrialSchedule, elapsedMs: number): ScheduleState {
  const trials = schedule.trials;
  if (elapsedMs < 0 || trials.length === 0) return { trialIndex: -1, phase: null, label: null, phaseElapsedMs: 0 };
  if (elapsedMs >= schedule.durationMs) return { trialIndex: trials.length, phase: null, label: null, phaseElapsedMs: 0 };
  let lo = 0;
  let hi = trials.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (trials[mid].fixationAtMs <= elapsedMs) lo = mid;
    else hi = mid - 1;
  }
  const trial = trials[lo];
  const starts: readonly [TrialPhase, number][] = [
    ['break', trial.breakAtMs],
    ['task', trial.taskAtMs],
    ['cue', trial.cueAtMs],
    ['fixation', trial.fixationAtMs],
  ];
  for (const [phase, startMs] of starts) {
    if (elapsedMs >= startMs) return { trialIndex: lo, phase, label: trial.label, phaseElapsedMs: elapsedMs - startMs };
  }
  return { trialIndex: lo, phase: 'fixation', label: trial.label, phaseElapsedMs: 0 };
}

export type RunStatus = 'ready' | 'running' | 'finished' | 'aborted';

/** What one frame of a run draws and marks. */
export interface RunFrame {
  readonly status: RunStatus;
  readonly state: ScheduleState;
  readonly trialCount: number;
  /** Marker labels this frame is the first to draw, in order (stamp them at this frame). */
  readonly markers: readonly string[];
  /** This frame entered a new phase (or a new trial's phase): redraw the stage. */
  readonly changed: boolean;
}

/**
 * One run of a schedule, advanced by the frames that draw it: `frame(nowMs)` at every animation
 * frame says what to draw and which markers that frame is the first to show. The run starts at
 * its first frame. A phase that no frame fell into (the page stalled) is not marked; a trial whose
 * class phase was never drawn is counted in `missedTrials`.
 */
export class ParadigmRun {
  private startMs = Number.NaN;
  private status: RunStatus = 'ready';
  private lastTrial = -1;
  private lastPhase: TrialPhase | null = null;
  /** Whether the current trial's class phase has been drawn. */
  private classDrawn = false;
  private readonly missed: number[] = [];
  private readonly classPhase: TrialPhase;

  constructor(readonly schedule: TrialSchedule) {
    this.classPhase = classPhaseOf(schedule.config.kind);
  }

  get currentStatus(): RunStatus {
    return this.status;
  }

  /** Trials (0-based) whose cue (MI) or flicker (SSVEP) no frame drew. */
  get missedTrials(): readonly number[] {
    return this.missed;
  }

  /** Time since the first frame (ms; 0 before it). */
  elapsedMs(nowMs: number): number {
    return Number.isNaN(this.startMs) ? 0 : nowMs - this.startMs;
  }

  frame(nowMs: number): RunFrame {
    const trialCount = this.schedule.trials.length;
    if (this.status === 'finished' || this.status === 'aborted') {
      return { status: this.status, state: { trialIndex: trialCount, phase: null, label: null, phaseElapsedMs: 0 }, trialCount, markers: [], changed: false };
    }
    const markers: string[] = [];
    if (this.status === 'ready') {
      this.status = 'running';
      this.startMs = nowMs;
      markers.push(MARKER_START);
    }
    const state = stateAt(this.schedule, nowMs - this.startMs);
    const changed = state.trialIndex !== this.lastTrial || state.phase !== this.lastPhase;
    if (changed) {
      if (state.trialIndex !== this.lastTrial) {
        if (this.lastTrial >= 0 && !this.classDrawn) this.missed.push(this.lastTrial);
        // trials skipped whole (a stall longer than a trial)
        for (let k = this.lastTrial + 1; k < Math.min(state.trialIndex, trialCount); k++) this.missed.push(k);
        this.classDrawn = false;
      }
      if (state.phase !== null) {
        const label = this.markerOf(state.phase, state.label!);
        if (state.phase === this.classPhase) this.classDrawn = true;
        if (label !== null) markers.push(label);
      }
      this.lastTrial = state.trialIndex;
      this.lastPhase = state.phase;
    }
    if (state.trialIndex >= trialCount) {
      this.status = 'finished';
      markers.push(MARKER_END);
    }
    return { status: this.status, state, trialCount, markers, changed };
  }

  /** Stops the run; answers the markers to send (the abort's), or none when it had already ended. */
  abort(): readonly string[] {
    if (this.status === 'finished' || this.status === 'aborted') return [];
    const started = this.status === 'running';
    this.status = 'aborted';
    return started ? [MARKER_ABORT] : [];
  }

  private markerOf(phase: TrialPhase, label: string): string | null {
    if (phase === this.classPhase) return label;
    if (!this.schedule.config.phaseMarkers) return null;
    if (phase === 'fixation') return MARKER_FIXATION;
    if (phase === 'break') return MARKER_BREAK;
    return null;
  }
}

/** "trial 7 of 30" (1-based; the last trial's number once it is over). */
export function progressText(trialIndex: number, trialCount: number): string {
  if (trialIndex < 0) return `trial 1 of ${trialCount}`;
  return `trial ${Math.min(trialIndex + 1, trialCount)} of ${trialCount}`;
}

/** What the cue of a class looks like: an arrow for the directions, else the word itself. */
export function cueSymbolOf(label: string): string | null {
  switch (label.toLowerCase()) {
    case 'left':
    case 'left hand':
    case 'left-hand':
      return '←';
    case 'right':
    case 'right hand':
    case 'right-hand':
      return '→';
    case 'feet':
    case 'foot':
    case 'down':
      return '↓';
    case 'tongue':
    case 'up':
      return '↑';
    default:
      return null;
  }
}
