// The mains readout's advice: the board's frequency when known (else the worse of 50 and 60 Hz),
// its level, and a suggestion to switch when the other frequency carries the interference.
import { describe, expect, it } from 'vitest';
import { mainsAdvice } from '../../../../../renderer/features/spectrum/mains-advice.js';

describe('mains advice', () => {
  it('reports the board mains, or the worse of the two when unknown, with its level', () => {
    expect(mainsAdvice({ 50: 12, 60: 1 }, 50)).toEqual({ shown: [50], primary: { hz: 50, db: 12 }, level: 'high', suggestHz: null });
    expect(mainsAdvice({ 50: 1, 60: 4 }, null)).toEqual({ shown: [50, 60], primary: { hz: 60, db: 4 }, level: 'some', suggestHz: null });
    expect(mainsAdvice({ 50: 0.5, 60: 0.2 }, 60)).toMatchObject({ primary: { hz: 60, db: 0.2 }, level: 'low', suggestHz: null });
    expect(mainsAdvice(null, 50)).toEqual({ shown: [50], primary: null, level: 'unknown', suggestHz: null });
    expect(mainsAdvice({ 50: null, 60: null }, null)).toMatchObject({ level: 'unknown', suggestHz: null });
  });

  it('suggests the other frequency when it carries the interference (a US file with the 50 Hz default)', () => {
    expect(mainsAdvice({ 50: 1, 60: 18 }, 50)).toEqual({ shown: [50, 60], primary: { hz: 50, db: 1 }, level: 'low', suggestHz: 60 });
    expect(mainsAdvice({ 50: 15, 60: 2 }, 60)).toMatchObject({ shown: [60, 50], suggestHz: 50 });
    // not when the other is weak, nor when both are high and close (a harmonic, a broadband artefact)
    expect(mainsAdvice({ 50: -1, 60: 2.5 }, 50).suggestHz).toBeNull();
    expect(mainsAdvice({ 50: 1, 60: 6 }, 50).suggestHz).toBeNull();
    // PhysioNet S001R03 (recorded in the US) seen with the 50 Hz default: 60 Hz at 6 dB, 50 Hz at −0.5 dB
    expect(mainsAdvice({ 50: -0.5, 60: 6 }, 50).suggestHz).toBe(60);
    expect(mainsAdvice({ 50: 12, 60: 16 }, 50).suggestHz).toBeNull();
    expect(mainsAdvice({ 50: 12, 60: 19 }, 50).suggestHz).toBe(60);
    // unknown mains: both are shown already, nothing to switch
    expect(mainsAdvice({ 50: 1, 60: 18 }, null).suggestHz).toBeNull();
    // the set frequency still measuring: the other alone decides
    expect(mainsAdvice({ 50: null, 60: 18 }, 50)).toMatchObject({ primary: null, level: 'unknown', suggestHz: 60 });
  });
});
