import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES } from '../../../../../electron/common/contract/ethics.js';
import { EngineError } from '../../../../../electron/common/contract/failure.js';
import { RULE_FIELDS, rulesChange, rulesRefusal, rulesToTexts } from '../../../../../renderer/features/safety/alert-rules-form.js';
import { defaultOverrideSelection, overrideChannels, overrideRequest } from '../../../../../renderer/features/safety/impedance-override.js';

describe('the alert rules form', () => {
  it('shows every threshold setAlertRules accepts and sends only what changed', () => {
    expect(RULE_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_ALERT_RULES).sort());
    const texts = rulesToTexts(DEFAULT_ALERT_RULES);
    expect(texts.artefactUv).toBe('150');
    expect(rulesChange(texts, DEFAULT_ALERT_RULES)).toEqual({ ok: true, change: {} });
    expect(rulesChange({ ...texts, fatigueMinutes: ' 30 ', artefactUv: '150.0' }, DEFAULT_ALERT_RULES)).toEqual({ ok: true, change: { fatigueMinutes: 30 } });
  });

  it('refuses a field that is not a number, and ties the engine’s range refusal to its field', () => {
    expect(rulesChange({ ...rulesToTexts(DEFAULT_ALERT_RULES), lossPercent: 'a lot', diskMinMb: '' }, DEFAULT_ALERT_RULES)).toEqual({
      ok: false,
      errors: { lossPercent: 'Samples lost above must be a number (% of 10 s).', diskMinMb: 'Free disk below must be a number (MB).' },
    });
    const refusal = new EngineError('invalid-request', 'invalid alert rules: lossPercent: Too big: expected number to be <=100', [
      { path: 'lossPercent', message: 'Too big: expected number to be <=100' },
      { path: 'artefactUv', message: 'Too small: expected number to be >0' },
      { path: 'railedFlatSec', message: 'Too small: expected number to be >=0.5' },
    ]);
    expect(rulesRefusal(refusal)).toEqual({ errors: { lossPercent: 'Samples lost above: at most 100.', artefactUv: 'Artefact above: more than 0.', railedFlatSec: 'Railed or flat for: at least 0.5.' }, text: null });
    expect(rulesRefusal(new EngineError('io', 'the alert rules were not changed: cannot save them'))).toEqual({ errors: {}, text: 'The alert rules were not changed: cannot save them' });
  });
});

describe('the impedance override', () => {
  const labels = ['Fp1', 'Fp2', 'C3', 'C4'];
  const readings = [
    { channel: 1, impedanceKOhm: 5, railed: false },
    { channel: 2, impedanceKOhm: 80.4, railed: false },
    { channel: 3, impedanceKOhm: Number.POSITIVE_INFINITY, railed: true },
  ];

  it('says each used electrode’s state and ticks the ones that keep the checklist red', () => {
    const channels = overrideChannels(labels, readings, 50);
    expect(channels.map((c) => [c.label, c.state, c.detail])).toEqual([
      ['Fp1', 'good', '5 kΩ'],
      ['Fp2', 'over', '80 kΩ'],
      ['C3', 'railed', 'railed'],
      ['C4', 'unmeasured', 'not measured'],
    ]);
    expect(defaultOverrideSelection(channels)).toEqual([2, 3, 4]);
    expect(defaultOverrideSelection(overrideChannels(labels, readings, 100)).includes(2)).toBe(false);
  });

  it('needs a channel and a written reason of at least 10 characters', () => {
    expect(overrideRequest([], 'dry electrodes today')).toEqual({ ok: false, field: 'channels', error: 'Tick the channels to override.' });
    expect(overrideRequest([2], ' too short ')).toEqual({ ok: false, field: 'reason', error: 'Write why (at least 10 characters): it is logged with the recording.' });
    expect(overrideRequest([4, 2, 2], '  scar tissue under Fp2, agreed with PI ')).toEqual({ ok: true, request: { channels: [2, 4], reason: 'scar tissue under Fp2, agreed with PI' } });
  });
});
