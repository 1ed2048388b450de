// The assistive selection logic: a pure function of predictions stamped with sample indices, so
// live, replay and the headless host make the same selections. A target is selected only when its
// class's probability stays at or above the threshold for the dwell time (measured in sample
// indices, from the first prediction above the threshold to the current one), then nothing is
// selected for the refractory period. A target marked critical needs confirming: a second full
// dwell on it within the confirm time (or a switch press) selects it; anything else cancels.
// Schemes: direct (a motor-imagery class per target), ssvep (a flicker class per target; the same
// rule), scanning (targets highlighted one after another; the "select" class, or a single switch,
// picks the highlighted one; the highlight holds still while a dwell runs). Stop halts at once and
// holds until resume; a suspension (the signal-quality gate) holds dwell progress at zero.

export type AssistScheme = 'direct' | 'scanning' | 'ssvep';

export interface AssistTarget {
  readonly label: string;
  /** Needs a confirming second dwell (or a switch press) before it is selected. */
  readonly critical: boolean;
}

export interface SelectorConfig {
  readonly scheme: AssistScheme;
  readonly targets: readonly AssistTarget[];
  /** The model's classes, in the order of each prediction's probabilities. */
  readonly classes: readonly string[];
  /**
   * direct / ssvep: for each class, the target it selects (-1: a no-control class such as rest).
   * scanning: unused (see selectClass).
   */
  readonly classTargets: readonly number[];
  /** scanning: the class that picks the highlighted target. */
  readonly selectClass: number;
  readonly thresholdProb: number;
  readonly dwellSec: number;
  readonly refractorySec: number;
  /** Seconds a critical target waits for its confirming dwell before the request is dropped. */
  readonly confirmSec: number;
  /** scanning: seconds each target stays highlighted. */
  readonly scanStepSec: number;
  readonly sampleRateHz: number;
  /** The decoder's step (rows between predictions): predictions further apart than two steps restart a dwell. */
  readonly stepRows: number;
}

export type SelectorPhase = 'stopped' | 'suspended' | 'refractory' | 'idle' | 'dwelling' | 'confirming';

/** What the screen draws, after each prediction. */
export interface SelectorView {
  readonly phase: SelectorPhase;
  readonly sampleIndex: number;
  /** The target a dwell is running on (or awaiting confirmation), else -1. */
  readonly target: number;
  /** Dwell progress 0-1 on `target`. */
  readonly dwellFraction: number;
  /** scanning: the highlighted target; else -1. */
  readonly highlighted: number;
  /** A critical target waiting for its confirming dwell, else -1. */
  readonly confirming: number;
  /** Why selections are suspended (plain words), when they are. */
  readonly suspendedReason: string | null;
}

/** A selection: which target, on what evidence, under which settings. */
export interface Selection {
  readonly target: number;
  readonly label: string;
  /** The last sample of the window of the prediction that completed the dwell. */
  readonly sampleIndex: number;
  /** The first prediction's window's last sample of the dwell. */
  readonly dwellStartSampleIndex: number;
  /** That prediction's class probabilities. */
  readonly probabilities: readonly number[];
  /** The probability that held the dwell (the target's class, or the select class). */
  readonly probability: number;
  readonly thresholdProb: number;
  readonly dwellSec: number;
  readonly refractorySec: number;
  readonly scheme: AssistScheme;
  /** 'switch': picked with the single switch; 'confirmed': a critical target's second dwell. */
  readonly via: 'dwell' | 'confirmed' | 'switch';
}

/** What happened at one prediction besides the view. */
export type SelectorEvent =
  | { readonly type: 'selection'; readonly selection: Selection }
  | { readonly type: 'confirm-requested'; readonly target: number; readonly label: string; readonly sampleIndex: number }
  | { readonly type: 'confirm-cancelled'; readonly target: number; readonly label: string; readonly sampleIndex: number; readonly reason: string };

export class Selector {
  private stopped = false;
  private suspendedReason: string | null = null;
  private dwellTarget = -1;
  private dwellStart = -1;
  private lastPrediction = -1;
  private refractoryUntil = -1;
  private confirmTarget = -1;
  private confirmUntil = -1;
  private scanPosition = 0;
  private scanAnchor = -1;
  private lastSample = 0;
  private lastFraction = 0;
  private readonly dwellRows: number;
  private readonly refractoryRows: number;
  private readonly confirmRows: number;
  private readonly scanRows: number;

