// The frame loop of a calibration run, outside React: every requestAnimationFrame callback advances
// the ParadigmRun, changes the cue stage's DOM in place (phase, cue, which SSVEP targets are lit),
// and only then stamps the markers this frame is the first to draw, with
// `performance.timeOrigin + performance.now()` (the same clock in every process, DESIGN.md §1):
// the browser paints what this callback changed at the next refresh, so a marker is at most the
// compositor's one frame ahead of the photons, never a request's round trip. SSVEP targets are
// lit by frame count (ssvep.ts); their measured flicker and the display's refresh come from the
// frames' own timestamps. React hears of phase changes only (a few a second).

import { ParadigmRun, type RunStatus, type ScheduleState, cueSymbolOf, progressText } from './paradigm.js';
import { FlickerMeter, RefreshMeter, flickerOn, type FlickerPlan, type FlickerReport } from './ssvep.js';

/** The stage's elements the driver writes to (rendered once by CueStage). */
export interface CueStageElements {
  /** Carries `data-phase` (fixation, cue, task, break, done) and `data-trial`. */
  readonly root: HTMLElement;
  /** The arrow and the word (motor imagery; null for SSVEP, whose outlined target is the cue). */
  readonly cue: HTMLElement | null;
  readonly cueWord: HTMLElement | null;
  readonly progress: HTMLElement;
  /** SSVEP targets, in the order of the classes (empty for motor imagery). */
  readonly targets: readonly HTMLElement[];
}

export interface RunProgress {
  readonly status: RunStatus;
  /** 0-based; -1 before the first frame. */
  readonly trialIndex: number;
  readonly trialCount: number;
  readonly phase: ScheduleState['phase'];
  readonly label: string | null;
}

export interface RunOutcome {
  readonly status: 'finished' | 'aborted';
  readonly trialCount: number;
  /** Trials whose class phase was drawn. */
  readonly trialsDrawn: number;
  readonly missedTrials: readonly number[];
  readonly frames: number;
  /** Frames that came more than 1.5 refresh intervals after the previous one. */
  readonly lateFrames: number;
  /** Measured from the run's frames (null: too few). */
  readonly refreshHz: number | null;
  /** SSVEP: each target's flicker as planned and as measured. */
  readonly flicker: readonly FlickerReport[] | null;
}

export interface CueDriverEvents {
  /** A marker to send, stamped at the frame that first drew it. */
  onMarker(label: string, hostTimeMs: number): void;
  onProgress(progress: RunProgress): void;
  onEnd(outcome: RunOutcome): void;
}

/** The host clock of DESIGN.md §1, read now. */
export const hostNowMs = (): number => performance.timeOrigin + performance.now();

export class CueDriver {
  private raf = 0;
  private ended = false;
  private flickerFrame = 0;
  private flickering = false;
  private readonly refresh = new RefreshMeter(600);
  private readonly meters: FlickerMeter[];
  private trialsDrawn = 0;

  constructor(
    private readonly run: ParadigmRun,
    private readonly elements: CueStageElements,
    /** SSVEP: one plan per class (null for motor imagery). */
    private readonly plans: readonly FlickerPlan[] | null,
    private readonly events: CueDriverEvents,
  ) {
    this.meters = (plans ?? []).map(() => new FlickerMeter());
  }

  start(): void {
    if (this.raf === 0 && !this.ended) this.raf = requestAnimationFrame(this.tick);
  }

  /** Stops at once: the stage shows nothing more, the abort marker is stamped now. */
  abort(): void {
    if (this.ended) return;
    cancelAnimationFrame(this.raf);
    const markers = this.run.abort();
    this.lightTargets(null);
    this.elements.root.dataset.phase = 'done';
    const stamp = hostNowMs();
    for (const label of markers) this.events.onMarker(label, stamp);
    this.end('aborted');
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.ended = true;
  }

  private readonly tick = (frameMs: number): void => {
    if (this.ended) return;
    const frame = this.run.frame(performance.now());
    if (frame.changed) this.drawPhase(frame.state, frame.trialCount);
    if (this.flickering && this.plans) {
      for (let t = 0; t < this.plans.length; t++) {
        const on = flickerOn(this.plans[t], this.flickerFrame);
        this.elements.targets[t]?.classList.toggle('lit', on);
        this.meters[t].record(frameMs, on);
      }
      this.flickerFrame++;
    }
    this.refresh.push(frameMs);
    // the DOM above is what this frame shows: stamp its markers now
    if (frame.markers.length > 0) {
      const stamp = hostNowMs();
      for (const label of frame.markers) this.events.onMarker(label, stamp);
    }
    if (frame.changed || frame.status === 'finished') {
      this.events.onProgress({ status: frame.status, trialIndex: frame.state.trialIndex, trialCount: frame.trialCount, phase: frame.state.phase, label: frame.state.label });
    }
    if (frame.status === 'finished') {
      this.end('finished');
      return;
    }
    this.raf = requestAnimationFrame(this.tick);
  };

  private drawPhase(state: ScheduleState, trialCount: number): void {
    const { root, cue, cueWord, progress } = this.elements;
    const phase = state.phase ?? 'done';
    root.dataset.phase = phase;
    root.dataset.trial = String(state.trialIndex);
    progress.textContent = state.phase ? progressText(state.trialIndex, trialCount) : '';
    const ssvep = this.plans !== null;
    if (phase === 'cue' && !ssvep && state.label !== null) {
      const symbol = cueSymbolOf(state.label);
      if (cue) cue.textContent = symbol ?? '';
      if (cueWord) cueWord.textContent = state.label;
      root.dataset.cue = state.label;
      this.trialsDrawn++;
    } else {
      if (cue) cue.textContent = '';
      if (cueWord) cueWord.textContent = '';
      delete root.dataset.cue;
    }
    if (ssvep) {
      const cued = phase === 'cue' || phase === 'task' ? state.label : null;
      const classes = this.run.schedule.config.classes;
      this.elements.targets.forEach((el, t) => el.classList.toggle('cued', classes[t] === cued));
      if (cued !== null) root.dataset.cue = cued;
      const flicker = phase === 'task';
      if (flicker && !this.flickering) {
        this.flickerFrame = 0;
        for (const m of this.meters) m.beginSpan();
        this.trialsDrawn++;
      }
      if (!flicker) this.lightTargets(null);
      this.flickering = flicker;
    }
  }

  private lightTargets(on: boolean | null): void {
    this.flickering = false;
    for (const el of this.elements.targets) el.classList.toggle('lit', on === true);
  }

  private end(status: 'finished' | 'aborted'): void {
    this.ended = true;
    this.raf = 0;
    const classes = this.run.schedule.config.classes;
    const flicker = this.plans
      ? this.plans.map((plan, t): FlickerReport => ({ label: classes[t], requestedHz: plan.requestedHz, plannedHz: plan.frequencyHz, measuredHz: this.meters[t].measuredHz, cycles: this.meters[t].measuredCycles }))
      : null;
    this.events.onEnd({
      status,
      trialCount: this.run.schedule.trials.length,
      trialsDrawn: this.trialsDrawn,
      missedTrials: [...this.run.missedTrials],
      frames: this.refresh.frames,
      lateFrames: this.refresh.lateFrames,
      refreshHz: this.refresh.refreshHz,
      flicker,
    });
  }
}
