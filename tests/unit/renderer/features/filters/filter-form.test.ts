// The filter panel's model: form ⇄ pipeline.
import { describe, expect, it } from 'vitest';
import { pipelineSchema } from '../../../../../electron/common/contract/pipeline.js';
import { DEFAULT_FORM, formToPipeline, nextNotch, pipelineToForm } from '../../../../../renderer/features/filters/filter-form.js';

describe('filter form', () => {
  it('builds a pipeline from notch, preset and common average', () => {
    const r = formToPipeline({ ...DEFAULT_FORM, notch: '50', band: '1-40', car: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(pipelineSchema.parse(r.pipeline)).toEqual({
      reference: 'car',
      stages: [
        { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 },
        { kind: 'notch', frequencyHz: 50, q: 30, harmonics: 0 },
      ],
    });
  });

  it('makes a high-pass or low-pass from a one-sided custom band', () => {
    const hp = formToPipeline({ ...DEFAULT_FORM, band: 'custom', customLowHz: '0.3', customHighHz: '', order: 2 });
    expect(hp.ok && hp.pipeline.stages).toEqual([{ kind: 'highpass', cutoffHz: 0.3, order: 2 }]);
    const lp = formToPipeline({ ...DEFAULT_FORM, band: 'custom', customLowHz: '', customHighHz: '30' });
    expect(lp.ok && lp.pipeline.stages).toEqual([{ kind: 'lowpass', cutoffHz: 30, order: 4 }]);
    expect(formToPipeline({ ...DEFAULT_FORM, band: 'hp-1' }).ok).toBe(true);
  });

  it('says what is wrong with a custom band', () => {
    const r = formToPipeline({ ...DEFAULT_FORM, band: 'custom', customLowHz: '40', customHighHz: '10' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/low edge \(40 Hz\) must be below the high edge \(10 Hz\)/);
    const bad = formToPipeline({ ...DEFAULT_FORM, band: 'custom', customLowHz: 'abc', customHighHz: '10' });
    expect(bad.ok).toBe(false);
  });

  it('reads back what it wrote, and custom bands as custom', () => {
    const form = { ...DEFAULT_FORM, notch: '60' as const, band: '8-30', order: 6, car: true };
    const r = formToPipeline(form);
    if (!r.ok) throw new Error(r.error);
    expect(pipelineToForm(pipelineSchema.parse(r.pipeline)).form).toEqual(form);
    const custom = pipelineToForm(pipelineSchema.parse({ stages: [{ kind: 'bandpass', lowHz: 2, highHz: 35 }] }));
    expect(custom.form.band).toBe('custom');
    expect(custom.form.customLowHz).toBe('2');
    expect(custom.form.customHighHz).toBe('35');
    expect(custom.others).toEqual([]);
  });

  it('lists stages the panel cannot show', () => {
    const r = pipelineToForm(pipelineSchema.parse({ stages: [{ kind: 'bandstop', lowHz: 45, highHz: 55 }, { kind: 'notch', frequencyHz: 50, channels: [1] }] }));
    expect(r.others).toHaveLength(2);
    expect(r.form.notch).toBe('off');
  });

  it('cycles the notch for the n shortcut', () => {
    expect(nextNotch('off')).toBe('50');
    expect(nextNotch('50')).toBe('60');
    expect(nextNotch('60')).toBe('off');
  });
});

describe('custom band read-back', () => {
  it('keeps a custom band custom even when it equals a preset', () => {
    const typed = { ...DEFAULT_FORM, band: 'custom', customLowHz: '1', customHighHz: '40' };
    const r = formToPipeline(typed);
    if (!r.ok) throw new Error(r.error);
    expect(pipelineToForm(pipelineSchema.parse(r.pipeline), typed).form.band).toBe('custom');
    expect(pipelineToForm(pipelineSchema.parse(r.pipeline), DEFAULT_FORM).form.band).toBe('1-40');
  });
});
