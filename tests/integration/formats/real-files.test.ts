// The non-MNE formats on the real recordings in ../shared/data: the three OpenBCI GUI files (v4, v5,
// v6 headers) give identical rows; the eeg-notebooks SSVEP CSVs give ~33 markers each; the XDF
// example files give the streams, samples, clock-synchronised times and markers expected (times from
// a replica of pyxdf's load_xdf defaults run on these files: pyxdf itself is not packaged here).

import { describe, expect, it } from 'vitest';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { rowOfRecordingTime } from '../../../electron/common/formats/recording.js';
import { dataAvailable, dataFile } from './reference.js';

async function readAll(path: string): Promise<{ info: Awaited<ReturnType<typeof openRecording>>['info']; rows: Float64Array }> {
  const r = await openRecording(path);
  try {
    const rows = new Float64Array(r.info.sampleCount * r.info.rowChannels.length);
    // in replay-sized pieces, as the pipeline reads
    for (let s = 0; s < r.info.sampleCount; s += 100) await r.readRows(s, 100, rows.subarray(s * r.info.rowChannels.length));
    return { info: r.info, rows };
  } finally {
    await r.close();
  }
}

describe.skipIf(!dataAvailable())('real recordings', () => {
  it('the OpenBCI GUI v4, v5 and v6 files give identical samples', async () => {
    const names = ['OpenBCI-sampleData-1-blinks-jawClench-alpha.txt', 'OpenBCI_GUI-v5-blinks-jawClench-alpha.txt', 'OpenBCI_GUI-v6-blinks-jawClench-alpha.txt'];
    const [v4, v5, v6] = await Promise.all(names.map((n) => readAll(dataFile('openbci-gui', n))));
    for (const f of [v4, v5, v6]) {
      expect(f.info.format).toBe('openbci-txt');
      expect(f.info.sampleRateHz).toBe(250);
      expect(f.info.sampleCount).toBe(22490);
      expect(f.info.discontinuities).toEqual([]);
      expect(f.info.channels.map((c) => `${c.label}:${c.type}:${c.unit}`)).toEqual([
        ...Array.from({ length: 8 }, (_, k) => `EXG Channel ${k}:eeg:uV`),
        ...Array.from({ length: 3 }, (_, k) => `Accel Channel ${k}:accel:g`),
      ]);
      expect(f.info.startTime?.toISOString()).toBe('2019-05-15T16:00:53.329Z');
      expect(f.info.events).toEqual([]); // the v6 marker column is all zero
    }
    // the accelerometer too: v4 writes zeros between readings (and one reading 0.000, 0.774, 0.594
    // that the v5/v6 GUI did not take); the reader holds the previous reading as the GUI does
    expect(v5.rows).toEqual(v4.rows);
    expect(v6.rows).toEqual(v4.rows);
    // spot values, as written in all three files
    expect(Array.from(v4.rows.subarray(0, 11))).toEqual([61379.36, 49492.89, -16597.06, -21309.75, 6703.91, -3284.86, 7223.1, 1740.11, 0.04, 0.42, 0.238]);
    expect(v4.info.channels.map((c) => c.physicalMin)).toEqual(v6.info.channels.map((c) => c.physicalMin));
  });

  it('the SSVEP CSVs (Muse, header row) give 256 Hz rows and ~33 stimulus markers each', async () => {
    for (const name of ['data_2017-09-14-21.20.04.csv', 'data_2017-09-14-21.22.51.csv', 'data_2017-09-14-21.25.17.csv']) {
      const { info, rows } = await readAll(dataFile('eeg-notebooks-ssvep', name));
      expect(info.format).toBe('csv');
      expect(info.sampleRateHz).toBe(256);
      expect(info.channels.map((c) => c.label)).toEqual(['TP9', 'AF7', 'AF8', 'TP10', 'Right AUX']);
      expect(info.channels.map((c) => c.type)).toEqual(['eeg', 'eeg', 'eeg', 'eeg', 'aux']);
      expect(info.durationSec).toBeGreaterThan(119);
      expect(info.durationSec).toBeLessThan(121);
      expect(info.events.length).toBeGreaterThanOrEqual(30);
      expect(info.events.length).toBeLessThanOrEqual(36);
      expect(new Set(info.events.map((e) => e.label))).toEqual(new Set(['1', '2']));
      // 3 s stimuli: onsets at least 3 s apart
      for (let i = 1; i < info.events.length; i++) expect(info.events[i].onsetSec - info.events[i - 1].onsetSec).toBeGreaterThan(3);
      expect(rows.every((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it('minimal.xdf: the int16 stream as rows, the string stream as events, clock offsets applied', async () => {
    const { info, rows } = await readAll(dataFile('xdf-example-files', 'minimal.xdf'));
    expect(info.format).toBe('xdf');
    expect(info.sampleRateHz).toBe(10);
    expect(info.channels.length).toBe(3);
    expect(info.sampleCount).toBe(9);
    expect(Array.from(rows)).toEqual([192, 255, 238, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35]);
    expect(info.channels.every((c) => c.physicalMin === -32768 && c.physicalMax === 32767)).toBe(true);
    expect(info.discontinuities).toEqual([]);
    // markers at 5.1 … 5.9 (no clock offsets); rows at 5.0 … 5.8 after the stream's offset of −0.1 s
    expect(info.events.map((e) => e.label)).toEqual([expect.stringContaining('<first_timestamp>5.1</first_timestamp>'), 'Hello', 'World', 'from', 'LSL', 'Hello', 'World', 'from', 'LSL']);
    info.events.forEach((e, i) => expect(e.onsetSec).toBeCloseTo(0.1 * (i + 1), 9));
    expect(info.notes.join(' ')).toMatch(/Clock offsets applied/);
  });

  it('clock_resets.xdf: both clock segments synchronised, the break reported, 175 markers placed', async () => {
    const { info, rows } = await readAll(dataFile('xdf-example-files', 'clock_resets.xdf'));
    expect(info.sampleRateHz).toBe(100);
    expect(info.channels.map((c) => c.label)).toEqual(['Ch1', 'Ch2', 'Ch3', 'Ch4', 'Ch5', 'Ch6', 'Ch7', 'Ch8']);
    expect(info.sampleCount).toBe(27815);
    expect(rows.every((v) => Number.isFinite(v))).toBe(true);
    expect(info.notes.join(' ')).toMatch(/1 clock reset handled/);
    // pyxdf replica: dejittered segments [0, 12875] at 810.0297917608101 … 948.1160987438923 s and
    // [12876, 27814] at 1221.9948569409985 … 1383.1842659544168 s; markers 812.9279042048529 … 1380.8194507223982 s
    const seg0 = { first: 0, count: 12876, t0: 810.0297917608101, t1: 948.1160987438923 };
    const seg1 = { first: 12876, count: 14939, t0: 1221.9948569409985, t1: 1383.1842659544168 };
    const missing = seg1.t0 - (seg0.t1 + 0.01);
    expect(info.discontinuities.length).toBe(1);
    expect(info.discontinuities[0].sampleIndex).toBe(12876);
    expect(info.discontinuities[0].missingSec).toBeCloseTo(missing, 6);
    expect(info.discontinuities[0].onsetSec).toBeCloseTo(128.76, 9);
    expect(info.events.length).toBe(175);
    const rowTime = (seg: typeof seg0, t: number, before: number): number => (seg.first + ((t - seg.t0) / (seg.t1 - seg.t0)) * (seg.count - 1)) / 100 + before;
    expect(info.events[0].label).toBe('XXX');
    expect(info.events[0].onsetSec).toBeCloseTo(rowTime(seg0, 812.9279042048529, 0), 5);
    expect(info.events[174].onsetSec).toBeCloseTo(rowTime(seg1, 1380.8194507223982, missing), 5);
    for (const e of info.events) {
      expect(e.onsetSec).toBeGreaterThanOrEqual(0);
      expect(e.onsetSec).toBeLessThanOrEqual(info.durationSec);
      // no marker falls in the gap
      const row = rowOfRecordingTime(info, e.onsetSec);
      expect(row).toBeGreaterThanOrEqual(0);
      expect(row).toBeLessThanOrEqual(info.sampleCount);
    }
    expect(info.durationSec).toBeCloseTo(27815 / 100 + missing, 5);
  });
});
