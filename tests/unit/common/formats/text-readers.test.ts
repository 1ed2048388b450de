// OpenBCI GUI text (v4, v5, v6), BrainFlow CSV and CSV-with-header readers on synthetic files:
// column layouts, counter gaps, markers, held accelerometer readings, random access.

import { describe, expect, it } from 'vitest';
import { openOpenbciTxt } from '../../../../electron/common/formats/openbci-txt.js';
import { openBrainflowCsv, openHeaderCsv } from '../../../../electron/common/formats/brainflow-csv.js';
import { RecordingFormatError } from '../../../../electron/common/formats/recording.js';
import { bytesSource } from '../../../../electron/common/formats/source.js';
import { text } from '../../../support/format-builders.js';

const v4Header = '%OpenBCI Raw EEG Data\n%Number of channels = 4\n%Sample Rate = 200.0 Hz\n%First Column = SampleIndex\n%Last Column = Timestamp \n%Other Columns = EEG data in microvolts followed by Accel Data (in G) interleaved with Aux Data\n';

function v4Row(index: number, exg: number[], accel: number[], ms: number): string {
  return `${index % 256}, ${exg.map((v) => v.toFixed(2)).join(', ')}, ${accel.map((v) => v.toFixed(3)).join(', ')}, 12:00:00.000, ${ms}\n`;
}

