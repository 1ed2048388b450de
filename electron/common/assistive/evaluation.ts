// Scoring assistive control against cues, and proposing its settings. A recording's (or board's)
// cue markers make a timeline: from each cue marker to the next, that cue is active. A selection
// while no cue or a no-control cue (rest, T0) is active is a false selection; during a control cue
// it counts in `total`, and is `correct` when its target is the cue's class. The time to select is
// from a control cue's onset to its first correct selection. The calibration helper replays a
// recording's predictions through the selector for a grid of thresholds and dwells and proposes
// the quickest setting whose false selections stay under a target rate.

import { Selector, type SelectorConfig } from './selector.js';

/** Labels that mean "no control intended". */
export const NO_CONTROL_LABEL = /^(rest|t0|idle|none|baseline)$/i;

export interface CueMarker {
  readonly sampleIndex: number;
  readonly label: string;
}

export interface ScoredSelection {
  readonly sampleIndex: number;
  /** The model class of the selected target (null when the target has none, e.g. in scanning). */
  readonly className: string | null;
}

export interface SelectionScore {
  readonly selections: number;
  readonly falseSelections: number;
  /** False selections per minute of no-control time (no cue, or a rest cue). */
  readonly falseSelectionsPerMin: number;
  readonly noControlMinutes: number;
  /** Selections during a control cue, and those matching it. */
  readonly total: number;
  readonly correct: number;
  readonly cues: number;
  /** Control cues with a correct selection during them. */
  readonly cuesSelected: number;
  /** Mean seconds from a control cue's onset to its first correct selection (NaN when none). */
  readonly meanTimeToSelectSec: number;
}

/**
 * Scores selections over [startSampleIndex, endSampleIndex). `cueLabels` are the labels that start
 * a period (the model's classes and the no-control labels); other markers are ignored.
 */
export function scoreSelections(
  selections: readonly ScoredSelection[],
  markers: readonly CueMarker[],
  o: { readonly cueLabels: readonly string[]; readonly startSampleIndex: number; readonly endSampleIndex: number; readonly sampleRateHz: number },
): SelectionScore {
  const labels = new Set(o.cueLabels);
  const cues = markers.filter((m) => labels.has(m.label) && m.sampleIndex < o.endSampleIndex).sort((a, b) => a.sampleIndex - b.sampleIndex);
  const isControl = (label: string | null) => label !== null && !NO_CONTROL_LABEL.test(label);
  // no-control time: before the first cue, and during rest cues
  let noControlRows = 0;
  for (let i = -1; i < cues.length; i++) {
    const from = Math.max(o.startSampleIndex, i < 0 ? o.startSampleIndex : cues[i].sampleIndex);
    const to = Math.min(o.endSampleIndex, i + 1 < cues.length ? cues[i + 1].sampleIndex : o.endSampleIndex);
    if (to > from && (i < 0 || !isControl(cues[i].label))) noControlRows += to - from;
  }
  const activeCue = (sampleIndex: number): number => {
    let lo = 0;
    let hi = cues.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cues[mid].sampleIndex <= sampleIndex) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  let falseSelections = 0;
  let total = 0;
  let correct = 0;
  const firstCorrect = new Map<number, number>();
  for (const s of selections) {
    const c = activeCue(s.sampleIndex);
    const label = c >= 0 ? cues[c].label : null;
    if (!isControl(label)) {
      falseSelections++;
      continue;
    }
    total++;
    if (s.className === label) {
      correct++;
      if (!firstCorrect.has(c)) firstCorrect.set(c, s.sampleIndex - cues[c].sampleIndex);
    }
  }
  const controlCues = cues.filter((c) => c.sampleIndex >= o.startSampleIndex && isControl(c.label)).length;
  const times = [...firstCorrect.values()];
  const noControlMinutes = noControlRows / o.sampleRateHz / 60;
  return {
    selections: selections.length,
    falseSelections,
    falseSelectionsPerMin: noControlMinutes > 0 ? falseSelections / noControlMinutes : falseSelections > 0 ? Infinity : 0,
    noControlMinutes,
    total,
    correct,
    cues: controlCues,
    cuesSelected: firstCorrect.size,
    meanTimeToSelectSec: times.length ? times.reduce((a, b) => a + b, 0) / times.length / o.sampleRateHz : Number.NaN,
  };
}

