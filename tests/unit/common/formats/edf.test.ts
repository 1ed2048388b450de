// EDF/BDF(+) reader on synthetic files: scaling, 16/24-bit, mixed rates, non-integer record
// durations, TAL annotations (UTF-8, durations, time-keeping entries), EDF+D gaps, BioSemi Status
// triggers, "-1" and truncated record counts, and the header validation that refuses absurd files
// before allocating anything.

import { describe, expect, it } from 'vitest';
import { openEdf } from '../../../../electron/common/formats/edf-reader.js';
import { parseTals } from '../../../../electron/common/formats/edf-annotations.js';
import { RecordingFormatError, recordingTimeOfRow, rowOfRecordingTime } from '../../../../electron/common/formats/recording.js';
import { bytesSource, type ByteSource } from '../../../../electron/common/formats/source.js';
import { edfBytes, tal } from '../../../support/format-builders.js';

async function rows(source: ByteSource, start?: number, count?: number): Promise<{ info: Awaited<ReturnType<typeof openEdf>>['info']; out: Float64Array; n: number }> {
  const r = await openEdf(source);
  const s = start ?? 0;
  const c = count ?? r.info.sampleCount;
  const out = new Float64Array(c * r.info.rowChannels.length);
  const n = await r.readRows(s, c, out);
  return { info: r.info, out, n };
}

