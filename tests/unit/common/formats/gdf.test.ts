// GDF 1.x and 2.x reader on files written from the specification (tests/support/gdf-builder.ts):
// header fields, scaling, record layouts, the event table (type, position, duration, channel),
// the tagged header's event descriptions, and corrupt headers refused with a sentence.

import { describe, expect, it } from 'vitest';
import { openGdf } from '../../../../electron/common/formats/gdf.js';
import { detectFormat } from '../../../../electron/common/formats/open-source.js';
import { RecordingFormatError } from '../../../../electron/common/formats/recording.js';
import { bytesSource } from '../../../../electron/common/formats/source.js';
import { gdfBytes, type GdfSpec } from '../../../support/gdf-builder.js';

const eeg = (label: string, k: number) => ({ label, unit: 'uV', unitCode: 4275, physMin: -3276.8, physMax: 3276.7, digMin: -32768, digMax: 32767, spr: 250, value: (r: number, i: number) => ((r * 250 + i) * (k + 1)) % 30000 - 15000 });

function spec(version: GdfSpec['version']): GdfSpec {
  return {
    version,
    type: 3,
    records: 4,
    duration: [1, 1],
    signals: [eeg('C3', 0), eeg('Cz', 1), eeg('C4', 2)],
    eventRate: 250,
    events: [
      { pos: 1, typ: 0x7ffe },
      { pos: 251, typ: 768, dur: 1500 },
      { pos: 501, typ: 769, dur: 313 },
      { pos: 751, typ: 1023, chn: 2, dur: 10 },
    ],
  };
}

describe('GDF reader', () => {
  it.each(['1.25', '2.20', '2.51'] as const)('GDF %s: channels, scaled samples and the event table', async (version) => {
    const bytes = gdfBytes(spec(version));
    expect(detectFormat(bytes.subarray(0, 4096))).toBe('gdf');
    const r = await openGdf(bytesSource(bytes));
    const i = r.info;
    expect(i.format).toBe('gdf');
    expect(i.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.type])).toEqual([
      ['C3', 'uV', 250, 'eeg'],
      ['Cz', 'uV', 250, 'eeg'],
      ['C4', 'uV', 250, 'eeg'],
    ]);
    expect(i.sampleCount).toBe(1000);
    expect(i.durationSec).toBe(4);
    expect(i.startTime?.toISOString()).toBe('2016-03-01T12:00:00.000Z');
    expect(i.events).toEqual([
      { onsetSec: 0, durationSec: 0, label: '32766' },
      { onsetSec: 1, durationSec: 6, label: '768' },
      { onsetSec: 2, durationSec: 313 / 250, label: '769' },
      { onsetSec: 3, durationSec: 0.04, label: '1023', channel: 'Cz' },
    ]);
    const out = new Float64Array(1000 * 3);
    await r.readRows(0, 1000, out);
    for (const row of [0, 1, 249, 250, 777, 999]) {
      for (let c = 0; c < 3; c++) {
        const d = ((row * (c + 1)) % 30000) - 15000;
        expect(out[row * 3 + c]).toBeCloseTo((d + 32768) * (6553.5 / 65535) - 3276.8, 9);
      }
    }
    // random access across a record boundary gives the same values
    const part = new Float64Array(10 * 3);
    await r.readRows(245, 10, part);
    expect(Array.from(part)).toEqual(Array.from(out.subarray(245 * 3, 255 * 3)));
  });

  it('GDF 2: event codes labelled by the tagged header descriptions; float32 samples; mixed rates read by channel', async () => {
    const bytes = gdfBytes({
      version: '2.20',
      type: 16,
      records: 2,
      duration: [1, 2],
      signals: [
        { label: 'Fz', unitCode: 4275, physMin: -1, physMax: 1, digMin: -1, digMax: 1, spr: 128, value: (r, i) => (r * 128 + i) / 256 },
        { label: 'ECG', unitCode: 4274, physMin: -1, physMax: 1, digMin: -1, digMax: 1, spr: 32, value: (r, i) => -(r * 32 + i) / 64 },
      ],
      eventDescriptions: ['', 'T0', 'T2', 'T1'],
      eventMode: 1,
      eventRate: 256,
      events: [
        { pos: 1, typ: 1 },
        { pos: 129, typ: 3 },
        { pos: 200, typ: 769 },
      ],
    });
    const r = await openGdf(bytesSource(bytes));
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.rowChannels).toEqual([0]);
    expect(r.info.channels[1]).toMatchObject({ label: 'ECG', unit: 'mV', sampleRateHz: 64, type: 'ecg' });
    expect(r.info.events.map((e) => [e.onsetSec, e.label])).toEqual([
      [0, 'T0'],
      [0.5, 'T1'],
      [199 / 256, '769'],
    ]);
    expect(r.info.notes.join(' ')).toMatch(/Mixed sampling rates: .*ECG \(64 Hz\)/);
    const ecg = new Float64Array(64);
    await r.readChannel(1, 0, 64, ecg);
    expect(ecg[40]).toBeCloseTo(-40 / 64, 6);
  });

  it.each([
    ['a record duration of 0', { duration: [0, 1] as [number, number] }, /record duration \(0 s\) is not a positive number/],
    ['a record duration of 1e-7 s', { duration: [1, 10_000_000] as [number, number] }, /beyond any EEG amplifier's 200 kHz/],
    ['a record duration of a year', { duration: [31_536_000, 1] as [number, number] }, /record duration \(31536000 s\) is absurd/],
  ])('refuses %s with a sentence', async (_, change, message) => {
    await expect(openGdf(bytesSource(gdfBytes({ ...spec('2.20'), ...change })))).rejects.toThrow(message);
  });

  it('a truncated file is read as far as it goes, with the event table left out and said', async () => {
    const bytes = gdfBytes(spec('1.25'));
    const r = await openGdf(bytesSource(bytes.subarray(0, 256 * 4 + 3 * 500 * 2 + 7)));
    expect(r.info.sampleCount).toBe(500);
    expect(r.info.events).toEqual([]);
    expect(r.info.notes.join(' ')).toMatch(/declares 4 data records but the file holds only 2: the file is truncated/);
  });

  it('refuses a file that is not GDF, or a header longer than the file', async () => {
    await expect(openGdf(bytesSource(new TextEncoder().encode('GDF x'.padEnd(300))))).rejects.toThrow(RecordingFormatError);
    await expect(openGdf(bytesSource(gdfBytes(spec('2.20')).subarray(0, 600)))).rejects.toThrow(/runs past the end of the file/);
  });
});
