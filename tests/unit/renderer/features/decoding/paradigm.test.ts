// The calibration paradigm's pure logic: a seeded schedule balanced per class and shuffled by its
// seed, the phase timings and jitter, the state at any time, and a run advanced frame by frame
// that marks each phase at the first frame that draws it, counts cues no frame drew, and aborts.
import { describe, expect, it } from 'vitest';
import {
  MARKER_ABORT,
  MARKER_BREAK,
  MARKER_END,
  MARKER_FIXATION,
  MARKER_START,
  ParadigmRun,
  buildSchedule,
  configProblems,
  cueSymbolOf,
  progressText,
  stateAt,
  type CalibrationConfig,
} from '../../../../../renderer/features/decoding/paradigm.js';

const MI: CalibrationConfig = {
  kind: 'mi',
  classes: ['left', 'right', 'rest'],
  frequenciesHz: [],
  trialsPerClass: 10,
  timing: { fixationSec: 2, cueSec: 1.25, taskSec: 3, breakSec: 2, jitterSec: 1 },
  seed: 7,
  phaseMarkers: true,
};

const SSVEP: CalibrationConfig = { ...MI, kind: 'ssvep', classes: ['30Hz', '20Hz'], frequenciesHz: [30, 20], trialsPerClass: 2, timing: { fixationSec: 1, cueSec: 1, taskSec: 4, breakSec: 1, jitterSec: 0 } };

describe('trial schedule', () => {
  it('balances the classes: each exactly trialsPerClass times', () => {
    const s = buildSchedule(MI);
    expect(s.trials).toHaveLength(30);
    for (const c of MI.classes) expect(s.trials.filter((t) => t.label === c)).toHaveLength(10);
    expect(s.trials.map((t) => t.index)).toEqual([...Array(30).keys()]);
    expect(s.trials.every((t) => MI.classes[t.classIndex] === t.label)).toBe(true);
  });

  it('is the same for the same seed, and another order for another seed', () => {
    const order = (seed: number) => buildSchedule({ ...MI, seed }).trials.map((t) => t.label).join(',');
    expect(order(7)).toBe(order(7));
    expect(buildSchedule(MI).trials).toEqual(buildSchedule({ ...MI }).trials);
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(order));
    expect(orders.size).toBe(8);
    // shuffled, not blocked: the first ten are not one class
    expect(new Set(buildSchedule(MI).trials.slice(0, 10).map((t) => t.label)).size).toBeGreaterThan(1);
  });

  it('puts every class in every position about equally often over many seeds (an unbiased shuffle)', () => {
    const firstCounts = new Map<string, number>();
    const seeds = 3000;
    for (let seed = 0; seed < seeds; seed++) {
      const first = buildSchedule({ ...MI, trialsPerClass: 2, seed }).trials[0].label;
      firstCounts.set(first, (firstCounts.get(first) ?? 0) + 1);
    }
    for (const c of MI.classes) expect(Math.abs((firstCounts.get(c) ?? 0) / seeds - 1 / 3)).toBeLessThan(0.04);
  });

  it('lays the phases out back to back, with each break jittered within [breakSec, breakSec + jitterSec)', () => {
    const s = buildSchedule(MI);
    let at = 0;
    const breaks: number[] = [];
    for (const t of s.trials) {
      expect(t.fixationAtMs).toBe(at);
      expect(t.cueAtMs - t.fixationAtMs).toBe(2000);
      expect(t.taskAtMs - t.cueAtMs).toBe(1250);
      expect(t.breakAtMs - t.taskAtMs).toBe(3000);
      const breakMs = t.endAtMs - t.breakAtMs;
      expect(breakMs).toBeGreaterThanOrEqual(2000);
      expect(breakMs).toBeLessThanOrEqual(3000);
      expect(Number.isInteger(breakMs)).toBe(true);
      breaks.push(breakMs);
      at = t.endAtMs;
    }
    expect(s.durationMs).toBe(at);
    // random, not constant
    expect(new Set(breaks).size).toBeGreaterThan(20);
    const mean = breaks.reduce((a, b) => a + b, 0) / breaks.length;
    expect(mean).toBeGreaterThan(2300);
    expect(mean).toBeLessThan(2700);
    // the jitter has its own stream of the seed: another number of trials keeps the first breaks
    const fewer = buildSchedule({ ...MI, trialsPerClass: 2 });
    expect(fewer.trials.map((t) => t.endAtMs - t.breakAtMs)).toEqual(breaks.slice(0, 6));
    const noJitter = buildSchedule({ ...MI, timing: { ...MI.timing, jitterSec: 0 } });
    expect(noJitter.trials.every((t) => t.endAtMs - t.breakAtMs === 2000)).toBe(true);
  });

  it('refuses what cannot run, saying which field', () => {
    const fields = (c: Partial<CalibrationConfig>) => configProblems({ ...MI, ...c }).map((p) => p.field);
    expect(configProblems(MI)).toEqual([]);
    expect(fields({ classes: ['left'] })).toEqual(['classes']);
    expect(fields({ classes: ['left', 'left'] })).toEqual(['classes']);
    expect(fields({ classes: ['left', 'fixation'] })).toEqual(['classes']);
    expect(configProblems({ ...MI, classes: ['left', 'break'] })[0].message).toMatch(/"break" is a marker of the paradigm itself/);
    expect(fields({ trialsPerClass: 0 })).toEqual(['trialsPerClass']);
    expect(fields({ trialsPerClass: 2.5 })).toEqual(['trialsPerClass']);
    expect(fields({ timing: { ...MI.timing, cueSec: 0 } })).toEqual(['cueSec']);
    expect(fields({ timing: { ...MI.timing, breakSec: -1 } })).toEqual(['breakSec']);
    expect(fields({ seed: -1 })).toEqual(['seed']);
    expect(configProblems({ ...SSVEP, frequenciesHz: [30] }).map((p) => p.field)).toEqual(['frequenciesHz']);
    // SSVEP's class is its flicker: a zero cue is fine, a zero flicker is not
    expect(configProblems({ ...SSVEP, timing: { ...SSVEP.timing, cueSec: 0 } })).toEqual([]);
    expect(configProblems({ ...SSVEP, timing: { ...SSVEP.timing, taskSec: 0 } }).map((p) => p.field)).toEqual(['taskSec']);
    expect(() => buildSchedule({ ...MI, classes: [] })).toThrow(/at least two classes/);
  });
});

