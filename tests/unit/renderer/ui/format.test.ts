// Formats for the status bar and the panels: rates, decibels, file names, error messages.
import { describe, expect, it } from 'vitest';
import { errorText, fileNameOf, formatDb, formatRate } from '../../../../renderer/ui/format.js';

describe('formats', () => {
  it('formats figures for the status bar', () => {
    expect(formatRate(249.96)).toBe('250.0 Hz');
    expect(formatRate(0)).toBe('— Hz');
    expect(formatDb(23.04)).toBe('+23.0 dB');
    expect(formatDb(-4.2)).toBe('−4.2 dB');
  });

  it('takes file names from either kind of path', () => {
    expect(fileNameOf('/data/sub-S01/ses-01/eeg/sub-S01_ses-01_task-rest_run-01_eeg.bdf')).toBe('sub-S01_ses-01_task-rest_run-01_eeg.bdf');
    expect(fileNameOf('C:\\data\\x.bdf')).toBe('x.bdf');
    expect(fileNameOf('x.bdf')).toBe('x.bdf');
  });

  it('gives the message of whatever was thrown', () => {
    expect(errorText(new Error('no such board'))).toBe('no such board');
    expect(errorText('plain')).toBe('plain');
  });
});
