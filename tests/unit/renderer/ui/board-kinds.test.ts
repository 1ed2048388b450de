// Which boards are serial amplifiers.
import { describe, expect, it } from 'vitest';
import { isAmplifierBoard } from '../../../../renderer/ui/board-kinds.js';

describe('board kinds', () => {
  it('knows the serial amplifier boards', () => {
    expect(isAmplifierBoard('cyton')).toBe(true);
    expect(isAmplifierBoard('cyton-daisy')).toBe(true);
    expect(isAmplifierBoard('synthetic')).toBe(false);
    expect(isAmplifierBoard(null)).toBe(false);
  });
});
