// Fuzzing the recording readers with hostile input: valid synthetic files of every format, then
// truncated, bit-flipped, spliced, and with header fields replaced by wrong sizes, negative counts
// and huge declared lengths. Every attempt must end in a RecordingFormatError or read fine — never
// another exception, never a hang, never a read request larger than the file (which is what
// trusting a declared length would look like). Seeded, so a failure replays.

import { describe, expect, it } from 'vitest';
import { openRecordingSource, type OpenSourceOptions } from '../../electron/common/formats/open-source.js';
import { RecordingFormatError, type RecordingFormat } from '../../electron/common/formats/recording.js';
import type { ByteSource, SiblingResolver } from '../../electron/common/formats/source.js';
import { Random } from '../../electron/common/random.js';
import { gdfBytes, type GdfSpec } from '../support/gdf-builder.js';
import { edfBytes, tal, text, vhdr, vmrk, xdfBoundary, xdfClockOffset, xdfFile, xdfFileHeader, xdfFooter, xdfSamples, xdfStreamHeader } from '../support/format-builders.js';

// FUZZ_MUTATIONS and FUZZ_SEED widen a local run; the suite's defaults stay well under 10 s
const MUTATIONS_PER_SEED = Number(process.env.FUZZ_MUTATIONS ?? 150);
const SEED_BASE = Number(process.env.FUZZ_SEED ?? 1000);
const HANG_MS = 3000;

interface Seed {
  name: string;
  format: RecordingFormat;
  bytes: Uint8Array;
  /** Byte ranges of numeric header fields worth replacing with nasty values. */
  fields: [number, number][];
  siblings?: Record<string, Uint8Array>;
}

function edfFields(ns: number): [number, number][] {
  const f: [number, number][] = [
    [184, 8],
    [236, 8],
    [244, 8],
    [252, 4],
  ];
  const base = 256;
  for (let i = 0; i < ns; i++) {
    for (const [off, w] of [
      [104, 8],
      [112, 8],
      [120, 8],
      [128, 8],
      [216, 8],
    ]) f.push([base + off * ns + w * i, w]);
  }
  return f;
}

function gdfSeed(version: GdfSpec['version']): GdfSpec {
  return {
    version,
    type: 3,
    records: 4,
    duration: [1, 2],
    signals: [
      { label: 'C3', unitCode: 4275, unit: 'uV', physMin: -500, physMax: 500, digMin: -32768, digMax: 32767, spr: 64, value: (r, i) => (r * 997 + i * 31) % 30000 },
      { label: 'Resp', physMin: -1, physMax: 1, digMin: -32768, digMax: 32767, spr: 8, value: (r, i) => r + i },
    ],
    eventRate: 128,
    events: [
      { pos: 1, typ: 1 },
      { pos: 65, typ: 769, dur: 40, chn: 1 },
      { pos: 200, typ: 2, dur: 3 },
    ],
  };
}

