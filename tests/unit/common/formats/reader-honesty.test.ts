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

// ---- text recordings: the real Muse and OpenBCI files of ../shared/data, altered as a lab's files are

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openBrainflowCsv, openHeaderCsv } from '../../../../electron/common/formats/brainflow-csv.js';
import { openOpenbciTxt } from '../../../../electron/common/formats/openbci-txt.js';
import { text } from '../../../support/format-builders.js';

const data = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const museLines = (): string[] => readFileSync(`${data}eeg-notebooks-ssvep/data_2017-09-14-21.20.04.csv`, 'latin1').split('\n');
const openbciLines = (): string[] => readFileSync(`${data}openbci-gui/OpenBCI-sampleData-1-blinks-jawClench-alpha.txt`, 'latin1').split('\n');
const museCsv = (lines: string[]) => openHeaderCsv(bytesSource(text(lines.join('\n'))));

describe('one bad timestamp does not bend a whole file', () => {
  it.each([10, -10])('Muse CSV: one timestamp moved by %d s is a glitch: rate 256 Hz, no gap, the duration unchanged', async (shift) => {
    const lines = museLines();
    const fields = lines[5001].split(',');
    fields[0] = (Number(fields[0]) + shift).toFixed(3);
    lines[5001] = fields.join(',');
    const r = await museCsv(lines);
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.discontinuities).toEqual([]);
    expect(r.info.durationSec).toBeCloseTo(30732 / 256, 9);
    expect(r.info.notes.join(' ')).toMatch(/1 timestamp glitch \(a single timestamp far from its neighbours: row 5000 off by -?10\.\d+ s\): ignored for the rate and the gaps, not counted as loss/);
    expect(r.info.notes.join(' ')).toMatch(/estimated from the timestamps: 256\.0\d\d Hz/);
  });

  it('OpenBCI GUI file with a continuous counter: one epoch timestamp moved back by 10⁹ ms loses nothing', async () => {
    const lines = openbciLines();
    const i = 3000;
    const fields = lines[i].split(', ');
    fields[fields.length - 1] = String(Number(fields[fields.length - 1]) - 1e9);
    lines[i] = fields.join(', ');
    const r = await openOpenbciTxt(bytesSource(text(lines.join('\n'))));
    expect(r.info.discontinuities).toEqual([]);
    expect(r.info.sampleCount).toBe(22490);
    expect(r.info.durationSec).toBeCloseTo(22490 / 250, 9);
    expect(r.info.notes.join(' ')).toMatch(/1 timestamp glitch .* off by -1000000\.\d* s?|1 timestamp glitch .*off by -1000000 s/);
  });

  it('a real gap in the timestamps is still a gap (it does not come back)', async () => {
    const lines = museLines();
    // 2 s missing from row 10000 on
    for (let k = 10001; k < lines.length; k++) {
      if (!lines[k]) continue;
      const f = lines[k].split(',');
      f[0] = (Number(f[0]) + 2).toFixed(3);
      lines[k] = f.join(',');
    }
    const r = await museCsv(lines);
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.discontinuities).toHaveLength(1);
    expect(r.info.discontinuities[0].sampleIndex).toBe(10000);
    expect(r.info.discontinuities[0].missingSec).toBeGreaterThan(1.95);
    expect(r.info.discontinuities[0].missingSec).toBeLessThan(2.05);
  });
});

describe('a duplicated header line', () => {
  it.each([1, 7000])('Muse CSV with its header repeated at line %d: skipped and reported, 256 Hz, no row of NaN', async (at) => {
    const lines = museLines();
    lines.splice(at, 0, lines[0]);
    const r = await museCsv(lines);
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.sampleCount).toBe(30732);
    expect(r.info.discontinuities).toEqual([]);
    expect(r.info.missingValueCounts?.every((n) => n === 0)).toBe(true);
    expect(r.info.notes.join(' ')).toMatch(new RegExp(`header line is repeated 1 time in the data \\(first at line ${at + 1}\\): skipped`));
    // random access skips it too
    const out = new Float64Array(5);
    await r.readRows(at, 1, out);
    expect(out[0]).toBe(Number(lines[at + 2].split(',')[1]));
  });
});

describe('NaN and empty fields', () => {
  it('are counted per channel, said in the notes and read as NaN (gaps for a writer), never as a value', async () => {
    const lines = museLines();
    const f1 = lines[101].split(',');
    f1[2] = '';
    lines[101] = f1.join(',');
    const f2 = lines[202].split(',');
    f2[2] = 'NaN';
    f2[3] = 'nan';
    lines[202] = f2.join(',');
    const r = await museCsv(lines);
    expect(r.info.missingValueCounts).toEqual([0, 2, 1, 0, 0]);
    expect(r.info.notes.join(' ')).toMatch(/3 empty or non-numeric values \(AF7: 2, AF8: 1\): read as NaN, to be written as gaps/);
    const out = new Float64Array(5);
    await r.readRows(100, 1, out);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(Number.isNaN(out[0])).toBe(false);
  });
});