  constructor(readonly config: SelectorConfig) {
    const problems = selectorConfigProblems(config);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    const rate = config.sampleRateHz;
    this.dwellRows = Math.round(config.dwellSec * rate);
    this.refractoryRows = Math.round(config.refractorySec * rate);
    this.confirmRows = Math.round(config.confirmSec * rate);
    this.scanRows = Math.max(1, Math.round(config.scanStepSec * rate));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Halts selections at once (and any dwell or confirmation); holds until resume. */
  stop(): void {
    this.stopped = true;
    this.resetDwell();
    this.confirmTarget = -1;
  }

  /** Selections may happen again, from a fresh dwell. */
  resume(): void {
    this.stopped = false;
    this.resetDwell();
  }

  /** The quality gate's verdict: a reason suspends (dwell progress drops), null lets selections resume. */
  setSuspended(reason: string | null): void {
    if (reason !== null && this.suspendedReason === null) {
      this.resetDwell();
      this.confirmTarget = -1;
    }
    this.suspendedReason = reason;
  }

  /**
   * One prediction: the probabilities (in the model's class order) of the window ending at
   * sampleIndex. Returns what happened (usually nothing).
   */
  update(sampleIndex: number, probabilities: ArrayLike<number>, offset = 0): SelectorEvent[] {
    const c = this.config;
    const events: SelectorEvent[] = [];
    const contiguous = this.lastPrediction >= 0 && sampleIndex - this.lastPrediction <= 2 * c.stepRows;
    this.lastPrediction = sampleIndex;
    this.lastSample = sampleIndex;
    if (this.scanAnchor < 0) this.scanAnchor = sampleIndex;
    if (this.confirmTarget >= 0 && sampleIndex > this.confirmUntil) {
      events.push({ type: 'confirm-cancelled', target: this.confirmTarget, label: c.targets[this.confirmTarget].label, sampleIndex, reason: 'not confirmed in time' });
      this.confirmTarget = -1;
    }
    if (this.stopped || this.suspendedReason !== null) {
      this.resetDwell();
      return events;
    }
    if (sampleIndex < this.refractoryUntil) {
      this.resetDwell();
      this.scanAnchor = sampleIndex;
      return events;
    }
    // which target this prediction speaks for, and with what probability
    let candidate = -1;
    let probability = 0;
    if (c.scheme === 'scanning') {
      if (this.dwellTarget < 0) this.advanceScan(sampleIndex);
      probability = probabilities[offset + c.selectClass];
      if (probability >= c.thresholdProb) candidate = this.scanPosition;
    } else {
      let best = -1;
      let bestP = -1;
      for (let k = 0; k < c.classes.length; k++) {
        const p = probabilities[offset + k];
        if (p > bestP) {
          bestP = p;
          best = k;
        }
      }
      const target = c.classTargets[best];
      if (target >= 0 && bestP >= c.thresholdProb) {
        candidate = target;
        probability = bestP;
      }
    }
    if (candidate < 0 || !contiguous || candidate !== this.dwellTarget) {
      this.resetDwell();
      if (candidate >= 0 && this.confirmTarget >= 0 && candidate !== this.confirmTarget) {
        events.push({ type: 'confirm-cancelled', target: this.confirmTarget, label: c.targets[this.confirmTarget].label, sampleIndex, reason: `another target (${c.targets[candidate].label}) was chosen` });
        this.confirmTarget = -1;
      }
      if (candidate >= 0) {
        this.dwellTarget = candidate;
        this.dwellStart = sampleIndex;
      }
    }
    if (this.dwellTarget < 0) return events;
    const held = sampleIndex - this.dwellStart;
    this.lastFraction = this.dwellRows === 0 ? 1 : Math.min(1, held / this.dwellRows);
    if (held < this.dwellRows) return events;
    // the dwell is complete
    const target = this.dwellTarget;
    const dwellStart = this.dwellStart;
    this.resetDwell();
    this.refractoryUntil = sampleIndex + this.refractoryRows;
    this.scanAnchor = this.refractoryUntil;
    const label = c.targets[target].label;
    if (c.targets[target].critical && this.confirmTarget !== target) {
      this.confirmTarget = target;
      this.confirmUntil = sampleIndex + this.refractoryRows + this.confirmRows;
      events.push({ type: 'confirm-requested', target, label, sampleIndex });
      return events;
    }
    const via = this.confirmTarget === target ? 'confirmed' : 'dwell';
    this.confirmTarget = -1;
    events.push({ type: 'selection', selection: this.selectionOf(target, sampleIndex, dwellStart, probabilities, offset, probability, via) });
    return events;
  }

  /**
   * A single-switch press at sampleIndex: in scanning, picks the highlighted target; with a
   * critical target awaiting confirmation, confirms it. Nothing while stopped, suspended or refractory.
   */
  switchPress(sampleIndex: number): SelectorEvent[] {
    const c = this.config;
    if (this.stopped || this.suspendedReason !== null || sampleIndex < this.refractoryUntil) return [];
    let target = -1;
    if (this.confirmTarget >= 0) target = this.confirmTarget;
    else if (c.scheme === 'scanning') target = this.scanPosition;
    if (target < 0) return [];
    const label = c.targets[target].label;
    this.resetDwell();
    this.refractoryUntil = sampleIndex + this.refractoryRows;
    this.scanAnchor = this.refractoryUntil;
    if (c.targets[target].critical && this.confirmTarget !== target) {
      this.confirmTarget = target;
      this.confirmUntil = sampleIndex + this.refractoryRows + this.confirmRows;
      return [{ type: 'confirm-requested', target, label, sampleIndex }];
    }
    this.confirmTarget = -1;
    const none = new Array<number>(c.classes.length).fill(Number.NaN);
    return [{ type: 'selection', selection: this.selectionOf(target, sampleIndex, sampleIndex, none, 0, Number.NaN, 'switch') }];
  }

  view(): SelectorView {
    const phase: SelectorPhase = this.stopped
      ? 'stopped'
      : this.suspendedReason !== null
        ? 'suspended'
        : this.lastSample < this.refractoryUntil
          ? 'refractory'
          : this.dwellTarget >= 0
            ? 'dwelling'
            : this.confirmTarget >= 0
              ? 'confirming'
              : 'idle';
    return {
      phase,
      sampleIndex: this.lastSample,
      target: this.dwellTarget >= 0 ? this.dwellTarget : this.confirmTarget,
      dwellFraction: this.dwellTarget >= 0 ? this.lastFraction : 0,
      highlighted: this.config.scheme === 'scanning' ? this.scanPosition : -1,
      confirming: this.confirmTarget,
      suspendedReason: this.suspendedReason,
    };
  }

  private advanceScan(sampleIndex: number): void {
    const steps = Math.floor((sampleIndex - this.scanAnchor) / this.scanRows);
    if (steps <= 0) return;
    this.scanPosition = (this.scanPosition + steps) % this.config.targets.length;
    this.scanAnchor += steps * this.scanRows;
  }

  private resetDwell(): void {
    this.dwellTarget = -1;
    this.dwellStart = -1;
    this.lastFraction = 0;
  }

  private selectionOf(target: number, sampleIndex: number, dwellStart: number, probabilities: ArrayLike<number>, offset: number, probability: number, via: Selection['via']): Selection {
    const c = this.config;
    const probs: number[] = [];
    for (let k = 0; k < c.classes.length; k++) probs.push(probabilities[offset + k]);
    return {
      target,
      label: c.targets[target].label,
      sampleIndex,
      dwellStartSampleIndex: dwellStart,
      probabilities: probs,
      probability,
      thresholdProb: c.thresholdProb,
      dwellSec: c.dwellSec,
      refractorySec: c.refractorySec,
      scheme: c.scheme,
      via,
    };
  }
}

/** What is wrong with a configuration, in sentences (empty when it can run). */
export function selectorConfigProblems(c: SelectorConfig): string[] {
  const problems: string[] = [];
  if (c.targets.length < 2 || c.targets.length > 8) problems.push(`a board has 2 to 8 targets, got ${c.targets.length}`);
  if (!(c.thresholdProb > 0 && c.thresholdProb <= 1)) problems.push(`the threshold is a probability above 0 and at most 1, got ${c.thresholdProb}`);
  if (!(c.dwellSec >= 0 && c.dwellSec <= 30)) problems.push(`the dwell is 0 to 30 seconds, got ${c.dwellSec}`);
  if (!(c.refractorySec >= 0 && c.refractorySec <= 60)) problems.push(`the refractory period is 0 to 60 seconds, got ${c.refractorySec}`);
  if (!(c.sampleRateHz > 0)) problems.push('the sample rate must be above 0');
  if (c.scheme === 'scanning') {
    if (!(c.selectClass >= 0 && c.selectClass < c.classes.length)) problems.push('scanning needs the model class that selects the highlighted target');
    if (!(c.scanStepSec > c.dwellSec)) problems.push(`each target must stay highlighted longer than the dwell (${c.scanStepSec} s is not more than ${c.dwellSec} s)`);
  } else {
    if (c.classTargets.length !== c.classes.length) problems.push('every class of the model needs a target (or none, for rest)');
    const used = c.classTargets.filter((t) => t >= 0);
    if (used.some((t) => t >= c.targets.length)) problems.push('a class points at a target that does not exist');
    if (new Set(used).size !== used.length) problems.push('two classes point at the same target');
    if (used.length === 0) problems.push('no class of the model selects a target');
  }
  return problems;
}
