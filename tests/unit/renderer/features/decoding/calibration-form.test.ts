// The calibration form: typed fields → configuration (or problems by field), and what is remembered.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MI_FORM, DEFAULT_SETTINGS, DEFAULT_SSVEP_FORM, parseForm, restoreSettings, runLengthSec } from '../../../../../renderer/features/decoding/calibration-form.js';

describe('calibration form', () => {
  it('reads the defaults: left/right/rest × 10 (30 trials), and two SSVEP targets at 30 and 20 Hz', () => {
    const mi = parseForm('mi', DEFAULT_MI_FORM);
    expect(mi.ok && mi.config).toEqual({
      kind: 'mi',
      classes: ['left', 'right', 'rest'],
      frequenciesHz: [],
      trialsPerClass: 10,
      timing: { fixationSec: 2, cueSec: 1.25, taskSec: 3, breakSec: 2, jitterSec: 1 },
      seed: 1,
      phaseMarkers: true,
    });
    const ssvep = parseForm('ssvep', DEFAULT_SSVEP_FORM);
    expect(ssvep.ok && ssvep.config).toMatchObject({ kind: 'ssvep', classes: ['30Hz', '20Hz'], frequenciesHz: [30, 20] });
    expect(mi.ok && runLengthSec(mi.config)).toBeCloseTo(30 * 8.75, 6);
  });

  it('names the field of each problem', () => {
    const r = parseForm('mi', { ...DEFAULT_MI_FORM, trialsPerClass: 'ten', cueSec: '' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.field)).toEqual(['cueSec', 'trialsPerClass']);
    expect(!r.ok && r.problems[1].message).toBe('trials per class must be a number (got "ten")');
    const s = parseForm('ssvep', { ...DEFAULT_SSVEP_FORM, frequencies: '30' });
    expect(!s.ok && s.problems.map((p) => p.field)).toEqual(['frequenciesHz']);
    const blankLabels = parseForm('mi', { ...DEFAULT_MI_FORM, classes: 'left, , right' });
    expect(blankLabels.ok && blankLabels.config.classes).toEqual(['left', 'right']);
  });

  it('restores what was stored, field by field, and falls back on anything unreadable', () => {
    expect(restoreSettings(null)).toBe(DEFAULT_SETTINGS);
    expect(restoreSettings('{not json')).toBe(DEFAULT_SETTINGS);
    const stored = JSON.stringify({ kind: 'ssvep', useBoardCues: false, forms: { mi: { trialsPerClass: '2', seed: 5, phaseMarkers: false }, ssvep: 'x' } });
    const r = restoreSettings(stored);
    expect(r.kind).toBe('ssvep');
    expect(r.useBoardCues).toBe(false);
    expect(r.forms.mi).toEqual({ ...DEFAULT_MI_FORM, trialsPerClass: '2', phaseMarkers: false });
    expect(r.forms.ssvep).toEqual(DEFAULT_SSVEP_FORM);
    expect(restoreSettings(JSON.stringify({ kind: 'p300' })).kind).toBe('mi');
  });
});