describe('OpenBCI GUI v2/v3 files (no channel count in the header)', () => {
  it.each([
    ['v3 (index, 8 EXG, 3 accelerometer, time)', (f: string[]) => f.slice(0, 13)],
    ['v2 (index, 8 EXG, 3 accelerometer)', (f: string[]) => f.slice(0, 12)],
  ])('%s: 8 channels inferred from the columns, the same samples as the v4 file', async (_, cut) => {
    const v4 = openbciLines();
    const v23 = v4
      .filter((l) => !/^%Number of channels/.test(l))
      .map((l) => (l.startsWith('%') || !l ? l : cut(l.split(', ')).join(', ')));
    const r = await openOpenbciTxt(bytesSource(text(v23.join('\n'))));
    const ref = await openOpenbciTxt(bytesSource(text(v4.join('\n'))));
    expect(r.info.channels.map((c) => c.label)).toEqual(ref.info.channels.map((c) => c.label));
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.sampleCount).toBe(ref.info.sampleCount);
    expect(r.info.notes.join(' ')).toMatch(/OpenBCI GUI v2\/v3 file .*8 channels inferred from the 1[23] columns/);
    const a = new Float64Array(100 * 11);
    const b = new Float64Array(100 * 11);
    await r.readRows(1000, 100, a);
    await ref.readRows(1000, 100, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('a row that fits no OpenBCI layout is refused with a sentence', async () => {
    const body = '%OpenBCI Raw EEG Data\n%Sample Rate = 250.0 Hz\n' + '0, 1, 2, 3, 4, 5, 6\n'.repeat(3);
    await expect(openOpenbciTxt(bytesSource(text(body)))).rejects.toThrow(/does not say the number of channels and rows of 7 columns match no OpenBCI layout/);
  });
});

describe('BrainFlow CSV loss, counted honestly', () => {
  /** A BrainFlow Cyton+Daisy file (32 columns): package numbers stepping by 2, bursty host timestamps. */
  function daisyFile(dropAfter: Map<number, number>, rows: number, rateHz = 125): string {
    let body = '';
    let pkg = 0;
    let sample = 0;
    const t0 = 1700000000;
    for (let r = 0; r < rows; r++) {
      const lost = dropAfter.get(r) ?? 0;
      sample += lost;
      pkg = (pkg + 2 * lost) % 256;
      const row = new Array<number>(32).fill(0);
      row[0] = pkg;
      for (let c = 1; c <= 16; c++) row[c] = Math.sin(sample / 10 + c) * 50;
      // arrival in bursts of 4 rows (USB latency): the time of the burst's last sample
      row[30] = t0 + (Math.floor(sample / 4) * 4 + 3) / rateHz;
      body += row.map((v, k) => (k === 30 ? v.toFixed(6) : String(Number(v.toFixed(6))))).join('\t') + '\n';
      pkg = (pkg + 2) % 256;
      sample++;
    }
    return body;
  }

  it('Cyton+Daisy: every lost packet pair from the package counter (stepping by 2), not only jumps over 0.5 s', async () => {
    const drops = new Map<number, number>();
    let expected = 0;
    for (let k = 0; k < 300; k++) {
      const lost = 1 + (k % 3); // 8-24 ms each: all far below half a second
      drops.set(100 + k * 20, lost);
      expected += lost;
    }
    drops.set(7000, 500); // 4 s: longer than a counter wrap (128 rows), the timestamps tell the wraps
    expected += 500;
    const r = await openBrainflowCsv(bytesSource(text(daisyFile(drops, 8000))), 'cyton-daisy');
    const lostRows = r.info.discontinuities.reduce((s, d) => s + Math.round(d.missingSec * 125), 0);
    expect(r.info.discontinuities).toHaveLength(301);
    expect(lostRows).toBe(expected);
    expect(r.info.durationSec).toBeCloseTo((8000 + expected) / 125, 9);
    expect(r.info.notes.join(' ')).toMatch(/steps by 2 per row/);
    expect(r.info.notes.join(' ')).toMatch(new RegExp(`301 gaps in the sample counter \\(${expected} samples lost\\)`));
  });

  it('reports the measured rate where it differs from the nominal one', async () => {
    // a Cyton file whose rows came at 245 Hz by the host clock
    let body = '';
    for (let r = 0; r < 5000; r++) {
      const row = new Array<number>(24).fill(0);
      row[0] = r % 256;
      row[1] = r;
      row[22] = 1700000000 + r / 245;
      body += row.map((v, k) => (k === 22 ? v.toFixed(6) : String(v))).join('\t') + '\n';
    }
    const r = await openBrainflowCsv(bytesSource(text(body)), 'cyton');
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.notes.join(' ')).toMatch(/measured rate of 245\.0\d\d Hz against the nominal 250 Hz/);
  });

  it('without a counter: a 100 ms hole in the timestamps of a steady 250 Hz CSV is a gap', async () => {
    let body = 'time,Fz\n';
    let t = 1000;
    for (let r = 0; r < 3000; r++) {
      if (r === 1500) t += 0.1;
      body += `${t.toFixed(4)},${r}\n`;
      t += 0.004;
    }
    const r = await openHeaderCsv(bytesSource(text(body)));
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.discontinuities).toHaveLength(1);
    expect(r.info.discontinuities[0].sampleIndex).toBe(1500);
    expect(r.info.discontinuities[0].missingSec).toBeCloseTo(0.1, 6);
  });
});

