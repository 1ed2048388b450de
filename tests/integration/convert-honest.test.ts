// `bci convert` and `bci replay` lose or bend nothing without a word (issue 14, writer side): events
// after a gap stay at their time (BrainFlow CSV with dropped packets, XDF with a break), filtered
// BDF/EDF output is not clipped and MNE reads its values back, the OpenBCI text layout round-trips
// or refuses, missing values become annotated gaps, replay keeps event durations and writes --out
// under --quiet, and an empty file is not blamed on --start/--end.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { bci } from '../support/bci.js';
import { pythonHas, runPython } from '../support/python.js';
import { tempDir } from '../support/tmp.js';
import { edfBytes } from '../support/format-builders.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, '..', 'shared', 'data');
const openbciV6 = join(data, 'openbci-gui', 'OpenBCI_GUI-v6-blinks-jawClench-alpha.txt');
const haveMne = pythonHas('mne');

async function readBack(path: string) {
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

/** A BrainFlow Cyton CSV (tab-separated, 24 columns) of `rows` packets at 250 Hz, packets [dropFrom, dropFrom + dropped) lost, markers on given packets. */
function brainflowCsv(path: string, rows: number, dropFrom: number, dropped: number, markers: Record<number, number>): void {
  const lines: string[] = [];
  for (let k = 0; k < rows + dropped; k++) {
    if (k >= dropFrom && k < dropFrom + dropped) continue;
    const cells = new Array<number | string>(24).fill(0);
    cells[0] = k % 256;
    for (let c = 1; c <= 8; c++) cells[c] = (100 * Math.sin(k / 10 + c)).toFixed(6);
    cells[9] = 0.01;
    cells[10] = 0.02;
    cells[11] = 0.98;
    cells[22] = (1_700_000_000 + k / 250).toFixed(6);
    cells[23] = markers[k] ?? 0;
    lines.push(cells.join('\t'));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

describe('bci convert keeps time true across gaps, and counts every event', () => {
  it('BrainFlow CSV with 100 dropped packets: BDF+ zero-fills with a gap annotation, CSV keeps the true index and time, every event at its place', async () => {
    const dir = tempDir('bci-convert-gap-');
    const source = join(dir, 'dropped.csv');
    // markers on packets 500 (before the gap) and 1600, 2100 (after it): 2.0 s, 6.4 s, 8.4 s
    brainflowCsv(source, 2500, 1000, 100, { 500: 1, 1600: 2, 2100: 3 });
    const bdf = join(dir, 'out.bdf');
    const bdfRun = await bci(['convert', source, bdf, '--board', 'cyton']);
    expect(bdfRun.code, bdfRun.stderr).toBe(0);
    expect(bdfRun.stdout).toMatch(/3 events \(all 3 read\)/);
    expect(bdfRun.stdout).toMatch(/1 gap in the source \(0\.400 s\): written as 100 samples of zeros with a "gap" annotation/);
    const back = await readBack(bdf);
    const events = back.info.events.map((e) => [e.label, Number(e.onsetSec.toFixed(4)), Number(e.durationSec.toFixed(4))]);
    expect(events).toContainEqual(['1', 2, 0]);
    expect(events).toContainEqual(['2', 6.4, 0]);
    expect(events).toContainEqual(['3', 8.4, 0]);
    expect(events).toContainEqual(['gap: 100 samples lost', 4, 0.4]);
    // the sample after the gap is at 4.4 s, as in the source
    const sine = (k: number, c: number) => 100 * Math.sin(k / 10 + c);
    expect(back.values[1100 * back.width]).toBeCloseTo(sine(1100, 1), 3);
    expect(back.values[1050 * back.width]).toBeCloseTo(0, 3);

    const csv = join(dir, 'out.csv');
    expect((await bci(['convert', source, csv, '--board', 'cyton'])).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2500);
    expect(lines[1000].split(',').slice(0, 2)).toEqual(['999', '3.996000']);
    expect(lines[1001].split(',').slice(0, 2)).toEqual(['1100', '4.400000']);
    const sidecar = readFileSync(join(dir, 'out_events.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(sidecar.map((c) => [c[0], c[3], c[4]])).toEqual([
      ['2', '1', '500'],
      ['6.4', '2', '1600'],
      ['8.4', '3', '2100'],
    ]);
    const csvBack = await readBack(csv);
    expect(csvBack.info.events.map((e) => [e.label, e.onsetSec])).toEqual([
      ['1', 2],
      ['2', 6.4],
      ['3', 8.4],
    ]);
  });

  it('XDF with a 274 s break: all 175 markers written, each at its own time', async () => {
    const dir = tempDir('bci-convert-xdf-');
    const source = join(data, 'xdf-example-files', 'clock_resets.xdf');
    const original = await readBack(source);
    const bdf = join(dir, 'breaks.bdf');
    const run = await bci(['convert', source, bdf]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/175 events \(all 175 read\)/);
    const back = await readBack(bdf);
    const markers = back.info.events.filter((e) => !/^(gap|end of data):/.test(e.label));
    expect(markers).toHaveLength(175);
    markers.forEach((e, k) => {
      expect(e.label).toBe(original.info.events[k].label);
      expect(Math.abs(e.onsetSec - original.info.events[k].onsetSec)).toBeLessThan(1e-6);
    });
    expect(back.info.events.filter((e) => e.label.startsWith('gap:'))).toHaveLength(1);
  });
});

describe('bci convert to BDF/EDF takes the header ranges from what it writes', () => {
  it.skipIf(!haveMne)('--bandpass 1-40 on a DC-offset OpenBCI file: nothing clipped, MNE reads the filtered values to the format resolution', async () => {
    const dir = tempDir('bci-convert-range-');
    const edf = join(dir, 'filtered.edf');
    const bdf = join(dir, 'filtered.bdf');
    const csv = join(dir, 'filtered.csv');
    for (const out of [edf, bdf, csv]) {
      const run = await bci(['convert', openbciV6, out, '--channels', '0,1,2,3,4,5,6,7', '--bandpass', '1-40']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(/clipped/);
    }
    const cmp = runPython<{ worst: number[]; n: number[] }>(
      `
import json, sys, numpy as np, mne
ref = np.loadtxt(sys.argv[3], delimiter=',', skiprows=1)[:, 2:].T
out = {"worst": [], "n": []}
for path, reader, bits in ((sys.argv[1], mne.io.read_raw_edf, 16), (sys.argv[2], mne.io.read_raw_bdf, 24)):
    raw = reader(path, preload=True, verbose='error')
    x = raw.get_data()[:, :ref.shape[1]] * 1e6
    out["worst"].append(float(np.abs(x - ref).max()))
    out["n"].append(int(raw.n_times))
json.dump(out, sys.stdout)`,
      [edf, bdf, csv],
    );
    // the header ranges of what was written: our reader says them
    const step = async (path: string, bits: number) => {
      const r = await readBack(path);
      return Math.max(...r.info.rowChannels.map((c) => (r.info.channels[c].physicalMax - r.info.channels[c].physicalMin) / (2 ** bits - 1)));
    };
    expect(cmp.n).toEqual([22500, 22500]);
    expect(cmp.worst[0]).toBeLessThanOrEqual((await step(edf, 16)) / 2 + 1e-3); // + the CSV's print
    expect(cmp.worst[1]).toBeLessThanOrEqual((await step(bdf, 24)) / 2 + 1e-3);
    expect(await step(edf, 16)).toBeLessThan(0.5); // the filtered range, not the raw ±60 mV offsets
  });
});

describe('bci convert to the OpenBCI GUI layout', () => {
  it('round-trips through the workstation: the same channels (EXG and accelerometer), values, duration, time and markers', async () => {
    const dir = tempDir('bci-convert-txt-');
    const txt = join(dir, 'copy.txt');
    const run = await bci(['convert', openbciV6, txt]);
    expect(run.code, run.stderr).toBe(0);
    const head = readFileSync(txt, 'utf8').split('\n', 6);
    expect(head[3]).toBe('%Board = OpenBCI_GUI$BoardCytonSerial');
    const a = await readBack(openbciV6);
    const b = await readBack(txt);
    expect(b.info.channels.map((c) => [c.label, c.type, c.unit])).toEqual(a.info.channels.map((c) => [c.label, c.type, c.unit]));
    expect(b.info.sampleCount).toBe(a.info.sampleCount);
    expect(b.info.durationSec).toBeCloseTo(a.info.durationSec, 6);
    expect(b.info.discontinuities).toEqual([]);
    expect(b.info.startTime?.toISOString()).toBe(a.info.startTime?.toISOString());
    let worst = 0;
    for (let i = 0; i < a.values.length; i++) worst = Math.max(worst, Math.abs(a.values[i] - b.values[i]));
    expect(worst).toBeLessThan(1e-6);
    // replay reads it back at its true length, with nothing lost
    const replay = await bci(['replay', txt, '--speed', 'max', '--quiet']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/samples lost +0 \(/);
    expect(replay.stdout).toMatch(/22490 samples received/);
  });

  it('says the board is not an OpenBCI one for another source, writes markers as codes, refuses channels it cannot hold', async () => {
    const dir = tempDir('bci-convert-txt-');
    const xdf = join(data, 'xdf-example-files', 'clock_resets.xdf');
    const txt = join(dir, 'xdf.txt');
    const run = await bci(['convert', xdf, txt]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(txt, 'utf8').split('\n', 4)[3]).toBe('%Board = BCI_Workstation (converted from xdf, not an OpenBCI board)');
    expect(run.stdout).toMatch(/event labels are written as marker codes: 1 = /);
    const back = await readBack(txt);
    expect(back.info.events).toHaveLength(175);
    expect(back.info.discontinuities).toHaveLength(1);
    expect(back.info.discontinuities[0].missingSec).toBeCloseTo(273.869, 1);

    // a channel in degrees Celsius has no place in the layout: a sentence, exit 2, no file
    const edf = join(dir, 'temperature.edf');
    writeFileSync(
      edf,
      edfBytes({
        variant: 'edf',
        records: 2,
        duration: 1,
        signals: [
          { label: 'Fz', unit: 'uV', physMin: -100, physMax: 100, spr: 10 },
          { label: 'Temp', unit: 'degC', physMin: 0, physMax: 50, spr: 10 },
        ],
      }),
    );
    const refused = await bci(['convert', edf, join(dir, 'temperature.txt')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/Temp \(.*degC\) cannot be written there: choose the channels with --channels/);
    expect(existsSync(join(dir, 'temperature.txt'))).toBe(false);
  });
});

describe('missing values and empty files', () => {
  it('empty fields become annotated zeros in BDF (counted in the summary); filters across them are refused', async () => {
    const dir = tempDir('bci-convert-nan-');
    const csv = join(dir, 'holes.csv');
    const rows = ['time,Fz,Cz'];
    for (let i = 0; i < 500; i++) rows.push(`${(i / 250).toFixed(3)},${i >= 100 && i < 110 ? '' : (5000 + i).toString()},${i === 300 ? 'NaN' : '-7'}`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const bdf = join(dir, 'holes.bdf');
    const run = await bci(['convert', csv, bdf]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/11 empty or NaN values in the source: written as zeros with a "no data" annotation/);
    const back = await readBack(bdf);
    const notes = back.info.events.filter((e) => e.label.startsWith('no data'));
    expect(notes.map((e) => [Number(e.onsetSec.toFixed(3)), Number(e.durationSec.toFixed(3))])).toEqual([
      [0.4, 0.04],
      [1.2, 0.004],
    ]);
    const step = (back.info.channels[0].physicalMax - back.info.channels[0].physicalMin) / (2 ** 24 - 1);
    expect(Math.abs(back.values[105 * back.width])).toBeLessThanOrEqual(step);
    expect(back.values[99 * back.width]).toBeCloseTo(5099, 2);

    const filtered = await bci(['convert', csv, join(dir, 'holes-filtered.bdf'), '--highpass', '1']);
    expect(filtered.code).toBe(2);
    expect(filtered.stderr).toMatch(/11 empty or NaN values .*a filter would spread them/);
  });

  it('a file with no samples is said to have none (no --start/--end blamed)', async () => {
    const dir = tempDir('bci-convert-empty-');
    const edf = join(dir, 'empty.edf');
    writeFileSync(edf, edfBytes({ variant: 'edf', reserved: 'EDF+C', records: 0, duration: 1, signals: [{ label: 'Fz', unit: 'uV', physMin: -100, physMax: 100, spr: 10 }] }));
    const run = await bci(['convert', edf, join(dir, 'out.bdf')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(/--start|--end/);
    expect(run.stderr).toMatch(/holds no samples, so there is nothing to convert/);
  });
});

describe('bci replay', () => {
  it('keeps event durations, and --quiet --out still writes the output', async () => {
    const dir = tempDir('bci-replay-out-');
    const source = join(data, 'physionet-eegmmidb-S001', 'S001R04.edf');
    const out = join(dir, 'q.csv');
    const run = await bci(['replay', source, '--speed', 'max', '--quiet', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(1 + 20000);
    const events = readFileSync(join(dir, 'q_events.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(events).toHaveLength(30);
    expect(events.every((c) => Number(c[1]) > 4)).toBe(true); // T0/T1/T2 last about 4.1 s each
  });
});