describe('state at a time', () => {
  it('answers the trial and phase, before, during and after the run', () => {
    const s = buildSchedule(MI);
    const t3 = s.trials[3];
    expect(stateAt(s, -1)).toMatchObject({ trialIndex: -1, phase: null });
    expect(stateAt(s, 0)).toMatchObject({ trialIndex: 0, phase: 'fixation', label: s.trials[0].label, phaseElapsedMs: 0 });
    expect(stateAt(s, t3.fixationAtMs + 5)).toMatchObject({ trialIndex: 3, phase: 'fixation', phaseElapsedMs: 5 });
    expect(stateAt(s, t3.cueAtMs)).toMatchObject({ trialIndex: 3, phase: 'cue', label: t3.label });
    expect(stateAt(s, t3.taskAtMs + 2999)).toMatchObject({ trialIndex: 3, phase: 'task' });
    expect(stateAt(s, t3.breakAtMs)).toMatchObject({ trialIndex: 3, phase: 'break' });
    expect(stateAt(s, t3.endAtMs - 0.5)).toMatchObject({ trialIndex: 3, phase: 'break' });
    expect(stateAt(s, t3.endAtMs)).toMatchObject({ trialIndex: 4, phase: 'fixation' });
    expect(stateAt(s, s.durationMs)).toMatchObject({ trialIndex: 30, phase: null });
  });

  it('never makes a phase of length 0 current', () => {
    const s = buildSchedule({ ...MI, timing: { ...MI.timing, fixationSec: 0, jitterSec: 0 } });
    expect(stateAt(s, 0).phase).toBe('cue');
    expect(stateAt(s, s.trials[1].fixationAtMs).phase).toBe('cue');
  });
});

/** Runs a schedule at a steady frame rate; answers every frame's markers with its time. */
function runFrames(config: CalibrationConfig, frameMs: number, t0 = 1000): { markers: { label: string; atMs: number }[]; run: ParadigmRun; frames: number } {
  const run = new ParadigmRun(buildSchedule(config));
  const markers: { label: string; atMs: number }[] = [];
  let t = t0;
  let frames = 0;
  while (run.currentStatus !== 'finished' && frames < 1e6) {
    const f = run.frame(t);
    for (const label of f.markers) markers.push({ label, atMs: t - t0 });
    t += frameMs;
    frames++;
  }
  return { markers, run, frames };
}

