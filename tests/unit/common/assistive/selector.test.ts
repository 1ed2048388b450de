import { describe, expect, it } from 'vitest';
import { Selector, selectorConfigProblems, type SelectorConfig, type SelectorEvent } from '../../../../electron/common/assistive/selector.js';

const RATE = 100;
const STEP = 10; // a prediction every 0.1 s

function config(over: Partial<SelectorConfig> = {}): SelectorConfig {
  return {
    scheme: 'direct',
    targets: [
      { label: 'Yes', critical: false },
      { label: 'No', critical: false },
    ],
    classes: ['left', 'right', 'rest'],
    classTargets: [0, 1, -1],
    selectClass: -1,
    thresholdProb: 0.8,
    dwellSec: 1,
    refractorySec: 2,
    confirmSec: 3,
    scanStepSec: 2,
    sampleRateHz: RATE,
    stepRows: STEP,
    ...over,
  };
}

/** Feeds predictions from sample `from` (inclusive) every STEP rows while sample < to; collects events. */
function feed(s: Selector, from: number, to: number, probs: number[]): SelectorEvent[] {
  const out: SelectorEvent[] = [];
  for (let i = from; i < to; i += STEP) out.push(...s.update(i, probs));
  return out;
}

const selections = (events: SelectorEvent[]) => events.filter((e) => e.type === 'selection').map((e) => (e.type === 'selection' ? e.selection : undefined)!);

describe('Selector (threshold, dwell, refractory)', () => {
  it('selects only after the probability held the threshold for the whole dwell', () => {
    const s = new Selector(config());
    // 0.9 s above threshold: not yet (dwell is 100 rows from the first prediction above)
    expect(selections(feed(s, 0, 100, [0.9, 0.05, 0.05]))).toEqual([]);
    expect(s.view().phase).toBe('dwelling');
    expect(s.view().dwellFraction).toBeCloseTo(0.9, 5);
    const picked = selections(feed(s, 100, 110, [0.9, 0.05, 0.05]));
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatchObject({ target: 0, label: 'Yes', sampleIndex: 100, dwellStartSampleIndex: 0, via: 'dwell', thresholdProb: 0.8, dwellSec: 1 });
    expect(picked[0].probabilities).toEqual([0.9, 0.05, 0.05]);
  });

  it('restarts the dwell when the probability dips below the threshold or the class changes', () => {
    const s = new Selector(config());
    feed(s, 0, 90, [0.9, 0.05, 0.05]);
    s.update(90, [0.7, 0.2, 0.1]); // a dip
    expect(selections(feed(s, 100, 190, [0.9, 0.05, 0.05]))).toEqual([]);
    s.update(190, [0.05, 0.9, 0.05]); // another class
    expect(s.view().target).toBe(1);
    expect(selections(feed(s, 200, 290, [0.05, 0.9, 0.05]))).toEqual([]);
    expect(selections(feed(s, 290, 300, [0.05, 0.9, 0.05]))).toHaveLength(1);
  });

  it('never selects on a no-control class, however sure', () => {
    const s = new Selector(config());
    expect(feed(s, 0, 10_000, [0.0, 0.0, 1.0])).toEqual([]);
    expect(s.view().phase).toBe('idle');
  });

  it('holds the refractory period after a selection', () => {
    const s = new Selector(config());
    const events = feed(s, 0, 600, [0.95, 0.03, 0.02]);
    // selections at 100, then the refractory until 300, a new dwell from 300 to 400, refractory to 600
    expect(selections(events).map((x) => x.sampleIndex)).toEqual([100, 400]);
  });

  it('restarts a dwell across a gap in the predictions', () => {
    const s = new Selector(config());
    feed(s, 0, 50, [0.9, 0.05, 0.05]);
    // predictions resume 1 s later (a gap): the dwell starts again there
    expect(selections(feed(s, 150, 240, [0.9, 0.05, 0.05]))).toEqual([]);
    expect(selections(feed(s, 240, 260, [0.9, 0.05, 0.05])).map((x) => x.sampleIndex)).toEqual([250]);
  });
});