function seeds(): Seed[] {
  const edf = edfBytes({
    variant: 'edf',
    reserved: 'EDF+C',
    records: 4,
    duration: 0.5,
    signals: [
      { label: 'Fp1', physMin: -500, physMax: 500, spr: 64, value: (r, i) => (r * 997 + i * 31) % 30000 },
      { label: 'Resp', spr: 8, value: (r, i) => r + i },
      { label: 'EDF Annotations', spr: 30, tal: (r) => tal(r / 2, { onset: r / 2 + 0.1, duration: 0.2, texts: [`ev ${r}`, 'ü'] }) },
    ],
  });
  const bdf = edfBytes({
    variant: 'bdf',
    reserved: 'BDF+D',
    records: 3,
    duration: 1,
    signals: [
      { label: 'A1', spr: 32, value: (r, i) => (r - 1) * 100000 + i },
      { label: 'Status', spr: 32, value: (_, i) => (i % 8 === 0 ? 3 : 0) | 0x100000 },
      { label: 'BDF Annotations', spr: 20, tal: (r) => tal([0, 1, 4][r], { onset: 2, texts: ['x'] }) },
    ],
  });
  const eegSpec = { name: 'EEG', type: 'EEG', channelCount: 3, rate: 100, format: 'float32' as const, labels: ['a', 'b', 'c'], units: ['uV', 'uV', 'uV'] };
  const xdf = xdfFile(
    xdfFileHeader(),
    xdfStreamHeader(1, eegSpec),
    xdfStreamHeader(2, { name: 'M', type: 'Markers', channelCount: 1, rate: 0, format: 'string' }),
    xdfSamples(1, 'float32', Array.from({ length: 40 }, (_, i) => ({ t: i % 10 === 0 ? 5 + i / 100 : undefined, values: [i, -i, i / 2] }))),
    xdfSamples(2, 'string', [{ t: 5.1, values: ['go'] }, { t: 5.2, values: ['stop'] }]),
    xdfClockOffset(1, 5, 0.01),
    xdfClockOffset(1, 10, 0.011),
    xdfBoundary(),
    xdfSamples(1, 'float32', Array.from({ length: 40 }, (_, i) => ({ values: [i, i, i] }))),
    xdfFooter(1, '<?xml version="1.0"?><info><sample_count>80</sample_count></info>'),
  );
  const openbci =
    '%OpenBCI Raw EXG Data\n%Number of channels = 4\n%Sample Rate = 200 Hz\n%Board = OpenBCI_GUI$BoardGanglionBLE\nSample Index, EXG Channel 0, EXG Channel 1, EXG Channel 2, EXG Channel 3, Accel Channel 0, Accel Channel 1, Accel Channel 2, Timestamp, Marker Channel, Timestamp (Formatted)\n' +
    Array.from({ length: 60 }, (_, i) => `${(i * 2) % 256}, ${i}.5, -${i}, 1e3, 0.25, 0.1, 0.2, 0.3, ${1557936053329 + i * 5}, ${i === 30 ? 4 : 0}, 12:00:53.329\n`).join('');
  const brainflow = Array.from({ length: 60 }, (_, i) => Array.from({ length: 24 }, (_, c) => (c === 0 ? i % 256 : c === 22 ? 1700000000 + i / 250 : c === 23 ? (i === 9 ? 1 : 0) : i * c)).join('\t') + '\n').join('');
  const csv = 'timestamps,TP9,AF7,Marker0\n' + Array.from({ length: 60 }, (_, i) => `${(100 + i / 256).toFixed(6)},${i},${-i},${i === 20 ? 1 : 0}\n`).join('');
  const eeg = Buffer.alloc(2 * 3 * 50);
  for (let i = 0; i < 150; i++) eeg.writeInt16LE((i * 77) % 30000 - 15000, i * 2);
  const header = vhdr({ channels: ['Fp1,,0.5,µV', 'Fp2,,0.5,µV', 'GSR,,1,µS'], intervalUs: 1000 });
  const markers = vmrk(['New Segment,,1,1,0,20240102030405123456', 'Stimulus,S  1,3,0,0', 'New Segment,,20,1,0,20240102030406123456']);
  return [
    { name: 'EDF+C', format: 'edf', bytes: edf, fields: edfFields(3) },
    { name: 'BDF+D', format: 'bdf', bytes: bdf, fields: edfFields(3) },
    { name: 'XDF', format: 'xdf', bytes: xdf, fields: [] },
    { name: 'OpenBCI v6', format: 'openbci-txt', bytes: text(openbci), fields: [] },
    { name: 'BrainFlow CSV', format: 'brainflow-csv', bytes: text(brainflow), fields: [] },
    { name: 'CSV', format: 'csv', bytes: text(csv), fields: [] },
    { name: 'BrainVision', format: 'brainvision', bytes: header, fields: [], siblings: { 'rec.eeg': new Uint8Array(eeg), 'rec.vmrk': markers } },
    { name: 'GDF 1.25', format: 'gdf', bytes: gdfBytes(gdfSeed('1.25')), fields: [] },
    { name: 'GDF 2.20', format: 'gdf', bytes: gdfBytes({ ...gdfSeed('2.20'), eventDescriptions: ['', 'left', 'right'] }), fields: [] },
  ];
}

