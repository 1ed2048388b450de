// The engine's openRecording on real files: every format opens by content, BrainVision siblings
// come from the header's folder (and never from outside it), handles are released on close and on
// failure, errors name the file and say what to do, and a large recording streams in flat memory.

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, openSync, closeSync, ftruncateSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { RecordingFormatError } from '../../../electron/common/formats/recording.js';
import { dataAvailable, dataFile } from './reference.js';
import { tempDir } from '../../support/tmp.js';
import { edfBytes } from '../../support/format-builders.js';

const tmp = tempDir('bci-open-');

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe.skipIf(!dataAvailable())('openRecording', () => {
  it('opens every kind of recording by its content and releases the handles', async () => {
    const before = openFds();
    const cases: [string, string][] = [
      [dataFile('mne-python/edf/test.bdf'), 'bdf'],
      [dataFile('physionet-eegmmidb-S001/S001R04.edf'), 'edf'],
      [dataFile('mne-python/brainvision/test.vhdr'), 'brainvision'],
      [dataFile('openbci-gui/OpenBCI_GUI-v5-blinks-jawClench-alpha.txt'), 'openbci-txt'],
      [dataFile('eeg-notebooks-ssvep/data_2017-09-14-21.22.51.csv'), 'csv'],
      [dataFile('xdf-example-files/minimal.xdf'), 'xdf'],
    ];
    for (const [path, format] of cases) {
      const r = await openRecording(path);
      expect(r.info.format).toBe(format);
      const out = new Float64Array(10 * r.info.rowChannels.length);
      expect(await r.readRows(0, 10, out)).toBe(Math.min(10, r.info.sampleCount));
      await r.close();
    }
    expect(openFds()).toBe(before);
  });

  it('BrainVision: siblings from the same folder; a renamed set still opens; paths out of the folder are refused', async () => {
    const dir = join(tmp, 'bv');
    mkdirSync(dir);
    copyFileSync(dataFile('mne-python/brainvision/test.vhdr'), join(dir, 'renamed.vhdr'));
    copyFileSync(dataFile('mne-python/brainvision/test.eeg'), join(dir, 'renamed.eeg'));
    copyFileSync(dataFile('mne-python/brainvision/test.vmrk'), join(dir, 'renamed.vmrk'));
    const r = await openRecording(join(dir, 'renamed.vhdr'));
    expect(r.info.sampleCount).toBe(7900);
    expect(r.info.events.length).toBe(14);
    expect(r.info.notes.join(' ')).toMatch(/"test.eeg" named in the header was not found; read "renamed.eeg"/);
    await r.close();
    writeFileSync(join(dir, 'evil.vhdr'), 'Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nDataFile=../../etc/passwd\nNumberOfChannels=1\nSamplingInterval=1000\n[Channel Infos]\nCh1=A,,1,µV\n');
    await expect(openRecording(join(dir, 'evil.vhdr'))).rejects.toThrow(/evil.vhdr: BrainVision: the data file "..\/..\/etc\/passwd" or "evil.eeg" was not found beside the header/);
  });

  it('says what is wrong, naming the file, and leaks no handle when it fails', async () => {
    const before = openFds();
    await expect(openRecording(join(tmp, 'missing.edf'))).rejects.toThrow(/cannot open .*missing.edf: no such file/);
    await expect(openRecording(tmp)).rejects.toThrow(/it is a folder, not a recording/);
    await expect(openRecording(dataFile('mne-python/brainvision/test.eeg'))).rejects.toThrow(/test.eeg: a .eeg file is part of a BrainVision recording: open its .vhdr header file instead/);
    writeFileSync(join(tmp, 'notes.txt'), 'shopping list\n');
    await expect(openRecording(join(tmp, 'notes.txt'))).rejects.toThrow(RecordingFormatError);
    const cut = edfBytes({ variant: 'edf', records: 1, duration: 1, signals: [{ label: 'A', spr: 4 }] }).subarray(0, 300);
    writeFileSync(join(tmp, 'cut.edf'), cut);
    await expect(openRecording(join(tmp, 'cut.edf'))).rejects.toThrow(/^cut.edf: EDF header declares 1 signals \(a 512-byte header\) but the file has only 300 bytes/);
    expect(openFds()).toBe(before);
  });

  it('BrainFlow CSV takes the board option', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => Array.from({ length: 32 }, (_, c) => (c === 0 ? i : c === 30 ? 1700000000 + i / 125 : c)).join('\t')).join('\n');
    writeFileSync(join(tmp, 'daisy.csv'), rows);
    const r = await openRecording(join(tmp, 'daisy.csv'), { board: 'cyton-daisy' });
    expect(r.info.format).toBe('brainflow-csv');
    expect(r.info.sampleRateHz).toBe(125);
    await r.close();
    await expect(openRecording(join(tmp, 'daisy.csv'), { board: 'ganglion' })).rejects.toThrow(/32 columns but a OpenBCI Ganglion file has 15/);
  });
});

describe('a large recording', () => {
  it('is read through in flat memory (never loaded whole)', async () => {
    // a sparse 512 MiB BDF: 8 channels × 2048 Hz, 1 s records of zeros after a real header
    const signals = Array.from({ length: 8 }, (_, i) => ({ label: `C${i}`, spr: 2048 }));
    const header = edfBytes({ variant: 'bdf', reserved: '24BIT', records: 0, recordsField: '-1', duration: 1, signals });
    const recordBytes = 8 * 2048 * 3;
    const records = Math.floor(2 ** 29 / recordBytes);
    const path = join(tmp, 'big.bdf');
    const fd = openSync(path, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, header.length + records * recordBytes);
    closeSync(fd);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const r = await openRecording(path);
    expect(r.info.sampleCount).toBe(records * 2048);
    const chunk = new Float64Array(2048 * 8);
    let peak = 0;
    for (let s = 0; s < r.info.sampleCount; s += 2048) {
      await r.readRows(s, 2048, chunk);
      if (s % (2048 * 1000) === 0) peak = Math.max(peak, process.memoryUsage().rss - rssBefore);
    }
    expect(chunk[0]).toBe(0);
    await r.close();
    expect(peak).toBeLessThan(256 * 2 ** 20);
  }, 120_000);
});