describe('trigger channels are decoded only when they look like one', () => {
  const base = { variant: 'edf' as const, records: 10, duration: 1 };
  it('a channel named "Trigger" carrying analog data stays a data channel in the rows, with a note', async () => {
    const bytes = edfBytes({
      ...base,
      signals: [
        { label: 'Fz', spr: 100, value: (r, i) => r * 100 + i },
        { label: 'Trigger', unit: 'uV', spr: 100, value: (r, i) => Math.round(3000 * Math.sin((r * 100 + i) / 7)) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.events).toEqual([]);
    expect(r.info.channels.map((c) => c.type)).toEqual(['eeg', 'misc']);
    expect(r.info.rowChannels).toEqual([0, 1]);
    expect(r.info.notes.join(' ')).toMatch(/Trigger is named like a trigger channel but carries data \(more than 256 distinct values, changing at (99\.9|100\.0)% of samples\): kept as a data channel, not decoded as events/);
    const out = new Float64Array(2 * 1000);
    await r.readRows(0, 1000, out);
    expect(out[2 * 500 + 1]).toBeCloseTo(Math.round(3000 * Math.sin(500 / 7)) * (65535 / 65535), 0);
  });

  it('a step-valued "STI 014" channel is decoded as events, and the note says what was decided', async () => {
    const code = (n: number): number => (n % 200 < 20 ? 1 + Math.floor(n / 200) % 3 : 0);
    const bytes = edfBytes({
      ...base,
      signals: [
        { label: 'Fz', spr: 100, value: (r, i) => r * 100 + i },
        { label: 'STI 014', unit: '', physMin: -32768, physMax: 32767, spr: 100, value: (r, i) => code(r * 100 + i) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(r.info.channels[1].type).toBe('stim');
    expect(r.info.rowChannels).toEqual([0]);
    // the value at the first sample is the line's rest state, not an event (as MNE's initial_event=False)
    expect(r.info.events.map((e) => [Number(e.onsetSec.toFixed(9)), Number(e.durationSec.toFixed(9)), e.label])).toEqual([
      [2, 0.2, '2'],
      [4, 0.2, '3'],
      [6, 0.2, '1'],
      [8, 0.2, '2'],
    ]);
    expect(r.info.notes.join(' ')).toMatch(/STI 014 channel decoded as events \(.*4 levels, changing at 0\.90% of samples\): 4 events\. Its samples are not in the rows/);
  });
});

describe('mixed-rate EDF: the reader says which channels are at which rate', () => {
  it('channelsOutsideRows and describeRates name the channels the rows leave out', async () => {
    const { channelsOutsideRows, describeRates } = await import('../../../../electron/common/formats/recording.js');
    const bytes = edfBytes({
      variant: 'bdf',
      records: 3,
      duration: 1,
      signals: [
        { label: 'Fz', spr: 100 },
        { label: 'Cz', spr: 100 },
        { label: 'Temp', unit: 'degC', spr: 1 },
        { label: 'Status', unit: '', spr: 100, value: (r, i) => (i === 50 ? 3 : 0) },
      ],
    });
    const r = await openEdf(bytesSource(bytes));
    expect(channelsOutsideRows(r.info)).toEqual({ otherRate: [2], decodedAsEvents: [3] });
    expect(describeRates(r.info)).toBe('100 Hz: Fz, Cz, Status; 1 Hz: Temp');
    expect(r.info.notes.join(' ')).toMatch(/Mixed sampling rates: rows hold the 2 channels at 100 Hz; Temp \(1 Hz\) is at other rates/);
  });
});
