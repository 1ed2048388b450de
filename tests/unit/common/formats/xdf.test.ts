// XDF reader on synthetic files: chunk framing (1/4/8-byte lengths), every numeric channel format,
// deduced time stamps, the main-stream choice, marker streams, clock offsets (linear fit, resets),
// breaks, resynchronisation at boundary chunks, and refusal of malformed input.

import { describe, expect, it } from 'vitest';
import { openXdf } from '../../../../electron/common/formats/xdf.js';
import { clockCorrections, clockResetRanges, robustLinearFit } from '../../../../electron/common/formats/xdf-clock.js';
import { RecordingFormatError } from '../../../../electron/common/formats/recording.js';
import { bytesSource } from '../../../../electron/common/formats/source.js';
import { parseXml, xmlText } from '../../../../electron/common/formats/xml-lite.js';
import { xdfBoundary, xdfChunk, xdfClockOffset, xdfFile, xdfFileHeader, xdfFooter, xdfSamples, xdfStreamHeader, type XdfStreamSpec } from '../../../support/format-builders.js';

const eeg = (format: XdfStreamSpec['format'], channelCount = 2, rate = 100): XdfStreamSpec => ({ name: 'EEG amp', type: 'EEG', channelCount, rate, format, labels: Array.from({ length: channelCount }, (_, i) => `C${i + 1}`), units: Array(channelCount).fill('microvolts') });
const markers: XdfStreamSpec = { name: 'Markers', type: 'Markers', channelCount: 1, rate: 0, format: 'string' };

/** n samples of a 2-channel stream in chunks of `per`; stamps explicit on each chunk's first sample, deduced after. */
function regularChunks(id: number, format: XdfStreamSpec['format'], n: number, per: number, t0: number, rate: number, value: (i: number, c: number) => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let s = 0; s < n; s += per) {
    const samples = [];
    for (let i = s; i < Math.min(n, s + per); i++) samples.push({ t: i === s ? t0 + i / rate : undefined, values: [value(i, 0), value(i, 1)] });
    chunks.push(xdfSamples(id, format, samples));
  }
  return chunks;
}

