import { describe, expect, it } from 'vitest';
import { proposeSettings, scoreSelections, simulateSelections } from '../../../../electron/common/assistive/evaluation.js';
import type { SelectorConfig } from '../../../../electron/common/assistive/selector.js';
import { decodeOsc, encodeOsc } from '../../../../electron/common/assistive/osc.js';

const RATE = 100;
const cueLabels = ['left', 'right', 'rest'];

describe('scoreSelections', () => {
  const markers = [
    { sampleIndex: 0, label: 'rest' },
    { sampleIndex: 200, label: 'left' },
    { sampleIndex: 600, label: 'rest' },
    { sampleIndex: 800, label: 'right' },
    { sampleIndex: 900, label: 'blink' }, // not a cue
    { sampleIndex: 1200, label: 'rest' },
  ];
  it('counts false selections in rest, correct ones during cues, and the time to select', () => {
    const s = scoreSelections(
      [
        { sampleIndex: 100, className: 'left' }, // rest: false
        { sampleIndex: 350, className: 'left' }, // correct, 1.5 s after the cue
        { sampleIndex: 500, className: 'right' }, // wrong
        { sampleIndex: 1000, className: 'right' }, // correct, 2 s
      ],
      markers,
      { cueLabels, startSampleIndex: 0, endSampleIndex: 1400, sampleRateHz: RATE },
    );
    expect(s).toMatchObject({ selections: 4, falseSelections: 1, total: 3, correct: 2, cues: 2, cuesSelected: 2 });
    // rest: 0-200, 600-800, 1200-1400 = 600 rows = 0.1 min
    expect(s.noControlMinutes).toBeCloseTo(0.1, 10);
    expect(s.falseSelectionsPerMin).toBeCloseTo(10, 10);
    expect(s.meanTimeToSelectSec).toBeCloseTo(1.75, 10);
  });
  it('without cues every selection is false (a rest recording)', () => {
    const s = scoreSelections([{ sampleIndex: 10, className: 'left' }], [], { cueLabels, startSampleIndex: 0, endSampleIndex: 6000, sampleRateHz: RATE });
    expect(s).toMatchObject({ falseSelections: 1, total: 0, falseSelectionsPerMin: 1 });
  });
});

describe('proposeSettings', () => {
  const base: SelectorConfig = {
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
    stepRows: 10,
  };
  it('picks the quickest setting that keeps rest under the target rate', () => {
    // rest 0-1000 with brief 0.6 s bursts of a confident wrong class; then a 'left' cue 1000-2000
    const idx: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 2000; i += 10) {
      idx.push(i);
      if (i < 1000) p.push(...(i % 200 < 60 ? [0.9, 0.05, 0.05] : [0.1, 0.1, 0.8]));
      else p.push(0.95, 0.03, 0.02);
    }
    const markers = [
      { sampleIndex: 0, label: 'rest' },
      { sampleIndex: 1000, label: 'left' },
    ];
    const proposal = proposeSettings([{ trace: { sampleIndices: idx, probabilities: p, classCount: 3 }, markers, startSampleIndex: 0, endSampleIndex: 2000 }], base, {
      targetFalsePerMin: 0,
      thresholds: [0.8, 0.92],
      dwellsSec: [0.25, 0.5, 1],
      cueLabels,
    });
    expect(proposal.best).not.toBeNull();
    // 0.25 and 0.5 s dwells select during the bursts at 0.8; 0.92 rejects them at any dwell
    expect(proposal.best).toMatchObject({ thresholdProb: 0.92, dwellSec: 0.25 });
    // the first prediction above threshold is at the cue; 0.25 s is reached at the next step (0.3 s)
    expect(proposal.best!.score.meanTimeToSelectSec).toBeCloseTo(0.3, 10);
    expect(simulateSelections({ sampleIndices: idx, probabilities: p, classCount: 3 }, { ...base, dwellSec: 0.25 }).length).toBeGreaterThan(1);
  });
});

describe('OSC', () => {
  it('encodes address, type tags and arguments padded to 4 bytes, and reads them back', () => {
    const bytes = encodeOsc('/bci/selection', [
      { type: 's', value: 'Yes' },
      { type: 'i', value: 1 },
      { type: 'f', value: 0.5 },
    ]);
    expect(bytes.length % 4).toBe(0);
    // "/bci/selection" is 14 bytes: padded to 16; ",sif" 4 → 8; "Yes" → 4; two 4-byte numbers
    expect(bytes.length).toBe(16 + 8 + 4 + 4 + 4);
    expect(decodeOsc(bytes)).toEqual({ address: '/bci/selection', args: ['Yes', 1, 0.5] });
  });
});