const NASTY = ['-1', '-99999', '0', '99999999', '2147483648', '1e308', '-1e308', 'NaN', '        ', '1.5', '-0.0001', '00000001', '+9999999', 'abc'];

function mutate(bytes: Uint8Array, seed: Seed, rng: Random): { bytes: Uint8Array; how: string } {
  const b = Uint8Array.from(bytes);
  const kind = rng.nextInt(seed.fields.length ? 6 : 5);
  switch (kind) {
    case 0: {
      const n = rng.nextInt(b.length);
      return { bytes: b.subarray(0, n), how: `truncated to ${n}` };
    }
    case 1: {
      const flips = 1 + rng.nextInt(12);
      for (let k = 0; k < flips; k++) b[rng.nextInt(b.length)] ^= 1 << rng.nextInt(8);
      return { bytes: b, how: `${flips} bits flipped` };
    }
    case 2: {
      const at = rng.nextInt(b.length);
      const n = 1 + rng.nextInt(16);
      for (let k = 0; k < n && at + k < b.length; k++) b[at + k] = [0x00, 0xff, 0x7f, 0x80, 0x2c, 0x0a, 0x08, 0x04][rng.nextInt(8)];
      return { bytes: b, how: `${n} bytes overwritten at ${at}` };
    }
    case 3: {
      // splice: repeat or drop a region
      const a = rng.nextInt(b.length);
      const c = Math.min(b.length, a + 1 + rng.nextInt(200));
      const out = rng.nextFloat() < 0.5 ? new Uint8Array([...b.subarray(0, c), ...b.subarray(a)]) : new Uint8Array([...b.subarray(0, a), ...b.subarray(c)]);
      return { bytes: out, how: `spliced ${a}-${c}` };
    }
    case 4: {
      // huge lengths where binary lengths live: write 0xff… runs
      const at = rng.nextInt(b.length);
      for (let k = 0; k < 4 && at + k < b.length; k++) b[at + k] = 0xff;
      return { bytes: b, how: `0xffffffff at ${at}` };
    }
    default: {
      const [off, w] = seed.fields[rng.nextInt(seed.fields.length)];
      const v = NASTY[rng.nextInt(NASTY.length)];
      const field = Buffer.from(v.slice(0, w).padEnd(w, ' '), 'latin1');
      b.set(field, off);
      return { bytes: b, how: `field at ${off} = "${v}"` };
    }
  }
}

/** A source over bytes that fails the test if a reader asks for more than the whole file at once. */
function guardedSource(bytes: Uint8Array, largest: { n: number }): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      largest.n = Math.max(largest.n, length);
      const s = Math.max(0, Math.min(bytes.length, offset));
      return Promise.resolve(bytes.subarray(s, Math.max(s, Math.min(bytes.length, offset + length))));
    },
  };
}

async function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(main: Uint8Array, siblings: Record<string, Uint8Array>, format: RecordingFormat | undefined, largest: { n: number }): Promise<'read' | 'refused'> {
  const sibling: SiblingResolver = (name) => (name in siblings ? Promise.resolve(guardedSource(siblings[name], largest)) : Promise.reject(new Error('missing')));
  const options: OpenSourceOptions = { format, fileName: format === 'brainvision' ? 'rec.vhdr' : undefined, sibling };
  try {
    const reader = await openRecordingSource(guardedSource(main, largest), options);
    const info = reader.info;
    expect(Number.isFinite(info.sampleRateHz) && info.sampleRateHz > 0).toBe(true);
    expect(Number.isSafeInteger(info.sampleCount) && info.sampleCount >= 0).toBe(true);
    const width = info.rowChannels.length;
    const n = Math.min(info.sampleCount, 500);
    const out = new Float64Array(n * width);
    await reader.readRows(0, n, out);
    if (info.sampleCount > 3) await reader.readRows(info.sampleCount - 3, 3, new Float64Array(3 * width));
    for (let c = 0; c < Math.min(info.channels.length, 3); c++) await reader.readChannel(c, 0, 50, new Float64Array(50));
    return 'read';
  } catch (error) {
    if (error instanceof RecordingFormatError) {
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.message).not.toMatch(/\n/);
      return 'refused';
    }
    throw error;
  }
}

