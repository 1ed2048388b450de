// Readers that never bend or drop data without a word (issue 14, reader side): absurd EDF header
// values refused with a sentence, annotation-only EDF+ opened as events, trigger channels decoded
// only when they look like triggers, mixed rates said, robust rates and gaps in text files
// (glitches are not loss), duplicated header lines, NaN and empty fields counted, OpenBCI GUI
// v2/v3 files, BrainFlow CSV loss from the package counter.

import { describe, expect, it } from 'vitest';
import { openEdf } from '../../../../electron/common/formats/edf-reader.js';
import { RecordingFormatError } from '../../../../electron/common/formats/recording.js';
import { bytesSource } from '../../../../electron/common/formats/source.js';
import { edfBytes, tal } from '../../../support/format-builders.js';

describe('EDF header values no real recording has', () => {
  const signal = { label: 'Fz', spr: 256, value: (r: number, i: number) => i };

  it('a record duration of 1e308 s is refused with a sentence', async () => {
    const bytes = edfBytes({ variant: 'edf', records: 2, duration: '1e308', signals: [signal] });
    await expect(openEdf(bytesSource(bytes))).rejects.toThrow(RecordingFormatError);
    await expect(openEdf(bytesSource(bytes))).rejects.toThrow(/record duration "1e308" s is absurd/);
  });

  it.each(['1e-4', '1e-5', '1e-7'])('a record duration of %s s (a rate of MHz) is refused before anything is allocated', async (duration) => {
    const bytes = edfBytes({ variant: 'edf', records: 2, duration, signals: [signal] });
    await expect(openEdf(bytesSource(bytes))).rejects.toThrow(/beyond any EEG amplifier's 200 kHz/);
  });

  it('a real short record (1 sample of 250 Hz per record) still opens', async () => {
    const bytes = edfBytes({ variant: 'edf', records: 10, duration: '0.004', signals: [{ label: 'Fz', spr: 1 }] });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.sampleCount).toBe(10);
  });
});

describe('annotation-only EDF+ (a hypnogram)', () => {
  it('opens as events with no samples: one record of duration 0', async () => {
    const bytes = edfBytes({
      variant: 'edf',
      reserved: 'EDF+C',
      records: 1,
      duration: 0,
      signals: [
        {
          label: 'EDF Annotations',
          spr: 60,
          tal: () => tal(0, { onset: 0, duration: 30, texts: ['Sleep stage W'] }, { onset: 30, duration: 60, texts: ['Sleep stage 1'] }, { onset: 90, duration: 30, texts: ['Sleep stage 2'] }),
        },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.channels).toEqual([]);
    expect(r.info.sampleCount).toBe(0);
    expect(r.info.sampleRateHz).toBe(0);
    expect(r.info.events).toEqual([
      { onsetSec: 0, durationSec: 30, label: 'Sleep stage W' },
      { onsetSec: 30, durationSec: 60, label: 'Sleep stage 1' },
      { onsetSec: 90, durationSec: 30, label: 'Sleep stage 2' },
    ]);
    expect(r.info.durationSec).toBe(120);
    expect(r.info.notes.join(' ')).toMatch(/Annotations only \(no signals\): 3 events, no samples/);
    expect(await r.readRows(0, 10, new Float64Array(0))).toBe(0);
  });
});
