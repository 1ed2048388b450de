// The round-trip matrix: every readable shared recording × every format `bci convert` writes, read
// back by the workstation (and by MNE for BDF/EDF): the same channels, the samples to the target's
// precision at their true times, every event at its place, every gap annotated (BDF/EDF) or kept in
// the index and time (text); or a refusal in one sentence where the target cannot hold the source.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertRecording, type ConvertResult } from '../../electron/engine/files/convert.js';
import { decimalsForResolution } from '../../electron/engine/files/export.js';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { channelResolution, recordingTimeOfRow, type RecordingInfo } from '../../electron/common/formats/recording.js';
import { EngineError } from '../../electron/common/contract/failure.js';
import { pythonHas, runPython } from '../support/python.js';
import { tempDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, '..', 'shared', 'data');
const haveMne = pythonHas('mne');

const SOURCES = [
  'openbci-gui/OpenBCI-sampleData-1-blinks-jawClench-alpha.txt',
  'physionet-eegmmidb-S001/S001R04.edf',
  'mne-python/edf/test.edf',
  'mne-python/edf/test.bdf',
  'mne-python/edf/test_edf_stim_channel.edf',
  'mne-python/brainvision/test.vhdr',
  'xdf-example-files/clock_resets.xdf',
  'xdf-example-files/minimal.xdf',
  'eeg-notebooks-ssvep/data_2017-09-14-21.20.04.csv',
];
const TARGETS = ['bdf', 'edf', 'csv', 'txt'] as const;
/** Channel subsets of the largest files (the suite's time), across their montage. */
const CHANNELS: Record<string, string[]> = {
  'physionet-eegmmidb-S001/S001R04.edf': ['Fc5.', 'C3..', 'Cz..', 'C4..', 'Fp1.', 'O1..', 'T9..', 'Iz..'],
  'mne-python/edf/test.edf': Array.from({ length: 16 }, (_, i) => String(i * 8)),
};
const TO_UV: Record<string, number> = { uV: 1, mV: 1e3, V: 1e6 };

async function readAll(path: string): Promise<{ info: RecordingInfo; values: Float64Array; width: number }> {
  const r = await openRecording(path);
  try {
    const width = r.info.rowChannels.length;
    const values = new Float64Array(r.info.sampleCount * width);
    await r.readRows(0, r.info.sampleCount, values);
    return { info: r.info, values, width };
  } finally {
    await r.close();
  }
}

const dir = tempDir('bci-convert-matrix-');
/** BDF/EDF outputs for MNE, each with the CSV written from the same source (the values at full precision). */
const forMne: { out: string; csv: string; bits: number; steps: number[]; printed: number[]; annotations: number[] }[] = [];