describe('a run advanced by frames', () => {
  it('marks each phase at the first frame that draws it, the class at its cue (motor imagery)', () => {
    const config = { ...MI, trialsPerClass: 2 };
    const schedule = buildSchedule(config);
    const { markers, run } = runFrames(config, 1000 / 60);
    expect(markers[0]).toEqual({ label: MARKER_START, atMs: 0 });
    expect(markers.at(-1)?.label).toBe(MARKER_END);
    const body = markers.slice(1, -1);
    expect(body.map((m) => m.label)).toEqual(schedule.trials.flatMap((t) => [MARKER_FIXATION, t.label, MARKER_BREAK]));
    // each marker at the first frame at or after its phase's scheduled start: at most one frame late
    schedule.trials.forEach((t, i) => {
      const cue = body[3 * i + 1];
      expect(cue.atMs).toBeGreaterThanOrEqual(t.cueAtMs);
      expect(cue.atMs - t.cueAtMs).toBeLessThan(1000 / 60);
    });
    expect(run.missedTrials).toEqual([]);
    // the end comes at the first frame past the schedule
    expect(markers.at(-1)!.atMs - schedule.durationMs).toBeLessThan(1000 / 60);
    expect(markers.at(-1)!.atMs).toBeGreaterThanOrEqual(schedule.durationMs);
  });

  it('marks the class at the flicker onset for SSVEP, and only the class when phase markers are off', () => {
    const config = { ...SSVEP, phaseMarkers: false };
    const schedule = buildSchedule(config);
    const { markers } = runFrames(config, 1000 / 60);
    expect(markers.map((m) => m.label)).toEqual([MARKER_START, ...schedule.trials.map((t) => t.label), MARKER_END]);
    schedule.trials.forEach((t, i) => expect(markers[i + 1].atMs - t.taskAtMs).toBeLessThan(1000 / 60));
  });

  it('reports progress: trial n of N and the phase', () => {
    const run = new ParadigmRun(buildSchedule(MI));
    const t0 = 500;
    expect(run.frame(t0)).toMatchObject({ status: 'running', trialCount: 30, changed: true, state: { trialIndex: 0, phase: 'fixation' } });
    expect(run.frame(t0 + 10)).toMatchObject({ changed: false, markers: [] });
    const seventh = run.schedule.trials[6];
    const f = run.frame(t0 + seventh.cueAtMs + 1);
    expect(f).toMatchObject({ changed: true, state: { trialIndex: 6, phase: 'cue', label: seventh.label } });
    expect(progressText(f.state.trialIndex, f.trialCount)).toBe('trial 7 of 30');
    expect(progressText(-1, 30)).toBe('trial 1 of 30');
    expect(progressText(30, 30)).toBe('trial 30 of 30');
  });

  it('counts a cue that no frame drew (a stall), without marking it late', () => {
    const config = { ...MI, trialsPerClass: 1, timing: { ...MI.timing, jitterSec: 0 } };
    const run = new ParadigmRun(buildSchedule(config));
    const s = run.schedule;
    run.frame(0);
    // stall over trial 0's cue and imagery: the next frame is in its break
    const f = run.frame(s.trials[0].breakAtMs + 10);
    expect(f.markers).toEqual([MARKER_BREAK]);
    // a stall over the whole of trial 1 into trial 2's cue
    const g = run.frame(s.trials[2].cueAtMs + 10);
    expect(g.markers).toEqual([s.trials[2].label]);
    run.frame(s.durationMs + 1);
    expect(run.missedTrials).toEqual([0, 1]);
  });

  it('aborts: one abort marker once running, none before the first frame or after the end, and no frame after', () => {
    const run = new ParadigmRun(buildSchedule(MI));
    run.frame(0);
    run.frame(2500);
    expect(run.abort()).toEqual([MARKER_ABORT]);
    expect(run.currentStatus).toBe('aborted');
    expect(run.abort()).toEqual([]);
    expect(run.frame(3000)).toMatchObject({ status: 'aborted', markers: [], changed: false });
    const fresh = new ParadigmRun(buildSchedule(MI));
    expect(fresh.abort()).toEqual([]);
    const done = runFrames({ ...MI, trialsPerClass: 1 }, 20).run;
    expect(done.abort()).toEqual([]);
    expect(done.currentStatus).toBe('finished');
  });
});

describe('cue symbols', () => {
  it('draws arrows for directions and leaves other classes to their word', () => {
    expect(cueSymbolOf('left')).toBe('←');
    expect(cueSymbolOf('Right')).toBe('→');
    expect(cueSymbolOf('feet')).toBe('↓');
    expect(cueSymbolOf('rest')).toBeNull();
    expect(cueSymbolOf('T1')).toBeNull();
  });
});
