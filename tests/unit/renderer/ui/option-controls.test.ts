// Controls drawn from option fields: ladders of bounded numbers, labels with units, parsing back.
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../../../electron/common/boards/option-fields.js';
import type { BoardOptionField } from '../../../../electron/common/contract/board-options.js';
import { fieldChoices, fieldValueLabel, fitsField, ladderOf, parseFieldValue } from '../../../../renderer/ui/option-controls.js';

const field = (key: keyof typeof OPTION_SPECS): BoardOptionField => ({ key, required: false, ...OPTION_SPECS[key].field });

describe('option controls', () => {
  it('offers a doubling ladder from the default: up for counts and rates, both ways for a fractional number', () => {
    const speed = field('speed');
    if (speed.type !== 'number') throw new Error('speed is a number');
    expect(ladderOf(speed)).toEqual([0.25, 0.5, 1, 2, 4, 8, 16]);
    expect(fieldChoices(speed)?.map((c) => c.label)).toEqual(['0.25×', '0.5×', '1×', '2×', '4×', '8×', '16×', 'max']);
    expect(fieldChoices(field('channelCount'))?.map((c) => c.value)).toEqual(['8', '16', '32', '64']);
    expect(fieldChoices(field('sampleRateHz'))?.map((c) => c.label)).toEqual(['250 Hz', '500 Hz', '1000 Hz']);
    // a value off the ladder is added in its place
    expect(fieldChoices(field('channelCount'), 12)?.map((c) => c.value)).toEqual(['8', '12', '16', '32', '64']);
    expect(fieldChoices(field('channelCount'), 999)?.map((c) => c.value)).toEqual(['8', '16', '32', '64']);
    // no maximum, or a start of 0: no list (a number input)
    expect(fieldChoices(field('durationSec'))).toBeNull();
    expect(fieldChoices(field('seed'))).toBeNull();
    expect(fieldChoices(field('loop'))).toBeNull();
    expect(fieldChoices(field('file'))).toBeNull();
  });

  it('labels enums by their choices and numbers with their unit', () => {
    expect(fieldChoices(field('mainsHz'))).toEqual([
      { value: '50', label: '50 Hz' },
      { value: '60', label: '60 Hz' },
    ]);
    expect(fieldValueLabel(field('mode'), 'mi')).toBe('Motor-imagery cues');
    expect(fieldValueLabel(field('channelCount'), 16)).toBe('16');
    expect(fieldValueLabel(field('speed'), 'max')).toBe('max');
  });

  it('parses a control back into a value the field takes, within its range', () => {
    expect(parseFieldValue(field('mainsHz'), '60')).toBe(60);
    expect(parseFieldValue(field('mainsHz'), '55')).toBeNull();
    expect(parseFieldValue(field('speed'), 'max')).toBe('max');
    expect(parseFieldValue(field('speed'), '0.5')).toBe(0.5);
    expect(parseFieldValue(field('speed'), '32')).toBeNull();
    expect(parseFieldValue(field('speed'), '')).toBeNull();
    expect(parseFieldValue(field('channelCount'), '2.5')).toBeNull();
    expect(parseFieldValue(field('durationSec'), '0')).toBeNull(); // above 0
    expect(parseFieldValue(field('loop'), 'true')).toBe(true);
    expect(parseFieldValue(field('file'), '/a.bdf')).toBe('/a.bdf');
    expect(fitsField(field('file'), '')).toBe(false);
    expect(fitsField(field('mode'), 'rest')).toBe(true);
    // every choice offered parses back and is accepted by the field's own schema
    for (const key of Object.keys(OPTION_SPECS) as (keyof typeof OPTION_SPECS)[]) {
      for (const c of fieldChoices(field(key)) ?? []) {
        const value = parseFieldValue(field(key), c.value);
        expect(OPTION_SPECS[key].schema.safeParse(value).success, `${key} ${c.value}`).toBe(true);
      }
    }
  });
});