describe('fuzzing the recording readers', () => {
  for (const [s, seed] of seeds().entries()) {
    it(`${seed.name}: malformed input ends in RecordingFormatError or a good read`, async () => {
      // the seed itself reads fine
      const largest = { n: 0 };
      expect(await attempt(seed.bytes, seed.siblings ?? {}, seed.format, largest)).toBe('read');
      const rng = new Random(SEED_BASE + s);
      const outcomes = { read: 0, refused: 0 };
      for (let m = 0; m < MUTATIONS_PER_SEED; m++) {
        const targets = seed.siblings ? ['main', ...Object.keys(seed.siblings)] : ['main'];
        const target = targets[rng.nextInt(targets.length)];
        const original = target === 'main' ? seed.bytes : seed.siblings![target];
        const { bytes, how } = mutate(original, seed, rng);
        const siblings = { ...(seed.siblings ?? {}) };
        const main = target === 'main' ? bytes : seed.bytes;
        if (target !== 'main') siblings[target] = bytes;
        const sizes = { n: 0 };
        // detection too, half of the time
        const format = rng.nextFloat() < 0.5 ? seed.format : undefined;
        let outcome: 'read' | 'refused';
        try {
          outcome = await withDeadline(attempt(main, siblings, format, sizes), `${seed.name} ${target} ${how}`);
        } catch (error) {
          throw new Error(`${seed.name}, ${target} ${how}: ${(error as Error).stack}`);
        }
        outcomes[outcome]++;
        const biggest = Math.max(main.length, ...Object.values(siblings).map((x) => x.length));
        expect(sizes.n, `${seed.name} ${how}: a read of ${sizes.n} bytes from files of at most ${biggest}`).toBeLessThanOrEqual(Math.max(biggest, 1 << 20) * 2 + 16);
      }
      expect(outcomes.read + outcomes.refused).toBe(MUTATIONS_PER_SEED);
    });
  }

  it('refuses huge declared sizes without allocating them', async () => {
    // EDF: 2^31 records of a 100000-signal header in a 1 kB file
    const edf = edfBytes({ variant: 'edf', records: 1, duration: 1, signals: [{ label: 'A', spr: 4 }], signalCountField: '9999', headerBytesField: '99999999' });
    await expect(openRecordingSource(guardedSource(edf, { n: 0 }), { format: 'edf' })).rejects.toThrow(RecordingFormatError);
    const spr = edfBytes({ variant: 'edf', records: 0, duration: 1, signals: [{ label: 'A', spr: '99999999' }], recordsField: '99999999' });
    // 10⁸ samples per 1 s record: a rate no amplifier has, refused before anything is sized from it
    await expect(openRecordingSource(guardedSource(spr, { n: 0 }), { format: 'edf' })).rejects.toThrow(/beyond any EEG amplifier's 200 kHz/);
    // XDF: a samples chunk claiming 2^32-1 samples
    const chunk = xdfSamples(1, 'double64', [{ t: 1, values: [1] }]);
    chunk.writeUInt32LE(0xffffffff, 8);
    const xdf = xdfFile(xdfFileHeader(), xdfStreamHeader(1, { name: 'E', type: 'EEG', channelCount: 1, rate: 10, format: 'double64' }), chunk);
    await expect(openRecordingSource(guardedSource(xdf, { n: 0 }))).rejects.toThrow(RecordingFormatError);
  });
});