describe('round-trip matrix: shared recordings × written formats', () => {
  it.each(SOURCES)('%s', async (name) => {
    const path = join(data, name);
    const source = await readAll(path);
    const info = source.info;
    const rate = info.sampleRateHz;
    const sourceWidth = source.width;
    // the channels converted (positions within a source row), and their descriptions
    const keep = (CHANNELS[name] ?? info.rowChannels.map((_, i) => String(i))).map((w) => {
      const byLabel = info.rowChannels.findIndex((c) => info.channels[c].label === w);
      return byLabel >= 0 ? byLabel : Number(w);
    });
    const width = keep.length;
    const channel = keep.map((k) => info.channels[info.rowChannels[k]]);
    const value = (r: number, c: number) => source.values[r * sourceWidth + keep[c]];
    // the output row of a source row: its stretch's start on the output's grid, then one by one
    const starts = [0, ...info.discontinuities.map((d) => d.sampleIndex)];
    const outRow = (row: number) => {
      const start = starts.filter((s) => s <= row).pop()!;
      return Math.round(recordingTimeOfRow(info, start) * rate) + (row - start);
    };
    const stem = join(dir, basename(name).replace(/\W+/g, '_'));
    const results: Partial<Record<(typeof TARGETS)[number], ConvertResult>> = {};
    for (const target of TARGETS) {
      const out = `${stem}.${target}`;
      let result: ConvertResult;
      try {
        result = await convertRecording(path, out, { channels: CHANNELS[name] });
      } catch (error) {
        // only the OpenBCI layout may refuse a source, in one sentence that says what to do
        expect(error, `${target}: ${(error as Error).message}`).toBeInstanceOf(EngineError);
        expect(target, (error as Error).message).toBe('txt');
        expect((error as Error).message).toMatch(/OpenBCI GUI layout|OpenBCI layout/);
        expect((error as Error).message.split('\n')).toHaveLength(1);
        continue;
      }
      results[target] = result;
      expect(result.events, target).toBe(info.events.length);
      expect(result.eventsRead).toBe(info.events.length);
      expect(result.gaps).toBe(info.discontinuities.length);
      expect(result.clippedValues).toBe(0);
      const back = await readAll(out);
      expect(back.width, target).toBe(width);
      const bw = back.width;
      let worst = 0;
      if (target === 'bdf' || target === 'edf') {
        const bits = target === 'bdf' ? 24 : 16;
        const steps = back.info.rowChannels.map((c) => (back.info.channels[c].physicalMax - back.info.channels[c].physicalMin) / (2 ** bits - 1));
        // (EDF headers are ASCII: µS is written uS)
        expect(back.info.channels.map((c) => [c.label, c.unit])).toEqual(channel.map((c) => [c.label.slice(0, 16).trim(), c.unit.replace('µ', 'u')]));
        expect(back.info.sampleCount).toBe(Math.ceil((outRow(info.sampleCount - 1) + 1) / rate) * rate);
        for (let r = 0; r < info.sampleCount; r++) {
          const o = outRow(r);
          for (let c = 0; c < width; c++) worst = Math.max(worst, Math.abs(back.values[o * bw + c] - value(r, c)) / (steps[c] / 2 + 1e-12));
        }
        expect(worst, `${target}: worst error in half steps`).toBeLessThanOrEqual(1.0001);
        for (const e of info.events) {
          if (!back.info.events.some((b) => b.label === e.label.trim() && Math.abs(b.onsetSec - e.onsetSec) < 1e-6 && Math.abs(b.durationSec - e.durationSec) < 1e-6)) expect.fail(`${target}: event ${e.label} at ${e.onsetSec} s is not in the output`);
        }
        for (const d of info.discontinuities) expect(back.info.events.some((b) => b.label.startsWith('gap:') && Math.abs(b.onsetSec - d.onsetSec) <= 1 / rate)).toBe(true);
        // the CSV's own print error: half its last decimal (see valueFormatter), or 10 significant digits
        const printed = channel.map((c) => {
          const resolution = channelResolution(info.format, c);
          return resolution === undefined ? 0 : 0.5 * 10 ** -decimalsForResolution(resolution);
        });
        forMne.push({ out, csv: `${stem}.csv`, bits, steps, printed, annotations: back.info.events.map((e) => e.onsetSec) });
      } else {
        expect(back.info.sampleCount).toBe(info.sampleCount);
        expect(back.info.discontinuities.length).toBe(info.discontinuities.length);
        expect(back.info.durationSec).toBeCloseTo(info.durationSec, 2);
        const scale = channel.map((c) => (target === 'txt' ? TO_UV[c.unit] ?? 1 : 1));
        const tolerance = channel.map((c) => {
          const resolution = channelResolution(info.format, c);
          return resolution === undefined ? undefined : resolution / 100;
        });
        for (let r = 0; r < info.sampleCount; r++) {
          for (let c = 0; c < width; c++) {
            const want = value(r, c) * scale[c];
            const got = back.values[r * bw + c];
            const allowed = tolerance[c] !== undefined ? tolerance[c]! * scale[c] : 1e-9 * Math.abs(want) + 1e-12;
            if (!(Math.abs(got - want) <= allowed) && !(Number.isNaN(got) && Number.isNaN(want))) expect.fail(`${target} row ${r} channel ${c}: ${got} vs ${want}`);
          }
        }
        if (target === 'csv') {
          // true index and time, and the events beside it
          const lines = readFileSync(out, 'utf8').split('\n', info.sampleCount + 1);
          for (const r of [0, ...starts.slice(1), info.sampleCount - 1]) {
            const [index, time] = lines[r + 1].split(',').map(Number);
            expect(index).toBe(outRow(r));
            expect(Math.abs(time - recordingTimeOfRow(info, r))).toBeLessThan(2e-6);
          }
          expect(back.info.events.map((e) => e.label)).toEqual(info.events.map((e) => e.label.trim()));
          back.info.events.forEach((e, k) => expect(Math.abs(e.onsetSec - info.events[k].onsetSec)).toBeLessThan(1e-6));
        } else {
          expect(back.info.events.length).toBe(info.events.length);
          back.info.events.forEach((b, k) => expect(Math.abs(b.onsetSec - info.events[k].onsetSec)).toBeLessThanOrEqual(0.5 / rate + 1e-6));
        }
      }
    }
    expect(results.bdf && results.edf && results.csv, 'BDF, EDF and CSV take every source').toBeTruthy();
  });

  it.skipIf(!haveMne)('MNE reads every BDF/EDF written: the same samples (in µV, mV or V) to the format resolution, the same annotations', () => {
    expect(forMne.length).toBeGreaterThanOrEqual(2 * SOURCES.length);
    const report = runPython<{ out: string; worst: number; nTimes: number; onsets: number; count: [number, number] }[]>(
      `
import json, sys, numpy as np, mne
jobs = json.load(sys.stdin)
result = []
for job in jobs:
    reader = mne.io.read_raw_bdf if job['out'].endswith('.bdf') else mne.io.read_raw_edf
    raw = reader(job['out'], preload=True, verbose='error')
    with open(job['csv']) as f:
        header = f.readline().strip().split(',')[2:]
    ref = np.atleast_2d(np.loadtxt(job['csv'], delimiter=',', skiprows=1, ndmin=2))
    index = ref[:, 0].astype(int)
    worst = 0.0
    for c, name in enumerate(header):
        unit = name.rsplit('_', 1)[1]
        scale = {'uV': 1e6, 'mV': 1e3, 'V': 1.0}.get(unit)
        if scale is None:
            continue  # MNE scales only voltages
        x = raw.get_data(picks=[c])[0, index] * scale
        err = np.abs(x - ref[:, 2 + c])
        worst = max(worst, float(np.nanmax(err / (job['steps'][c] / 2 + job['printed'][c] + 1e-12 + 1e-9 * np.abs(ref[:, 2 + c])))))
    ours = np.array(job['annotations'])
    theirs = np.array(raw.annotations.onset)
    result.append({'out': job['out'], 'worst': worst, 'nTimes': int(raw.n_times), 'count': [len(ours), len(theirs)],
                   'onsets': float(np.abs(np.sort(ours) - np.sort(theirs)).max()) if len(ours) and len(ours) == len(theirs) else 0.0})
json.dump(result, sys.stdout)`,
      [],
      JSON.stringify(forMne),
    );
    for (const r of report) {
      expect(r.count[1], r.out).toBe(r.count[0]);
      expect(r.onsets, r.out).toBeLessThan(1e-5);
      // within half the output's step plus the CSV's own print error
      expect(r.worst, r.out).toBeLessThanOrEqual(1.05);
    }
  });
});
