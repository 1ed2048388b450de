// The exporter (engine/files/export): the one CSV writer with each channel's digits as its resolution
// needs, pinned to the byte, JSON lines, BDF+ with gaps kept in time and events as annotations, the events sidecar,
// and output files that are never overwritten.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  csvHeader,
  CsvRowWriter,
  eventsSidecarPath,
  JsonlRowWriter,
  openExport,
  openOutput,
  OutputFileError,
  valueFormatter,
  type TextSink,
} from '../../../../electron/engine/files/export.js';
import { openRecording } from '../../../../electron/engine/files/open-recording.js';
import { tempDir } from '../../../support/tmp.js';

/** A sink that keeps what it is given. */
class MemorySink implements TextSink {
  text = '';
  readonly error = undefined;
  closed = false;
  write(text: string): void {
    this.text += text;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const signals = [
  { label: 'C3', unit: 'uV', physicalMin: -1000, physicalMax: 1000, resolution: 0.02235 },
  { label: 'Cz', unit: '', physicalMin: -1000, physicalMax: 1000 },
];
const rows = Float64Array.from([1.23456789, -0.5, Number.NaN, 1e-7]);

describe('CSV: one writer, digits as the resolution needs', () => {
  it('names columns <label>_<unit>, x for a channel without a unit', () => {
    expect(csvHeader(signals)).toBe('sample_index,time_s,C3_uV,Cz_x\n');
  });

  it('one layout for every command: time to 1 µs, a channel of known resolution to 1/200 of it, others to 10 digits', async () => {
    const sink = new MemorySink();
    const writer = new CsvRowWriter(sink, signals, (r: number) => r / 250);
    writer.write(rows, 2, 10);
    await writer.close();
    expect(sink.text).toBe(['sample_index,time_s,C3_uV,Cz_x', '10,0.040000,1.2346,-0.5', '11,0.044000,NaN,1e-7', ''].join('\n'));
    expect(sink.closed).toBe(true);
  });

  it('a channel in mV or V keeps its resolution as one in µV does', () => {
    // the same signal, 16 bits over ±3.2767 mV (0.1 µV a step), in three units
    const uv = valueFormatter(0.1);
    const mv = valueFormatter(1e-4);
    const v = valueFormatter(1e-7);
    const x = 1234.5678;
    expect(Math.abs(Number(uv(x)) - x)).toBeLessThanOrEqual(0.1 / 200);
    expect(Math.abs(Number(mv(x / 1e3)) * 1e3 - x)).toBeLessThanOrEqual(0.1 / 200 + 1e-9);
    expect(Math.abs(Number(v(x / 1e6)) * 1e6 - x)).toBeLessThanOrEqual(0.1 / 200 + 1e-9);
    // unknown resolution: 10 significant digits whatever the unit
    expect(Number(valueFormatter(undefined)(x / 1e6)) * 1e6).toBeCloseTo(x, 5);
  });

  it('JSON lines: index, time and values printed as CSV does', () => {
    const sink = new MemorySink();
    new JsonlRowWriter(sink, signals, (r) => 1000 + r / 250).write(rows, 2, 10);
    expect(sink.text).toBe('{"sampleIndex":10,"time":1000.04,"values":[1.2346,-0.5]}\n{"sampleIndex":11,"time":1000.044,"values":[null,1e-7]}\n');
  });
});

describe('exports to files', () => {
  it('a CSV with its events in an _events.tsv beside it; never over an existing file', async () => {
    const dir = tempDir('bci-export-');
    const path = join(dir, 'out.csv');
    const exporter = openExport({ path, format: 'csv', sampleRateHz: 250, signals, events: [{ onsetSec: 0.004, durationSec: 0, label: 'first' }] });
    exporter.write(rows, 2, 0);
    exporter.addEvent({ onsetSec: 0.5, durationSec: 0.1, label: 'later', sample: 125 });
    await exporter.close();
    expect(readFileSync(path, 'utf8')).toBe('sample_index,time_s,C3_uV,Cz_x\n0,0.000000,1.2346,-0.5\n1,0.004000,NaN,1e-7\n');
    expect(eventsSidecarPath(path)).toBe(join(dir, 'out_events.tsv'));
    expect(readFileSync(join(dir, 'out_events.tsv'), 'utf8')).toBe('onset\tduration\ttrial_type\tvalue\tsample\n0.004\t0\tannotation\tfirst\t1\n0.5\t0.1\tannotation\tlater\t125\n');

    expect(() => openExport({ path, format: 'csv', sampleRateHz: 250, signals })).toThrow(/out\.csv already exists: choose another output name \(files are never overwritten\)/);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    const quiet = openExport({ path: join(dir, 'quiet.csv'), format: 'csv', sampleRateHz: 250, signals, eventsSidecar: false });
    await quiet.close();
    expect(existsSync(join(dir, 'quiet_events.tsv'))).toBe(false);
  });

  it('says why a file cannot be created', () => {
    const dir = tempDir('bci-export-');
    writeFileSync(join(dir, 'taken.csv'), 'x');
    const problem = (path: string) => {
      try {
        openOutput(path);
      } catch (error) {
        return error instanceof OutputFileError ? [error.problem, error.message] : ['not an OutputFileError'];
      }
      return ['opened'];
    };
    expect(problem(join(dir, 'taken.csv'))[0]).toBe('exists');
    expect(problem(join(dir, 'no', 'such', 'folder.csv'))).toEqual(['no-folder', `cannot create ${join(dir, 'no', 'such', 'folder.csv')}: its folder does not exist`]);
  });

  it('BDF+: a gap in the rows stays a gap in time, events become annotations', async () => {
    const dir = tempDir('bci-export-');
    const path = join(dir, 'out.bdf');
    const exporter = openExport({ path, format: 'bdf', sampleRateHz: 10, signals });
    const second = new Float64Array(10 * 2).map((_, i) => (i % 2 ? -i : i));
    exporter.write(second, 10, 0);
    exporter.addEvent({ onsetSec: 2.5, durationSec: 0, label: 'after the gap' });
    exporter.write(second, 10, 20); // rows 10-19 never came
    await exporter.close();
    const reader = await openRecording(path);
    try {
      expect(reader.info.sampleCount).toBe(30);
      expect(reader.info.events.map((e) => [e.onsetSec, e.durationSec, e.label])).toEqual([[1, 1, 'gap: 10 samples lost'], [2.5, 0, 'after the gap']]);
      const back = new Float64Array(30 * 2);
      await reader.readRows(0, 30, back);
      const resolution = 2000 / (2 ** 24 - 1);
      for (const first of [0, 20]) for (let i = 0; i < 20; i++) expect(Math.abs(back[first * 2 + i] - second[i])).toBeLessThan(resolution);
      // the missing second holds no data (written as zero), not the rows that came next
      for (let i = 20; i < 40; i++) expect(Math.abs(back[i])).toBeLessThan(resolution);
    } finally {
      await reader.close();
    }
  });

  it('BDF+: events past the last row, and more than a record holds, are all written (none dropped)', async () => {
    const dir = tempDir('bci-export-');
    const path = join(dir, 'dense.bdf');
    // 30 events in the first second overflow a 512-byte annotations area: they go on into the next records
    const dense = Array.from({ length: 30 }, (_, i) => ({ onsetSec: i / 100, durationSec: 0.5, label: `event number ${i}` }));
    const exporter = openExport({ path, format: 'bdf', sampleRateHz: 10, signals, events: [...dense, { onsetSec: 7.25, durationSec: 0, label: 'after the end' }], annotationBytesPerRecord: 512 });
    exporter.write(new Float64Array(25 * 2).fill(3), 25, 0);
    await exporter.close();
    expect(exporter.counts.paddingRows).toBe(5);
    const reader = await openRecording(path);
    try {
      const labels = reader.info.events.map((e) => e.label);
      expect(labels.filter((l) => l.startsWith('event number'))).toHaveLength(30);
      expect(reader.info.events.find((e) => e.label === 'event number 21')).toMatchObject({ onsetSec: 0.21, durationSec: 0.5 });
      expect(reader.info.events.find((e) => e.label === 'after the end')?.onsetSec).toBe(7.25);
      expect(reader.info.events.find((e) => e.label.startsWith('end of data'))).toMatchObject({ onsetSec: 2.5, durationSec: 0.5 });
    } finally {
      await reader.close();
    }
  });

  it('BDF+: an event too long for any record\'s annotations is refused in a sentence, not left to hold up the others', async () => {
    const dir = tempDir('bci-export-');
    const path = join(dir, 'long.bdf');
    // 300 bytes of UTF-8 against a 256-byte area
    const exporter = openExport({ path, format: 'bdf', sampleRateHz: 10, signals, events: [{ onsetSec: 0.1, durationSec: 0, label: '脑'.repeat(100) }], annotationBytesPerRecord: 256 });
    expect(() => exporter.write(new Float64Array(10 * 2), 10, 0)).toThrow(/^an event is too long for an EDF\+ annotation \("脑{40}…": a label of 300 bytes of UTF-8\): write \.csv, whose events go to an _events\.tsv$/);
  });
});
