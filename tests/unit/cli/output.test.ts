// `bci stream`'s SampleWriter writes through the exporter's one CSV writer (digits as each channel's resolution needs),
// and an output file that exists is refused as an invalid request (exit code 2).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SampleWriter } from '../../../electron/cli/output.js';
import { exitCodeFor } from '../../../electron/cli/errors.js';
import { EngineError } from '../../../electron/common/contract/failure.js';
import { CsvRowWriter, type TextSink } from '../../../electron/engine/files/export.js';
import { tempDir } from '../../support/tmp.js';

const descriptor = {
  id: 'test',
  name: 'Test board',
  sampleRateHz: 250,
  channels: [
    { label: 'C3', type: 'eeg', unit: 'uV', physicalMin: -1000, physicalMax: 1000, resolution: 0.02235 },
    { label: 'C4', type: 'eeg', unit: 'uV', physicalMin: -1000, physicalMax: 1000 },
  ],
} as const;

describe('bci stream output', () => {
  it('is the exporter CSV, digits as the resolution needs, times from the clock model', async () => {
    const path = join(tempDir('bci-output-'), 'stream.csv');
    const data = Float64Array.from([1.23456, -2, 3.5, 1e-4]);
    const timeOfMs = (i: number) => 1_700_000_000_000 + i * 4.0001;
    const writer = new SampleWriter(path, 'csv', descriptor);
    writer.writeRows(7, 2, data, timeOfMs);
    await writer.close();
    let expected = '';
    const sink: TextSink = { error: undefined, write: (t) => void (expected += t), close: async () => {} };
    new CsvRowWriter(sink, descriptor.channels, (i) => timeOfMs(i) / 1000, 'unix').write(data, 2, 7);
    expect(readFileSync(path, 'utf8')).toBe(expected);
    // the time column says it is host time in Unix seconds
    expect(expected.split('\n')[0]).toBe('sample_index,unix_time_s,C3_uV,C4_uV');
    // C3 at 0.02235 µV a step: 4 decimals; C4 of unknown resolution: 10 significant digits
    expect(expected.split('\n')[1]).toBe('7,1700000000.028001,1.2346,-2');
  });

  it('refuses to overwrite a file, as an invalid request (exit code 2)', async () => {
    const path = join(tempDir('bci-output-'), 'taken.jsonl');
    await new SampleWriter(path, 'jsonl', descriptor).close();
    let refused: unknown;
    try {
      new SampleWriter(path, 'jsonl', descriptor);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).kind).toBe('invalid-request');
    expect(exitCodeFor(refused)).toBe(2);
    expect((refused as Error).message).toMatch(/already exists/);
  });
});