describe('XDF samples', () => {
  for (const [format, value] of [
    ['float32', (i: number, c: number) => Math.fround(i * 0.5 - c * 1.25)],
    ['double64', (i: number, c: number) => i / 3 - c],
    ['int8', (i: number, c: number) => ((i + c) % 256) - 128],
    ['int16', (i: number, c: number) => (i * 37 + c) % 32768],
    ['int32', (i: number, c: number) => i * 100003 - c],
    ['int64', (i: number, c: number) => i * 2 ** 33 + c],
  ] as const) {
    it(`reads ${format} values across chunks and blocks`, async () => {
      const n = 2600;
      const file = xdfFile(xdfFileHeader(), xdfStreamHeader(3, eeg(format)), ...regularChunks(3, format, n, 1100, 50, 100, value));
      const r = await openXdf(bytesSource(file));
      expect(r.info.sampleCount).toBe(n);
      expect(r.info.sampleRateHz).toBe(100);
      expect(r.info.channels.map((c) => [c.label, c.unit])).toEqual([
        ['C1', 'uV'],
        ['C2', 'uV'],
      ]);
      const out = new Float64Array(n * 2);
      expect(await r.readRows(0, n, out)).toBe(n);
      for (let i = 0; i < n; i++) {
        expect(out[i * 2]).toBe(value(i, 0));
        expect(out[i * 2 + 1]).toBe(value(i, 1));
      }
      const part = new Float64Array(6);
      await r.readRows(1099, 3, part);
      expect(Array.from(part)).toEqual(Array.from(out.subarray(2198, 2204)));
      const one = new Float64Array(4);
      await r.readChannel(1, 2597, 10, one);
      expect(Array.from(one.subarray(0, 3))).toEqual([value(2597, 1), value(2598, 1), value(2599, 1)]);
      expect(r.info.discontinuities).toEqual([]);
    });
  }

  it('takes the numeric regular stream with the most channels as rows, string streams and irregular marker streams as events', async () => {
    const file = xdfFile(
      xdfFileHeader('<?xml version="1.0"?><info><version>1.0</version><datetime>2020-03-04T10:20:30+0100</datetime></info>'),
      xdfStreamHeader(1, { name: 'Acc', type: 'Accelerometer', channelCount: 2, rate: 50, format: 'float32' }),
      xdfStreamHeader(2, eeg('float32', 4, 250)),
      xdfStreamHeader(3, markers),
      xdfStreamHeader(4, { name: 'Triggers', type: 'Markers', channelCount: 1, rate: 0, format: 'int32' }),
      xdfSamples(1, 'float32', [{ t: 10, values: [1, 2] }]),
      xdfSamples(2, 'float32', Array.from({ length: 500 }, (_, i) => ({ t: i === 0 ? 10 : undefined, values: [i, 0, 0, 0] }))),
      xdfSamples(3, 'string', [{ t: 10.5, values: ['go'] }, { t: 11, values: ['stop'] }]),
      xdfSamples(4, 'int32', [{ t: 10.25, values: [42] }]),
      xdfFooter(2, '<?xml version="1.0"?><info><sample_count>500</sample_count></info>'),
    );
    const r = await openXdf(bytesSource(file));
    expect(r.info.channels.length).toBe(4);
    expect(r.info.sampleRateHz).toBe(250);
    expect(r.info.events.map((e) => [e.label, e.onsetSec])).toEqual([
      ['Triggers: 42', expect.closeTo(0.25, 9)],
      ['Markers: go', expect.closeTo(0.5, 9)],
      ['Markers: stop', expect.closeTo(1, 9)],
    ]);
    expect(r.info.startTime?.toISOString()).toBe('2020-03-04T09:20:30.000Z');
    expect(r.info.notes.join(' ')).toMatch(/Other streams not read: "Acc"/);
  });

  it('applies the clock offsets of each stream (robust line through them) before placing markers', async () => {
    // the amplifier's clock runs 0.2 s behind plus a drift of 1e-4; the marker sender's 1.5 s ahead
    const ampOffset = (t: number): number => 0.2 + 1e-4 * t;
    const file = xdfFile(
      xdfFileHeader(),
      xdfStreamHeader(1, eeg('float32')),
      xdfStreamHeader(2, markers),
      ...regularChunks(1, 'float32', 2000, 500, 100, 100, (i) => i),
      ...Array.from({ length: 5 }, (_, k) => xdfClockOffset(1, 100 + 5 * k, ampOffset(100 + 5 * k))),
      ...Array.from({ length: 5 }, (_, k) => xdfClockOffset(2, 100 + 5 * k, -1.5)),
      xdfSamples(2, 'string', [{ t: 112 + 1.5 - 0.2 - 1e-4 * 112, values: ['at row 1200'] }]),
    );
    const r = await openXdf(bytesSource(file));
    // amplifier stamp of row 1200 is 112 → corrected 112 + 0.2 + 0.0112; the marker's corrected stamp is 112 − 0.2 − 0.0112 + 0.2 + …
    const marker = r.info.events[0];
    const rowStamp = (i: number): number => 100 + i / 100 + ampOffset(100 + i / 100);
    const markerTime = 112 + 1.5 - 0.2 - 1e-4 * 112 - 1.5;
    const expectedRow = (markerTime - rowStamp(0)) / (rowStamp(1) - rowStamp(0));
    expect(marker.onsetSec * 100).toBeCloseTo(expectedRow, 4);
    expect(r.info.notes.join(' ')).toMatch(/Clock offsets applied/);
  });

  it('handles a clock reset: two clock segments, the break becomes a discontinuity', async () => {
    // before the reset stamps run from 5000 s with offset −4000; after it from 20 s with offset +1000
    const chunksA = regularChunks(1, 'float32', 1000, 250, 5000, 100, (i) => i);
    const chunksB = regularChunks(1, 'float32', 1000, 250, 20, 100, (i) => 1000 + i).map((c) => c);
    const file = xdfFile(
      xdfFileHeader(),
      xdfStreamHeader(1, eeg('float32')),
      ...chunksA,
      ...Array.from({ length: 20 }, (_, k) => xdfClockOffset(1, 5000 + 0.5 * k, -4000)),
      ...chunksB,
      ...Array.from({ length: 20 }, (_, k) => xdfClockOffset(1, 20 + 0.5 * k, 1000)),
    );
    const r = await openXdf(bytesSource(file));
    // corrected: first run 1000 … 1009.99, second 1020 … 1029.99: a 10 s gap
    expect(r.info.sampleCount).toBe(2000);
    expect(r.info.discontinuities.length).toBe(1);
    expect(r.info.discontinuities[0].sampleIndex).toBe(1000);
    expect(r.info.discontinuities[0].missingSec).toBeCloseTo(10, 6);
    expect(r.info.notes.join(' ')).toMatch(/1 clock reset handled/);
    const out = new Float64Array(4);
    await r.readRows(999, 2, out);
    expect([out[0], out[2]]).toEqual([999, 1000]);
  });

  it('a long chunk is cut into blocks without inventing breaks; dejittered stamps give the rate', async () => {
    const samples = Array.from({ length: 3000 }, (_, i) => ({ t: 50 + i / 100 + (i % 2 ? 1e-3 : -1e-3), values: [i, -i] }));
    const r = await openXdf(bytesSource(xdfFile(xdfFileHeader(), xdfStreamHeader(1, eeg('float32')), xdfSamples(1, 'float32', samples))));
    expect(r.info.discontinuities).toEqual([]);
    expect(r.info.notes.join(' ')).toMatch(/Effective sampling rate of "EEG amp": 100.0000 Hz/);
  });

  it('a pause in the stamps longer than a second is a break', async () => {
    // as pyxdf: a break is a jump of more than max(1 s, 500 samples): 5 s at 100 Hz
    const samples = Array.from({ length: 300 }, (_, i) => ({ t: i < 100 ? i / 100 : 8 + i / 100, values: [i, -i] }));
    const r = await openXdf(bytesSource(xdfFile(xdfFileHeader(), xdfStreamHeader(1, eeg('double64')), xdfSamples(1, 'double64', samples))));
    expect(r.info.discontinuities).toEqual([{ onsetSec: 1, sampleIndex: 100, missingSec: expect.closeTo(8, 9) }]);
    expect(r.info.durationSec).toBeCloseTo(11, 9);
    const small = Array.from({ length: 300 }, (_, i) => ({ t: i < 100 ? i / 100 : 3 + i / 100, values: [i, -i] }));
    const r2 = await openXdf(bytesSource(xdfFile(xdfFileHeader(), xdfStreamHeader(1, eeg('double64')), xdfSamples(1, 'double64', small))));
    expect(r2.info.discontinuities).toEqual([]);
  });

  it('reads 1-, 4- and 8-byte chunk lengths and sample counts', async () => {
    const s = [{ t: 1, values: [1, 2] }, { values: [3, 4] }];
    for (const width of [1, 4, 8] as const) {
      const header = xdfStreamHeader(1, eeg('int16'));
      const body = xdfSamples(1, 'int16', s, width);
      // re-frame the samples chunk with the chosen length width
      const content = body.subarray(body[0] + 1 + 2);
      const file = xdfFile(xdfFileHeader(), header, xdfChunk(3, content, width));
      const r = await openXdf(bytesSource(file));
      const out = new Float64Array(4);
      await r.readRows(0, 2, out);
      expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    }
  });

  it('skips a corrupt region up to the next boundary chunk, and a truncated last chunk', async () => {
    const good = xdfSamples(1, 'int16', [{ t: 1, values: [1, 1] }]);
    const garbage = Buffer.from([4, 0xff, 0xff, 0xff, 0x7f, 3, 0, 9, 9, 9]);
    const after = xdfSamples(1, 'int16', [{ t: 1.01, values: [2, 2] }]);
    const truncated = xdfSamples(1, 'int16', [{ t: 1.02, values: [3, 3] }]).subarray(0, 8);
    const file = xdfFile(xdfFileHeader(), xdfStreamHeader(1, eeg('int16')), good, garbage, xdfBoundary(), after, truncated);
    const r = await openXdf(bytesSource(file));
    expect(r.info.sampleCount).toBe(2);
    expect(r.info.notes.join(' ')).toMatch(/ends inside the chunk at byte \d+ .*skipped to the boundary chunk/);
    expect(r.info.notes.join(' ')).toMatch(/ends inside the chunk .*the rest of the file is ignored/);
  });
});