describe('Selector stop and suspension', () => {
  it('stop halts at once, mid-dwell, and holds until resume; resume starts a fresh dwell', () => {
    const s = new Selector(config());
    feed(s, 0, 90, [0.9, 0.05, 0.05]);
    s.stop();
    expect(s.view().phase).toBe('stopped');
    expect(feed(s, 90, 1000, [0.99, 0, 0.01])).toEqual([]);
    expect(s.switchPress(1000)).toEqual([]);
    s.resume();
    expect(selections(feed(s, 1000, 1100, [0.99, 0, 0.01]))).toEqual([]);
    expect(selections(feed(s, 1100, 1110, [0.99, 0, 0.01]))).toHaveLength(1);
  });

  it('a suspension drops dwell progress and blocks selections until lifted', () => {
    const s = new Selector(config());
    feed(s, 0, 90, [0.9, 0.05, 0.05]);
    s.setSuspended('The connection to the headset is lost.');
    expect(s.view()).toMatchObject({ phase: 'suspended', suspendedReason: 'The connection to the headset is lost.', dwellFraction: 0 });
    expect(feed(s, 90, 500, [0.9, 0.05, 0.05])).toEqual([]);
    s.setSuspended(null);
    expect(selections(feed(s, 500, 610, [0.9, 0.05, 0.05])).map((x) => x.sampleIndex)).toEqual([600]);
  });
});

describe('Selector confirm for critical targets', () => {
  const critical = config({ targets: [{ label: 'Pain', critical: true }, { label: 'Water', critical: false }] });

  it('a critical target asks for confirmation and is selected on the second dwell', () => {
    const s = new Selector(critical);
    const first = feed(s, 0, 110, [0.9, 0.05, 0.05]);
    expect(first.map((e) => e.type)).toEqual(['confirm-requested']);
    expect(s.view().confirming).toBe(0);
    // refractory to 300, then a second dwell 300-400
    const second = selections(feed(s, 110, 410, [0.9, 0.05, 0.05]));
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ label: 'Pain', via: 'confirmed', sampleIndex: 400 });
  });

  it('is cancelled by another target or by the confirm time running out', () => {
    const s = new Selector(critical);
    feed(s, 0, 110, [0.9, 0.05, 0.05]);
    const other = feed(s, 300, 310, [0.05, 0.9, 0.05]);
    expect(other[0]).toMatchObject({ type: 'confirm-cancelled', label: 'Pain' });
    const t = new Selector(critical);
    feed(t, 0, 110, [0.9, 0.05, 0.05]);
    // refractory (2 s) + confirm (3 s) from 100 = 600: nothing above threshold until then
    const late = feed(t, 110, 700, [0.3, 0.3, 0.4]);
    expect(late.map((e) => e.type)).toEqual(['confirm-cancelled']);
    expect(t.view().confirming).toBe(-1);
  });

  it('a switch press confirms a pending critical target', () => {
    const s = new Selector(critical);
    feed(s, 0, 110, [0.9, 0.05, 0.05]);
    const press = s.switchPress(350);
    expect(press[0]).toMatchObject({ type: 'selection', selection: { label: 'Pain', via: 'switch' } });
  });
});

describe('Selector scanning', () => {
  const scanning = config({ scheme: 'scanning', classes: ['select', 'rest'], classTargets: [-1, -1], selectClass: 0, targets: [{ label: 'A', critical: false }, { label: 'B', critical: false }, { label: 'C', critical: false }] });

  it('highlights targets in turn and the select class picks the highlighted one', () => {
    const s = new Selector(scanning);
    feed(s, 0, 210, [0.1, 0.9]);
    expect(s.view().highlighted).toBe(1);
    feed(s, 210, 410, [0.1, 0.9]);
    expect(s.view().highlighted).toBe(2);
    // select held for 1 s while C is highlighted (past its 2 s): the highlight holds still during the dwell
    const picked = selections(feed(s, 410, 520, [0.9, 0.1]));
    expect(picked.map((x) => x.label)).toEqual(['C']);
  });

  it('a single switch picks the highlighted target', () => {
    const s = new Selector(scanning);
    feed(s, 0, 210, [0.1, 0.9]);
    expect(s.switchPress(215)[0]).toMatchObject({ type: 'selection', selection: { label: 'B', via: 'switch' } });
  });
});

describe('selectorConfigProblems', () => {
  it('says what is wrong in words', () => {
    expect(selectorConfigProblems(config())).toEqual([]);
    expect(selectorConfigProblems(config({ thresholdProb: 1.5 }))[0]).toMatch(/threshold/);
    expect(selectorConfigProblems(config({ classTargets: [0, 0, -1] }))[0]).toMatch(/same target/);
    expect(selectorConfigProblems(config({ scheme: 'scanning', selectClass: 0, scanStepSec: 0.5 }))[0]).toMatch(/highlighted longer than the dwell/);
    expect(() => new Selector(config({ targets: [{ label: 'only', critical: false }] }))).toThrow(/2 to 8 targets/);
  });
});