describe('OpenBCI GUI text', () => {
  it('v4: EXG in µV, accelerometer held between readings, counter jumps become gaps (wrapping at 256)', async () => {
    const counters = [253, 254, 255, 0, 1, 4, 5];
    let body = v4Header;
    counters.forEach((c, i) => {
      body += v4Row(c, [i, -i, 1000 + i, 0.5], i % 3 === 0 ? [0.1 * (i + 1), 0.5, 0.9] : [0, 0, 0], 1557936053329 + i * 5);
    });
    const r = await openOpenbciTxt(bytesSource(text(body)));
    const info = r.info;
    expect(info.sampleRateHz).toBe(200);
    expect(info.channels.map((c) => c.label)).toEqual(['EXG Channel 0', 'EXG Channel 1', 'EXG Channel 2', 'EXG Channel 3', 'Accel Channel 0', 'Accel Channel 1', 'Accel Channel 2']);
    expect(info.sampleCount).toBe(7);
    expect(info.discontinuities).toEqual([{ onsetSec: 5 / 200, sampleIndex: 5, missingSec: 2 / 200 }]);
    expect(info.durationSec).toBeCloseTo(9 / 200, 12);
    expect(info.startTime?.getTime()).toBe(1557936053329);
    const out = new Float64Array(7 * 7);
    await r.readRows(0, 7, out);
    const accelX = Array.from({ length: 7 }, (_, i) => out[i * 7 + 4]);
    expect(accelX.map((v) => Number(v.toFixed(3)))).toEqual([0.1, 0.1, 0.1, 0.4, 0.4, 0.4, 0.7]);
    expect(out[5 * 7 + 2]).toBe(1005);
    // the physical range is the observed one
    expect(info.channels[2].physicalMin).toBe(1000);
    expect(info.channels[2].physicalMax).toBe(1006);
  });

  it('v6: named columns, markers as events, analog pins kept only when used', async () => {
    const names = 'Sample Index, EXG Channel 0, EXG Channel 1, EXG Channel 2, EXG Channel 3, EXG Channel 4, EXG Channel 5, EXG Channel 6, EXG Channel 7, Accel Channel 0, Accel Channel 1, Accel Channel 2, Not Used, Digital Channel 0 (D11), Digital Channel 1 (D12), Digital Channel 2 (D13), Digital Channel 3 (D17), Not Used, Digital Channel 4 (D18), Analog Channel 0, Analog Channel 1, Analog Channel 2, Timestamp, Marker Channel, Timestamp (Formatted)';
    let body = '%OpenBCI Raw EXG Data\r\n%Number of channels = 8\r\n%Sample Rate = 250 Hz\r\n%Board = OpenBCI_GUI$BoardCytonSerial\r\n' + names + '\r\n';
    for (let i = 0; i < 600; i++) {
      const exg = Array.from({ length: 8 }, (_, c) => (i * 8 + c).toFixed(2));
      const marker = i === 100 ? 3 : i === 400 ? 7 : 0;
      body += `${i % 256}, ${exg.join(', ')}, 0.1, 0.2, 0.3,0,0,0,0,0,0,0,${i === 5 ? 12 : 0},0,0, ${1557936053329 + i * 4},${marker}, 12:00:53.329\r\n`;
    }
    const r = await openOpenbciTxt(bytesSource(text(body)));
    expect(r.info.channels.map((c) => c.label)).toEqual([...Array.from({ length: 8 }, (_, k) => `EXG Channel ${k}`), 'Accel Channel 0', 'Accel Channel 1', 'Accel Channel 2', 'Analog Channel 0']);
    expect(r.info.channels[11].type).toBe('aux');
    expect(r.info.events).toEqual([
      { onsetSec: 0.4, durationSec: 0, label: '3' },
      { onsetSec: 1.6, durationSec: 0, label: '7' },
    ]);
    expect(r.info.notes.join(' ')).toMatch(/Left out, zero throughout: Analog Channel 1, Analog Channel 2/);
    // random access gives what a sequential read gives
    const w = 12;
    const all = new Float64Array(600 * w);
    await r.readRows(0, 600, all);
    for (const [start, count] of [
      [599, 5],
      [0, 1],
      [257, 300],
      [1, 2],
      [3, 600],
    ]) {
      const out = new Float64Array(count * w);
      const n = await r.readRows(start, count, out);
      expect(n).toBe(Math.min(count, 600 - start));
      expect(Array.from(out.subarray(0, n * w))).toEqual(Array.from(all.subarray(start * w, (start + n) * w)));
    }
    const ch = new Float64Array(3);
    await r.readChannel(3, 10, 3, ch);
    expect(Array.from(ch)).toEqual([83, 91, 99]);
  });

  it('v5: drops the leading row of zeros; BrainFlow columns without names', async () => {
    let body = '%OpenBCI Raw EEG Data\n%Number of channels = 8\n%Sample Rate = 250 Hz\n%Board = OpenBCI_GUI$BoardCytonSerial\n';
    body += Array(24).fill('0.0').join(',') + '\n';
    for (let i = 0; i < 10; i++) body += `${i}, ${Array.from({ length: 8 }, (_, c) => (c + i).toFixed(2)).join(', ')}, 0.1, 0.2, 0.3,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0, ${1557936053329 + 4 * i}, 12:00:53.329\n`;
    const r = await openOpenbciTxt(bytesSource(text(body)));
    expect(r.info.sampleCount).toBe(10);
    expect(r.info.notes.join(' ')).toMatch(/OpenBCI GUI v5 file .*1 row of zeros/);
    const out = new Float64Array(11);
    await r.readRows(0, 1, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0.1, 0.2, 0.3]);
  });

  it('refuses a header with a nonsense channel count', async () => {
    await expect(openOpenbciTxt(bytesSource(text('%OpenBCI Raw EEG Data\n%Number of channels = 99999999\n1,2\n')))).rejects.toThrow(/Number of channels/);
  });
});

function brainflowRow(columns: number, i: number, set: Record<number, number>): string {
  const v = Array.from({ length: columns }, (_, c) => (c in set ? set[c] : 0));
  return v.map((x) => x.toFixed(6)).join('\t') + '\t\n';
}

