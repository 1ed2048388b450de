// Labels and pages at many channels: repeated labels made distinct, shortened in the middle so that
// they stay distinct, and pages of the rows that fit at a readable height.
import { describe, expect, it } from 'vitest';
import { READABLE_ROW_PX, distinctLabels, middleEllipsis, pageOf, rowsThatFit } from '../../../../../renderer/features/signals/channel-labels.js';

describe('channel labels', () => {
  it('numbers repeated labels (the Cyton’s three "Accel Channel"s) and leaves unique ones alone', () => {
    expect(distinctLabels(['Fp1', 'Accel Channel', 'Accel Channel', 'Accel Channel', 'Fp2'])).toEqual(['Fp1', 'Accel Channel 1', 'Accel Channel 2', 'Accel Channel 3', 'Fp2']);
    // never onto another channel's own label
    expect(distinctLabels(['A', 'A', 'A 1'])).toEqual(['A 2', 'A 3', 'A 1']);
    const many = distinctLabels(Array.from({ length: 64 }, () => 'EXG'));
    expect(new Set(many).size).toBe(64);
  });

  it('shortens in the middle, so that shortened labels stay distinct', () => {
    expect(middleEllipsis('Fp1', 12)).toBe('Fp1');
    expect(middleEllipsis('Accel Channel 12', 12)).toBe('Accel…nel 12');
    const labels = distinctLabels(Array.from({ length: 16 }, () => 'Accelerometer Channel'));
    const shown = labels.map((l) => middleEllipsis(l, 12));
    expect(new Set(shown).size).toBe(16);
    for (const s of shown) expect(Array.from(s).length).toBeLessThanOrEqual(12);
  });

  it('pages the visible channels by the rows that fit at a readable height', () => {
    const visible = Array.from({ length: 64 }, (_, i) => i);
    // a 600 px plot: 35 rows of 17 px
    expect(rowsThatFit(600)).toBe(Math.floor(600 / READABLE_ROW_PX));
    const first = pageOf(visible, rowsThatFit(600), 0);
    expect(first).toMatchObject({ page: 0, pageCount: 2, first: 1, last: 35 });
    expect(first.channels).toHaveLength(35);
    const second = pageOf(visible, 35, 1);
    expect(second).toMatchObject({ first: 36, last: 64 });
    expect([...first.channels, ...second.channels]).toEqual(visible);
    // a page beyond the last (channels were hidden since) is the last one
    expect(pageOf(visible, 35, 9).page).toBe(1);
    // all on one page
    expect(pageOf(visible, 0, 0)).toMatchObject({ pageCount: 1, first: 1, last: 64 });
    expect(pageOf([], 10, 3)).toMatchObject({ channels: [], pageCount: 1 });
  });
});
