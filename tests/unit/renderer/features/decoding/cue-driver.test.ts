// The cue stage's frame loop with stand-in elements and a simulated 60 Hz display: each marker is
// stamped in the very frame callback that changed the DOM to show its phase (never before the DOM
// shows it), SSVEP targets are lit by frame count and their flicker measured from the frames'
// timestamps, and Abort stamps its marker and stops the loop.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CueDriver, type CueStageElements, type RunOutcome } from '../../../../../renderer/features/decoding/cue-driver.js';
import { MARKER_ABORT, MARKER_END, MARKER_START, ParadigmRun, buildSchedule, type CalibrationConfig } from '../../../../../renderer/features/decoding/paradigm.js';
import { planFlicker } from '../../../../../renderer/features/decoding/ssvep.js';

/** An element as far as the driver uses it. */
class FakeElement {
  textContent = '';
  readonly dataset: Record<string, string> = {};
  readonly lit = new Set<string>();
  readonly classList = {
    toggle: (name: string, on?: boolean) => {
      const set = on ?? !this.lit.has(name);
      if (set) this.lit.add(name);
      else this.lit.delete(name);
      return set;
    },
  };
}

let nowMs = 0;
let callbacks: FrameRequestCallback[] = [];

/** One display refresh: time advances, then the pending frame callbacks run. */
function refresh(intervalMs = 1000 / 60): void {
  nowMs += intervalMs;
  const due = callbacks;
  callbacks = [];
  for (const cb of due) cb(nowMs);
}

beforeEach(() => {
  nowMs = 0;
  callbacks = [];
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (callbacks.push(cb), callbacks.length));
  vi.stubGlobal('cancelAnimationFrame', () => void (callbacks = []));
  vi.spyOn(performance, 'now').mockImplementation(() => nowMs);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function stage(targets = 0): { elements: CueStageElements; root: FakeElement; cue: FakeElement; targets: FakeElement[] } {
  const root = new FakeElement();
  const cue = new FakeElement();
  const ts = Array.from({ length: targets }, () => new FakeElement());
  const elements = { root, cue, cueWord: new FakeElement(), progress: new FakeElement(), targets: ts } as unknown as CueStageElements;
  return { elements, root, cue, targets: ts };
}

const MI: CalibrationConfig = {
  kind: 'mi',
  classes: ['left', 'right'],
  frequenciesHz: [],
  trialsPerClass: 2,
  timing: { fixationSec: 0.5, cueSec: 0.5, taskSec: 0.5, breakSec: 0.3, jitterSec: 0.2 },
  seed: 3,
  phaseMarkers: false,
};

describe('cue driver', () => {
  it('stamps each marker in the frame that drew it, with the host clock', () => {
    const { elements, root, cue } = stage();
    const run = new ParadigmRun(buildSchedule(MI));
    const seen: { label: string; hostTimeMs: number; phase: string | undefined; cue: string; frameMs: number }[] = [];
    let outcome: RunOutcome | null = null;
    const driver = new CueDriver(run, elements, null, {
      // what the stage shows at the moment the marker is stamped
      onMarker: (label, hostTimeMs) => seen.push({ label, hostTimeMs, phase: root.dataset.phase, cue: cue.textContent, frameMs: nowMs }),
      onProgress: () => {},
      onEnd: (o) => (outcome = o),
    });
    driver.start();
    for (let i = 0; i < 60 * 10 && !outcome; i++) refresh();
    expect(outcome).toMatchObject({ status: 'finished', trialCount: 4, trialsDrawn: 4, missedTrials: [] });
    expect(seen.map((m) => m.label)).toEqual([MARKER_START, ...run.schedule.trials.map((t) => t.label), MARKER_END]);
    for (const m of seen.slice(1, -1)) {
      // the DOM already shows the cue when its marker is stamped
      expect(m.phase).toBe('cue');
      expect(m.cue).toBe(m.label === 'left' ? '←' : '→');
      // stamped at that frame, in the clock every process shares
      expect(m.hostTimeMs).toBe(performance.timeOrigin + m.frameMs);
    }
    // the scheduled cue times, each drawn within a frame of its time from the first frame
    run.schedule.trials.forEach((t, i) => {
      const late = seen[i + 1].frameMs - seen[0].frameMs - t.cueAtMs;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(1000 / 60 + 1e-9);
    });
    expect(callbacks).toHaveLength(0);
    expect(outcome!.refreshHz).toBeCloseTo(60, 6);
  });

  it('lights SSVEP targets by frame count and measures their flicker from the frame times', () => {
    const config: CalibrationConfig = { ...MI, kind: 'ssvep', classes: ['30Hz', '20Hz'], frequenciesHz: [30, 20], trialsPerClass: 1, timing: { fixationSec: 0.2, cueSec: 0.2, taskSec: 2, breakSec: 0.2, jitterSec: 0 } };
    const plans = config.frequenciesHz.map((f) => planFlicker(f, 60));
    const { elements, root, targets } = stage(2);
    let outcome: RunOutcome | null = null;
    const litAtOnset: boolean[][] = [];
    const driver = new CueDriver(new ParadigmRun(buildSchedule(config)), elements, plans, {
      onMarker: (label) => {
        if (config.classes.includes(label)) litAtOnset.push(targets.map((t) => t.lit.has('lit')));
      },
      onProgress: () => {},
      onEnd: (o) => (outcome = o),
    });
    driver.start();
    const pattern: string[] = [];
    for (let i = 0; i < 60 * 10 && !outcome; i++) {
      refresh();
      if (root.dataset.phase === 'task' && pattern.length < 6) pattern.push(targets.map((t) => (t.lit.has('lit') ? '1' : '0')).join(''));
    }
    // the flicker's first frame lights both targets, and that frame carries the class marker
    expect(litAtOnset).toEqual([
      [true, true],
      [true, true],
    ]);
    // 30 Hz: on, off, on, off…; 20 Hz: on, on, off…
    expect(pattern).toEqual(['11', '01', '10', '01', '11', '00']);
    expect(outcome!.flicker!.map((f) => f.plannedHz)).toEqual([30, 20]);
    expect(outcome!.flicker![0].measuredHz!).toBeCloseTo(30, 6);
    expect(outcome!.flicker![1].measuredHz!).toBeCloseTo(20, 6);
    // outside the flicker the targets are dark, the cued one outlined during cue and flicker only
    expect(targets.every((t) => !t.lit.has('lit') && !t.lit.has('cued'))).toBe(true);
  });

  it('aborts at once: the abort marker stamped now, no further frames', () => {
    const { elements, root } = stage();
    const labels: string[] = [];
    let outcome: RunOutcome | null = null;
    const driver = new CueDriver(new ParadigmRun(buildSchedule(MI)), elements, null, { onMarker: (l) => labels.push(l), onProgress: () => {}, onEnd: (o) => (outcome = o) });
    driver.start();
    for (let i = 0; i < 40; i++) refresh();
    driver.abort();
    expect(labels.at(-1)).toBe(MARKER_ABORT);
    expect(outcome).toMatchObject({ status: 'aborted' });
    expect(root.dataset.phase).toBe('done');
    expect(callbacks).toHaveLength(0);
    driver.abort();
    expect(labels.filter((l) => l === MARKER_ABORT)).toHaveLength(1);
  });
});