describe('BrainFlow CSV', () => {
  it('Cyton layout (24 columns): EXG, accel, timestamp (s), marker events; layout inferred with a note', async () => {
    let body = '';
    for (let i = 0; i < 300; i++) body += brainflowRow(24, i, { 0: i % 256, 1: i, 8: -i, 9: 0.25, 22: 1700000000 + i / 250, 23: i === 50 ? 2 : 0 });
    const r = await openBrainflowCsv(bytesSource(text(body)));
    expect(r.info.format).toBe('brainflow-csv');
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.channels.length).toBe(11);
    expect(r.info.events).toEqual([{ onsetSec: 0.2, durationSec: 0, label: '2' }]);
    expect(r.info.discontinuities).toEqual([]);
    expect(r.info.startTime?.getTime()).toBe(1700000000000);
    expect(r.info.notes.join(' ')).toMatch(/column count \(24: OpenBCI Cyton\)/);
    const out = new Float64Array(11);
    await r.readRows(299, 1, out);
    expect(out[0]).toBe(299);
    expect(out[7]).toBe(-299);
  });

  it('Cyton+Daisy (32 columns) and Ganglion (15 columns) by board option', async () => {
    let daisy = '';
    for (let i = 0; i < 20; i++) daisy += brainflowRow(32, i, { 0: i, 16: 7, 30: 1700000000 + i / 125 });
    const d = await openBrainflowCsv(bytesSource(text(daisy)), 'cyton-daisy');
    expect(d.info.sampleRateHz).toBe(125);
    expect(d.info.channels.filter((c) => c.type === 'eeg').length).toBe(16);
    let ganglion = '';
    for (let i = 0; i < 20; i++) ganglion += brainflowRow(15, i, { 0: i, 4: 3, 13: 1700000000 + i / 200 });
    const g = await openBrainflowCsv(bytesSource(text(ganglion)), 'ganglion');
    expect(g.info.sampleRateHz).toBe(200);
    expect(g.info.channels.map((c) => c.type)).toEqual(['eeg', 'eeg', 'eeg', 'eeg', 'accel', 'accel', 'accel']);
  });

  it('a board that does not match the columns is refused with a hint', async () => {
    const body = brainflowRow(32, 0, {}).repeat(3);
    await expect(openBrainflowCsv(bytesSource(text(body)), 'cyton')).rejects.toThrow(/32 columns but a OpenBCI Cyton file has 24: it looks like a OpenBCI Cyton \+ Daisy file \(board cyton-daisy\)/);
    await expect(openBrainflowCsv(bytesSource(text(brainflowRow(9, 0, {}))))).rejects.toThrow(/9 columns match no known board layout/);
  });
});

describe('CSV with a header row', () => {
  it('estimates the rate from timestamps, takes Marker columns as events and timestamp jumps as gaps', async () => {
    let body = 'timestamps,TP9,AF7,Right AUX,Marker0\n';
    let t = 1000;
    for (let i = 0; i < 2000; i++) {
      if (i === 1500) t += 2; // a 2 s dropout
      body += `${t.toFixed(6)},${i},${-i},${i % 7},${i === 300 ? 1 : i === 1600 ? 2 : 0}\n`;
      t += 1 / 256 + (i % 2 ? 0.0003 : -0.0003);
    }
    const r = await openHeaderCsv(bytesSource(text(body)));
    expect(r.info.format).toBe('csv');
    expect(r.info.sampleRateHz).toBe(256);
    expect(r.info.channels.map((c) => `${c.label}:${c.type}`)).toEqual(['TP9:eeg', 'AF7:eeg', 'Right AUX:aux']);
    expect(r.info.discontinuities.length).toBe(1);
    expect(r.info.discontinuities[0].sampleIndex).toBe(1500);
    expect(r.info.discontinuities[0].missingSec).toBeCloseTo(2, 2);
    expect(r.info.events.map((e) => e.label)).toEqual(['1', '2']);
    expect(r.info.events[0].onsetSec).toBeCloseTo(300 / 256, 12);
    expect(r.info.events[1].onsetSec).toBeCloseTo(1600 / 256 + r.info.discontinuities[0].missingSec, 12);
    expect(r.info.startTime).toBeNull(); // LSL clock, not the epoch
  });

  it('needs a time column', async () => {
    await expect(openHeaderCsv(bytesSource(text('a,b,c\n1,2,3\n')))).rejects.toThrow(RecordingFormatError);
  });
});