describe('EDF header and samples', () => {
  it('scales digital to physical with the header ranges (16-bit)', async () => {
    const bytes = edfBytes({
      variant: 'edf',
      records: 3,
      duration: 1,
      signals: [
        { label: 'EEG Fp1', physMin: -3200, physMax: 3200, digMin: -32000, digMax: 32000, spr: 4, value: (r, i) => r * 1000 + i * 10 - 32000 * (i === 3 ? 1 : 0) },
        { label: 'ECG', unit: 'mV', physMin: 0, physMax: 10, digMin: 0, digMax: 1000, spr: 4, value: (r, i) => r * 4 + i },
      ],
    });
    const { info, out, n } = await rows(bytesSource(bytes));
    expect(info.format).toBe('edf');
    expect(info.sampleRateHz).toBe(4);
    expect(info.sampleCount).toBe(12);
    expect(n).toBe(12);
    expect(info.channels.map((c) => [c.label, c.type, c.unit])).toEqual([
      ['EEG Fp1', 'eeg', 'uV'],
      ['ECG', 'ecg', 'mV'],
    ]);
    expect(info.startTime?.toISOString()).toBe('2015-06-02T10:41:57.000Z');
    for (let row = 0; row < 12; row++) {
      const r = Math.floor(row / 4);
      const i = row % 4;
      const d0 = r * 1000 + i * 10 - 32000 * (i === 3 ? 1 : 0);
      expect(out[row * 2]).toBeCloseTo(((d0 + 32000) * 6400) / 64000 - 3200, 10);
      expect(out[row * 2 + 1]).toBeCloseTo(((r * 4 + i) * 10) / 1000, 12);
    }
  });

  it('reads 24-bit BDF values, negative ones included, from any offset', async () => {
    const value = (r: number, i: number): number => ((r * 7 + i) % 2 ? -1 : 1) * (r * 100003 + i * 4099);
    const bytes = edfBytes({ variant: 'bdf', reserved: '24BIT', records: 5, duration: 1, signals: [{ label: 'A1', spr: 8, value }, { label: 'A2', spr: 8, value: (r, i) => -value(r, i) }] });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.format).toBe('bdf');
    // BioSemi ranges: one digital step is one physical step
    for (const [start, count] of [
      [0, 40],
      [3, 9],
      [7, 1],
      [15, 25],
      [39, 10],
    ]) {
      const out = new Float64Array(count * 2);
      const n = await r.readRows(start, count, out);
      expect(n).toBe(Math.min(count, 40 - start));
      for (let k = 0; k < n; k++) {
        const row = start + k;
        const expected = (value(Math.floor(row / 8), row % 8) + 8388608) * (16777215 / 16777215) - 8388608;
        expect(out[k * 2]).toBeCloseTo(expected, 6);
        expect(out[k * 2 + 1]).toBeCloseTo(-expected, 6);
      }
    }
    const one = new Float64Array(3);
    expect(await r.readChannel(1, 10, 3, one)).toBe(3);
    expect(Array.from(one).map(Math.round)).toEqual([10, 11, 12].map((row) => -value(Math.floor(row / 8), row % 8)));
    await expect(r.readRows(0, 10, new Float64Array(5))).rejects.toThrow(RangeError);
    expect(await r.readRows(40, 10, new Float64Array(20))).toBe(0);
  });

  it('mixed rates: rows at the most common rate, the others through readChannel', async () => {
    const bytes = edfBytes({
      variant: 'edf',
      records: 2,
      duration: 2,
      signals: [
        { label: 'C3', spr: 512, value: (r, i) => r * 512 + i },
        { label: 'Resp', unit: 'mV', spr: 8, value: (r, i) => 100 + r * 8 + i },
        { label: 'C4', spr: 512, value: (r, i) => -(r * 512 + i) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.rowChannels).toEqual([0, 2]);
    expect(r.info.channels[1].sampleRateHz).toBe(4);
    expect(r.info.notes.join(' ')).toMatch(/Mixed sampling rates.*Resp \(4 Hz\)/);
    const out = new Float64Array(4);
    await r.readRows(511, 2, out);
    expect(Array.from(out).map(Math.round)).toEqual([511, -511, 512, -512]);
    const resp = new Float64Array(16);
    expect(await r.readChannel(1, 0, 100, resp)).toBe(16);
    expect(Array.from(resp).map(Math.round)).toEqual(Array.from({ length: 16 }, (_, i) => 100 + i));
  });

  it('non-integer record durations (9.59375 s, 1228 samples: 128 Hz)', async () => {
    const bytes = edfBytes({ variant: 'edf', records: 2, duration: '9.59375', signals: [{ label: 'Fz', spr: 1228, value: (r, i) => (i + r) % 1000 }] });
    const { info, out } = await rows(bytesSource(bytes));
    expect(info.sampleRateHz).toBe(128);
    expect(info.sampleCount).toBe(2456);
    expect(info.durationSec).toBeCloseTo(19.1875, 12);
    expect(Math.round(out[1228])).toBe(1);
  });

  it('EDF+C annotations: onsets, durations, several texts, UTF-8; time-keeping entries are not events', async () => {
    const bytes = edfBytes({
      variant: 'edf',
      reserved: 'EDF+C',
      records: 3,
      duration: 1,
      signals: [
        { label: 'Cz', spr: 10, value: () => 0 },
        {
          label: 'EDF Annotations',
          spr: 40,
          tal: (r) =>
            r === 0
              ? tal(0, { onset: 0, texts: ['start'] }, { onset: 0.25, duration: 1.5, texts: ['Stimulus Ω', 'two'] })
              : r === 2
                ? tal(2, { onset: 2.5, duration: 0, texts: ['Äpfel µV'] })
                : tal(1),
        },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.channels.map((c) => c.label)).toEqual(['Cz']);
    expect(r.info.events).toEqual([
      { onsetSec: 0, durationSec: 0, label: 'start' },
      { onsetSec: 0.25, durationSec: 1.5, label: 'Stimulus Ω' },
      { onsetSec: 0.25, durationSec: 1.5, label: 'two' },
      { onsetSec: 2.5, durationSec: 0, label: 'Äpfel µV' },
    ]);
    expect(r.info.discontinuities).toEqual([]);
  });

  it('EDF+D: record start times from the time-keeping TALs; gaps become discontinuities, events map to recording time', async () => {
    const starts = [0, 1, 5, 6.5];
    const bytes = edfBytes({
      variant: 'bdf',
      reserved: 'BDF+D',
      records: 4,
      duration: 1,
      signals: [
        { label: 'O1', spr: 100, value: (r, i) => r * 100 + i },
        { label: 'BDF Annotations', spr: 20, tal: (r) => (r === 2 ? tal(starts[r], { onset: 5.5, texts: ['in record 3'] }, { onset: 3, texts: ['in the gap'] }) : tal(starts[r])) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    const info = r.info;
    expect(info.sampleCount).toBe(400);
    expect(info.discontinuities).toEqual([
      { onsetSec: 2, sampleIndex: 200, missingSec: 3 },
      { onsetSec: 6, sampleIndex: 300, missingSec: 0.5 },
    ]);
    expect(info.durationSec).toBeCloseTo(7.5, 12);
    const byLabel = Object.fromEntries(info.events.map((e) => [e.label, e.onsetSec]));
    expect(byLabel['in record 3']).toBeCloseTo(5.5, 12);
    expect(byLabel['in the gap']).toBeCloseTo(3, 12);
    expect(rowOfRecordingTime(info, 5.5)).toBe(250);
    expect(recordingTimeOfRow(info, 250)).toBeCloseTo(5.5, 12);
    expect(rowOfRecordingTime(info, 3)).toBe(200); // inside the gap: the first row after it
    // rows run on across the gaps
    const out = new Float64Array(4);
    await r.readRows(198, 4, out);
    expect(Array.from(out).map(Math.round)).toEqual([198, 199, 200, 201]);
  });

  it('a first record that starts after the header time moves the start time and keeps onsets relative to the first sample', async () => {
    const bytes = edfBytes({
      variant: 'edf',
      reserved: 'EDF+C',
      records: 2,
      duration: 1,
      signals: [
        { label: 'Pz', spr: 10, value: () => 1 },
        { label: 'EDF Annotations', spr: 30, tal: (r) => tal(0.5 + r, ...(r === 1 ? [{ onset: 1.75, texts: ['x'] }] : [])) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.startTime?.toISOString()).toBe('2015-06-02T10:41:57.500Z');
    expect(r.info.events).toEqual([{ onsetSec: 1.25, durationSec: 0, label: 'x' }]);
  });

  it('BioSemi Status: low 16 bits, an event at each change to a non-zero value; left out of the rows', async () => {
    // high byte: device status bits that change on their own and must not make events
    const codes = [0, 0, 5, 5, 0, 0, 7, 9, 9, 0];
    const bytes = edfBytes({
      variant: 'bdf',
      reserved: '24BIT',
      records: 2,
      duration: 1,
      signals: [
        { label: 'Fp1', spr: 5, value: (r, i) => r * 5 + i },
        { label: 'Status', unit: 'Boolean', spr: 5, value: (r, i) => ((((r * 5 + i) % 3) << 16) | codes[r * 5 + i]) - ((r * 5 + i) % 2 ? 0x800000 : 0) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.channels.map((c) => c.type)).toEqual(['eeg', 'stim']);
    expect(r.info.rowChannels).toEqual([0]);
    expect(r.info.events.map((e) => e.label)).toEqual(['5', '7', '9']);
    r.info.events.forEach((e, i) => {
      expect(e.onsetSec).toBeCloseTo([0.4, 1.2, 1.4][i], 12);
      expect(e.durationSec).toBeCloseTo([0.4, 0.2, 0.4][i], 12);
    });
    expect(r.info.notes.join(' ')).toMatch(/Status channel decoded as events/);
    const status = new Float64Array(10);
    await r.readChannel(1, 0, 10, status);
    expect(Array.from(status)).toEqual(codes);
  });

  it('"-1" records (still recording): the count comes from the file size, a partial last record is ignored', async () => {
    const full = edfBytes({ variant: 'bdf', reserved: 'BDF+C', records: 4, recordsField: '-1', duration: 1, signals: [{ label: 'A', spr: 10, value: (r, i) => r * 10 + i }] });
    const cut = full.subarray(0, full.length - 7);
    const r = await openEdf(bytesSource(cut));
    expect(r.info.sampleCount).toBe(30);
    expect(r.info.notes.join(' ')).toMatch(/unknown \(-1/);
    expect(r.info.notes.join(' ')).toMatch(/incomplete last data record/);
  });

  it('a header that declares more records than the file holds is read as far as the file goes', async () => {
    const bytes = edfBytes({ variant: 'edf', records: 3, recordsField: '99999999', duration: 1, signals: [{ label: 'A', spr: 10 }] });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.sampleCount).toBe(30);
    expect(r.info.notes.join(' ')).toMatch(/declares 99999999 data records but the file holds only 3/);
  });
});

describe('EDF validation', () => {
  const base = { variant: 'edf' as const, records: 1, duration: 1, signals: [{ label: 'A', spr: 4 }] };
  const refuse = async (bytes: Uint8Array, message: RegExp): Promise<void> => {
    const attempt = openEdf(bytesSource(bytes));
    await expect(attempt).rejects.toThrow(RecordingFormatError);
    await expect(attempt).rejects.toThrow(message);
  };

  it('refuses a wrong header size field', () => refuse(edfBytes({ ...base, headerBytesField: '768' }), /header size field says "768" bytes but 1 signals need 512/));
  it('refuses 100000 signals in a small file before allocating', () => refuse(edfBytes({ ...base, signalCountField: '9999', headerBytesField: String(256 * 10000) }), /declares 9999 signals .* but the file has only/));
  it('refuses a negative or non-numeric signal count', () => refuse(edfBytes({ ...base, signalCountField: '-3' }), /number of signals "-3" is not a positive integer/));
  it('refuses negative record counts other than -1', () => refuse(edfBytes({ ...base, recordsField: '-7' }), /number of data records "-7"/));
  it('refuses a non-numeric physical minimum', () => refuse(edfBytes({ ...base, signals: [{ label: 'A', spr: 4, physMin: 'abc' }] }), /signal 1 \(A\): the physical minimum "abc" is not a number/));
  it('refuses zero samples per record', () => refuse(edfBytes({ ...base, signals: [{ label: 'A', spr: 0 }] }), /samples per record "0" is not a positive integer/));
  it('refuses a zero record duration with signals', () => refuse(edfBytes({ ...base, duration: 0 }), /duration is 0/));
  it('refuses a file shorter than the header', () => refuse(edfBytes(base).subarray(0, 200), /shorter than the 256-byte header/));
  it('refuses a file that is not EDF', () => refuse(new TextEncoder().encode('hello world'.repeat(40)), /not an EDF\/BDF file/));
  it('opens an annotations-only file as events with no samples (see reader-honesty.test.ts)', async () => {
    const r = await openEdf(bytesSource(edfBytes({ variant: 'edf', reserved: 'EDF+C', records: 1, duration: 1, signals: [{ label: 'EDF Annotations', spr: 10, tal: () => tal(0) }] })));
    expect(r.info.sampleCount).toBe(0);
    expect(r.info.events).toEqual([]);
  });
  it('reads a degenerate range as digital counts, with a note', async () => {
    const r = await openEdf(bytesSource(edfBytes({ ...base, signals: [{ label: 'A', spr: 4, physMin: 5, physMax: 5, value: (_, i) => i * 3 }] })));
    const out = new Float64Array(4);
    await r.readRows(0, 4, out);
    expect(Array.from(out)).toEqual([0, 3, 6, 9]);
    expect(r.info.notes.join(' ')).toMatch(/degenerate range/);
  });
});

describe('TAL parsing', () => {
  const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
  it('parses onset, duration and texts, and skips padding', () => {
    expect(parseTals(bytes('+0\x14\x14\x00+1.5\x152.25\x14a\x14b\x14\x00-0.5\x14neg\x14\x00\x00\x00\x00'))).toEqual({
      tals: [
        { onsetSec: 0, durationSec: 0, texts: [] },
        { onsetSec: 1.5, durationSec: 2.25, texts: ['a', 'b'] },
        { onsetSec: -0.5, durationSec: 0, texts: ['neg'] },
      ],
      malformed: 0,
    });
  });
  it('counts malformed TALs without failing', () => {
    expect(parseTals(bytes('garbage\x00+x\x14a\x14\x00+1\x15-2\x14a\x14\x00+2\x14ok\x14\x00'))).toEqual({ tals: [{ onsetSec: 2, durationSec: 0, texts: ['ok'] }], malformed: 3 });
  });
});