describe('XDF refusals', () => {
  const refuse = async (bytes: Uint8Array, message: RegExp): Promise<void> => {
    const attempt = openXdf(bytesSource(bytes));
    await expect(attempt).rejects.toThrow(RecordingFormatError);
    await expect(attempt).rejects.toThrow(message);
  };
  it('not XDF', () => refuse(new Uint8Array(Buffer.from('NOPE and more')), /does not start with "XDF:"/));
  it('gzip', () => refuse(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), /compressed XDF/));
  it('no streams', () => refuse(xdfFile(xdfFileHeader()), /no streams/));
  it('only markers', () => refuse(xdfFile(xdfFileHeader(), xdfStreamHeader(1, markers), xdfSamples(1, 'string', [{ t: 1, values: ['x'] }])), /no regularly sampled numeric stream/));
  it('absurd channel count', () => refuse(xdfFile(xdfFileHeader(), xdfStreamHeader(1, { ...eeg('float32'), channelCount: 100000000, labels: undefined })), /channel_count "100000000"/));
  it('unknown channel format', () => refuse(xdfFile(xdfFileHeader(), xdfStreamHeader(1, { ...eeg('float32'), format: 'float16' as 'float32' })), /channel_format "float16"/));
  it('a first chunk longer than the file', () => refuse(xdfFile(Buffer.from([4, 0xff, 0xff, 0xff, 0x0f, 1, 0])), /past the end of the file/));
  it('more samples than the chunk can hold', async () => {
    const chunk = xdfSamples(1, 'float32', [{ t: 1, values: [1, 2] }]);
    chunk.writeUInt32LE(0x7fffffff, 8); // the sample count
    const r = openXdf(bytesSource(xdfFile(xdfFileHeader(), xdfStreamHeader(1, eeg('float32')), chunk)));
    // the only samples chunk is corrupt and skipped: no samples at all
    await expect(r).rejects.toThrow(/no regularly sampled numeric stream/);
  });
});

