// BrainVision reader on synthetic header/data/marker sets, reached through a sibling resolver,
// and format detection for every reader.

import { describe, expect, it } from 'vitest';
import { openBrainVision } from '../../../../electron/common/formats/brainvision.js';
import { detectFormat, openRecordingSource } from '../../../../electron/common/formats/open-source.js';
import { pickRowRate, RecordingFormatError, recordingTimeOfRow, rowOfRecordingTime, type RecordingChannel } from '../../../../electron/common/formats/recording.js';
import { bytesSource, type SiblingResolver } from '../../../../electron/common/formats/source.js';
import { edfBytes, text, vhdr, vmrk, xdfFile, xdfFileHeader } from '../../../support/format-builders.js';

function siblings(files: Record<string, Uint8Array>): SiblingResolver {
  return (name) => (name in files ? Promise.resolve(bytesSource(files[name])) : Promise.reject(new Error(`no ${name}`)));
}

function int16s(values: number[]): Uint8Array {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return new Uint8Array(b);
}

describe('BrainVision', () => {
  it('multiplexed INT_16 with resolutions and units; markers as "type/description" events', async () => {
    const header = vhdr({ channels: ['Fp1,,0.5,µV', 'EOG\\1x,,2,µV', 'GSR,,0.1,µS', 'Raw,,,'], intervalUs: 2000 });
    const data = int16s(Array.from({ length: 40 }, (_, i) => i - 20));
    const markers = vmrk(['New Segment,,1,1,0,20240102030405123456', 'Stimulus,S  1,3,0,0', 'Response,R\\1 2,8,2,0']);
    const r = await openBrainVision(bytesSource(header), siblings({ 'rec.eeg': data, 'rec.vmrk': markers }), 'rec.vhdr');
    const info = r.info;
    expect(info.sampleRateHz).toBe(500);
    expect(info.sampleCount).toBe(10);
    expect(info.channels.map((c) => [c.label, c.type, c.unit])).toEqual([
      ['Fp1', 'eeg', 'uV'],
      ['EOG,x', 'eeg', 'uV'],
      ['GSR', 'misc', 'µS'],
      ['Raw', 'eeg', 'uV'],
    ]);
    expect(info.channels[0].physicalMin).toBe(-16384);
    expect(info.startTime?.toISOString()).toBe('2024-01-02T03:04:05.123Z');
    expect(info.events).toEqual([
      { onsetSec: 0, durationSec: 0.002, label: 'New Segment/' },
      { onsetSec: 0.004, durationSec: 0, label: 'Stimulus/S  1' },
      { onsetSec: 0.014, durationSec: 0.004, label: 'Response/R, 2' },
    ]);
    const out = new Float64Array(8);
    await r.readRows(1, 2, out);
    expect(Array.from(out)).toEqual([-16 * 0.5, -15 * 2, -14 * 0.1, -13, -12 * 0.5, -11 * 2, -10 * 0.1, -9].map((v) => v));
    const ch = new Float64Array(3);
    await r.readChannel(3, 7, 5, ch);
    expect(Array.from(ch)).toEqual([11, 15, 19]);
  });

  it('vectorized IEEE_FLOAT_32, observed ranges, a later New Segment with a gap', async () => {
    const n = 6;
    const b = Buffer.alloc(2 * n * 4);
    for (let i = 0; i < n; i++) {
      b.writeFloatLE(i * 1.5, i * 4);
      b.writeFloatLE(-i, (n + i) * 4);
    }
    const header = vhdr({ channels: ['A,,1,µV', 'B,,0.5,µV'], intervalUs: 1e6, format: 'IEEE_FLOAT_32', orientation: 'VECTORIZED' });
    const markers = vmrk(['New Segment,,1,1,0,20240102030405000000', 'New Segment,,4,1,0,20240102030417000000']);
    const r = await openBrainVision(bytesSource(header), siblings({ 'rec.eeg': new Uint8Array(b), 'rec.vmrk': markers }), 'rec.vhdr');
    expect(r.info.discontinuities).toEqual([{ onsetSec: 3, sampleIndex: 3, missingSec: 9 }]);
    expect(r.info.events.map((e) => e.onsetSec)).toEqual([0, 12]);
    expect(r.info.channels.map((c) => [c.physicalMin + 0, c.physicalMax + 0])).toEqual([
      [0, 7.5],
      [-2.5, 0],
    ]);
    const out = new Float64Array(12);
    await r.readRows(0, 6, out);
    expect(Array.from(out).map((v) => v + 0)).toEqual([0, 0, 1.5, -0.5, 3, -1, 4.5, -1.5, 6, -2, 7.5, -2.5]);
  });

  it('finds renamed data and marker files by the header name; no marker file is only a note', async () => {
    const header = vhdr({ channels: ['A,,1,µV'], intervalUs: 1000, dataFile: 'old.eeg', markerFile: 'old.vmrk' });
    const r = await openBrainVision(bytesSource(header), siblings({ 'new.eeg': int16s([1, 2, 3]) }), 'new.vhdr');
    expect(r.info.sampleCount).toBe(3);
    expect(r.info.notes.join(' ')).toMatch(/"old.eeg" named in the header was not found; read "new.eeg"/);
    expect(r.info.notes.join(' ')).toMatch(/No markers/);
  });

  it('refuses what it cannot read, saying what', async () => {
    const attempt = (h: Uint8Array, files: Record<string, Uint8Array> = { 'rec.eeg': int16s([1, 2]) }): Promise<unknown> => openBrainVision(bytesSource(h), siblings(files), 'rec.vhdr');
    await expect(attempt(vhdr({ channels: ['A,,1,µV'], intervalUs: 0 }))).rejects.toThrow(/SamplingInterval "0"/);
    await expect(attempt(vhdr({ channels: ['A,,1,µV'], intervalUs: 1000, format: 'INT_24' }))).rejects.toThrow(/BinaryFormat=INT_24 is not supported/);
    await expect(attempt(vhdr({ channels: ['A,,1,µV'], intervalUs: 1000 }), {})).rejects.toThrow(/data file "rec.eeg" was not found/);
    await expect(attempt(vhdr({ channels: ['A,,1,µV'], intervalUs: 1000 }), { 'rec.eeg': new Uint8Array(1) })).rejects.toThrow(/holds no whole sample/);
    await expect(attempt(text('Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nNumberOfChannels=3\nSamplingInterval=1000\n[Channel Infos]\nCh1=A\n'))).rejects.toThrow(/channel 2 of 3 has no Ch2= line/);
    await expect(attempt(text('Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nNumberOfChannels=99999999\n'))).rejects.toThrow(RecordingFormatError);
  });
});