/** A decoder's predictions over a recording: row r is the window ending at sampleIndices[r]. */
export interface PredictionTrace {
  readonly sampleIndices: ArrayLike<number>;
  /** sampleIndices.length × classCount probabilities. */
  readonly probabilities: ArrayLike<number>;
  readonly classCount: number;
}

/** The selections the selector makes on a trace (no stops, no gate). */
export function simulateSelections(trace: PredictionTrace, config: SelectorConfig): ScoredSelection[] {
  const selector = new Selector(config);
  const out: ScoredSelection[] = [];
  const K = trace.classCount;
  for (let r = 0; r < trace.sampleIndices.length; r++) {
    for (const e of selector.update(trace.sampleIndices[r], trace.probabilities, r * K)) {
      if (e.type !== 'selection') continue;
      const k = config.scheme === 'scanning' ? -1 : config.classTargets.indexOf(e.selection.target);
      out.push({ sampleIndex: e.selection.sampleIndex, className: k >= 0 ? config.classes[k] : null });
    }
  }
  return out;
}

export interface SettingTrial {
  readonly thresholdProb: number;
  readonly dwellSec: number;
  readonly score: SelectionScore;
}

export interface Proposal {
  /** The proposed setting (null when none meets the target rate). */
  readonly best: SettingTrial | null;
  readonly targetFalsePerMin: number;
  readonly trials: readonly SettingTrial[];
}

/**
 * Tries every threshold × dwell on the traces (each with its cues) and proposes the setting with
 * false selections at or under targetFalsePerMin that selects the most cues correctly, then the
 * quickest; ties go to the higher threshold and the longer dwell (the safer side).
 */
export function proposeSettings(
  runs: readonly { readonly trace: PredictionTrace; readonly markers: readonly CueMarker[]; readonly startSampleIndex: number; readonly endSampleIndex: number }[],
  base: SelectorConfig,
  o: { readonly targetFalsePerMin: number; readonly thresholds: readonly number[]; readonly dwellsSec: readonly number[]; readonly cueLabels: readonly string[] },
): Proposal {
  const trials: SettingTrial[] = [];
  for (const thresholdProb of o.thresholds) {
    for (const dwellSec of o.dwellsSec) {
      const config = { ...base, thresholdProb, dwellSec };
      let selections = 0;
      let falseSelections = 0;
      let noControlMinutes = 0;
      let total = 0;
      let correct = 0;
      let cues = 0;
      let cuesSelected = 0;
      let timeSum = 0;
      for (const run of runs) {
        const s = scoreSelections(simulateSelections(run.trace, config), run.markers, { cueLabels: o.cueLabels, startSampleIndex: run.startSampleIndex, endSampleIndex: run.endSampleIndex, sampleRateHz: base.sampleRateHz });
        selections += s.selections;
        falseSelections += s.falseSelections;
        noControlMinutes += s.noControlMinutes;
        total += s.total;
        correct += s.correct;
        cues += s.cues;
        cuesSelected += s.cuesSelected;
        if (s.cuesSelected > 0) timeSum += s.meanTimeToSelectSec * s.cuesSelected;
      }
      trials.push({
        thresholdProb,
        dwellSec,
        score: {
          selections,
          falseSelections,
          falseSelectionsPerMin: noControlMinutes > 0 ? falseSelections / noControlMinutes : falseSelections > 0 ? Infinity : 0,
          noControlMinutes,
          total,
          correct,
          cues,
          cuesSelected,
          meanTimeToSelectSec: cuesSelected > 0 ? timeSum / cuesSelected : Number.NaN,
        },
      });
    }
  }
  let best: SettingTrial | null = null;
  for (const t of trials) {
    if (t.score.falseSelectionsPerMin > o.targetFalsePerMin) continue;
    if (
      !best ||
      t.score.cuesSelected > best.score.cuesSelected ||
      (t.score.cuesSelected === best.score.cuesSelected && t.score.meanTimeToSelectSec < best.score.meanTimeToSelectSec) ||
      (t.score.cuesSelected === best.score.cuesSelected && !(t.score.meanTimeToSelectSec > best.score.meanTimeToSelectSec) && !(t.score.meanTimeToSelectSec < best.score.meanTimeToSelectSec) && (t.thresholdProb > best.thresholdProb || (t.thresholdProb === best.thresholdProb && t.dwellSec > best.dwellSec)))
    ) {
      best = t;
    }
  }
  return { best, targetFalsePerMin: o.targetFalsePerMin, trials };
}