describe('XDF clock math', () => {
  it('the robust fit recovers an exact line and shrugs off an outlier that least squares would follow', () => {
    const x = Array.from({ length: 50 }, (_, i) => 1e6 + i * 5e4);
    const y = x.map((v) => 3 + 2e-5 * v);
    const [a, b] = robustLinearFit(x, y);
    expect(a).toBeCloseTo(3, 6);
    expect(b).toBeCloseTo(2e-5, 12);
    const noisy = [...y];
    noisy[20] += 500;
    const [a2, b2] = robustLinearFit(x, noisy);
    expect(Math.abs(a2 + b2 * x[20] - y[20])).toBeLessThan(20);
  });
  it('finds clock resets where times go back or offsets jump with a delay', () => {
    const times = [0, 5, 10, 15, 20, 1, 6, 11];
    const values = [0, 0, 0, 0, 0, 10, 10, 10];
    expect(clockResetRanges(times, values)).toEqual([
      { first: 0, last: 4 },
      { first: 5, last: 7 },
    ]);
    expect(clockCorrections([7], [0.25])).toEqual([{ first: 0, last: 0, intercept: 0.25, slope: 0 }]);
  });
  it('xml-lite reads what stream headers contain and refuses malformed XML', () => {
    const x = parseXml('<?xml version="1.0"?><!-- c --><info><name>A &amp; B</name><desc><channels><channel><label>Fp1</label></channel></channels></desc><e/></info>', 't');
    expect(xmlText(x, 'name')).toBe('A & B');
    expect(xmlText(x, 'desc', 'channels', 'channel', 'label')).toBe('Fp1');
    expect(() => parseXml('<a><b></a>', 't')).toThrow(RecordingFormatError);
    expect(() => parseXml('<a>'.repeat(1000), 't')).toThrow(/nested deeper/);
  });
});