describe('format detection', () => {
  it('tells every format from its first bytes, the extension only as a fallback', () => {
    const edf = edfBytes({ variant: 'edf', records: 1, duration: 1, signals: [{ label: 'A', spr: 1 }] });
    const bdf = edfBytes({ variant: 'bdf', records: 1, duration: 1, signals: [{ label: 'A', spr: 1 }] });
    expect(detectFormat(edf.subarray(0, 256))).toBe('edf');
    expect(detectFormat(bdf.subarray(0, 256), 'x.edf')).toBe('bdf');
    expect(detectFormat(xdfFile(xdfFileHeader()))).toBe('xdf');
    expect(detectFormat(vhdr({ channels: ['A'], intervalUs: 1 }))).toBe('brainvision');
    expect(detectFormat(text('%OpenBCI Raw EEG Data\n'))).toBe('openbci-txt');
    expect(detectFormat(text('0.000000\t1.5\t2.5\t3.5\t4.5\n'))).toBe('brainflow-csv');
    expect(detectFormat(text('timestamps,TP9,AF7\n1,2,3\n'))).toBe('csv');
    expect(detectFormat(text('who knows'), 'thing.xdf')).toBe('xdf');
    expect(detectFormat(text('who knows'), 'thing.doc')).toBeNull();
  });
  it('explains what to open instead of a BrainVision .eeg, and an unknown format', async () => {
    await expect(openRecordingSource(bytesSource(text('x')), { fileName: 'a.eeg' })).rejects.toThrow(/open its .vhdr header file/);
    await expect(openRecordingSource(bytesSource(text('just some text')), { fileName: 'a.doc' })).rejects.toThrow(/unknown recording format/);
    await expect(openRecordingSource(bytesSource(new Uint8Array(0)))).rejects.toThrow(/empty/);
  });
});

describe('recording time helpers', () => {
  const ch = (rate: number, type: RecordingChannel['type'] = 'eeg'): RecordingChannel => ({ label: 'x', type, unit: 'uV', sampleRateHz: rate, physicalMin: -1, physicalMax: 1 });
  it('picks the most common non-stim rate, the higher on a tie', () => {
    expect(pickRowRate([ch(256), ch(128), ch(256), ch(512, 'stim'), ch(512, 'stim')])).toEqual({ sampleRateHz: 256, rowChannels: [0, 2] });
    expect(pickRowRate([ch(100), ch(200)])).toEqual({ sampleRateHz: 200, rowChannels: [1] });
  });
  it('maps rows and recording times both ways across gaps', () => {
    const info = { sampleRateHz: 10, discontinuities: [{ onsetSec: 5, sampleIndex: 50, missingSec: 2 }] };
    expect(recordingTimeOfRow(info, 49)).toBeCloseTo(4.9, 12);
    expect(recordingTimeOfRow(info, 50)).toBeCloseTo(7, 12);
    expect(rowOfRecordingTime(info, 4.9)).toBe(49);
    expect(rowOfRecordingTime(info, 6)).toBe(50);
    expect(rowOfRecordingTime(info, 7.1)).toBe(51);
  });
});
