// GDF read by the workstation and by others: files written from the specification are read by
// MNE's read_raw_gdf with the same channels, samples and events; a GDF 2.51 written by BioSig's
// save2gdf (Debian biosig-tools) from a PhysioNet EDF+ gives the samples and annotations of that
// EDF+; `bci info`, `bci convert` and `bci replay` take a GDF like any other recording.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { bci } from '../../support/bci.js';
import { gdfBytes, type GdfSpec } from '../../support/gdf-builder.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';
import { dataAvailable, dataFile } from './reference.js';

const work = tempDir('bci-gdf-');
const haveMne = pythonHas('mne');

function save2gdfAvailable(): boolean {
  if (existsSync('/usr/bin/save2gdf')) return true;
  if (process.env.CI) throw new Error('save2gdf is missing: .ci/run must install biosig-tools');
  return false;
}

async function readAll(path: string): Promise<{ labels: string[]; rate: number; data: Float64Array; events: { onsetSec: number; durationSec: number; label: string }[] }> {
  const r = await openRecording(path);
  try {
    const width = r.info.rowChannels.length;
    const data = new Float64Array(r.info.sampleCount * width);
    await r.readRows(0, r.info.sampleCount, data);
    return { labels: r.info.rowChannels.map((c) => r.info.channels[c].label), rate: r.info.sampleRateHz, data, events: r.info.events.map(({ onsetSec, durationSec, label }) => ({ onsetSec, durationSec, label })) };
  } finally {
    await r.close();
  }
}

function competitionLike(version: GdfSpec['version'], type: GdfSpec['type']): GdfSpec {
  // a BCI Competition IV 2a-like layout: 250 Hz, µV, run start, trial start, cues with durations
  const labels = ['Fz', 'C3', 'Cz', 'C4', 'Pz', 'EOG-left'];
  return {
    version,
    type,
    records: 12,
    duration: [1, 1],
    signals: labels.map((label, k) => ({
      label,
      unit: 'uV',
      unitCode: 4275,
      physMin: -100,
      physMax: 100,
      digMin: type === 3 ? -32768 : -100,
      digMax: type === 3 ? 32767 : 100,
      spr: 250,
      value: (r: number, i: number) => {
        const x = Math.sin(((r * 250 + i) / 250) * 2 * Math.PI * (3 + k)) * 0.8;
        return type === 3 ? Math.round(x * 32767) : x * 100;
      },
    })),
    eventRate: 250,
    events: [
      { pos: 1, typ: 32766 },
      { pos: 501, typ: 768, dur: 1500 },
      { pos: 1001, typ: 769, dur: 313 },
      { pos: 2001, typ: 768, dur: 750 },
      { pos: 2501, typ: 770, dur: 313, chn: 3 },
    ],
  };
}

describe('GDF against MNE-Python', () => {
  it.skipIf(!haveMne)('GDF 1.25 (int16), 2.20 (int16) and 2.20 (float32): MNE reads the same channels, samples and events', async () => {
    const cases = [
      ['1.25', 3],
      ['2.20', 3],
      ['2.20', 16],
    ] as const;
    const paths = cases.map(([version, type]) => {
      const path = join(work, `competition-${version}-${type}.gdf`);
      writeFileSync(path, gdfBytes(competitionLike(version, type)));
      return path;
    });
    const answers = runPython<{ ch: string[]; sfreq: number; n: number; data: number[][]; ann: [number, number, string][] }[]>(
      `
import json, sys, mne, numpy as np
mne.set_log_level('ERROR')
out = []
for f in sys.argv[1:]:
    raw = mne.io.read_raw_gdf(f, preload=True)
    out.append({'ch': raw.ch_names, 'sfreq': float(raw.info['sfreq']), 'n': int(raw.n_times),
      'data': (raw.get_data() * 1e6).tolist(),
      'ann': [[float(a['onset']), float(a['duration']), str(a['description'])] for a in raw.annotations]})
print(json.dumps(out))
`,
      paths,
    );
    for (const [k, path] of paths.entries()) {
      const mne = answers[k];
      const ours = await readAll(path);
      expect(ours.labels).toEqual(mne.ch);
      expect(ours.rate).toBe(mne.sfreq);
      expect(ours.data.length / ours.labels.length).toBe(mne.n);
      let maxDiff = 0;
      for (let c = 0; c < mne.ch.length; c++) for (let i = 0; i < mne.n; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.data[i * mne.ch.length + c] - mne.data[c][i]));
      // float32 samples: MNE scales them in float32 (100 µV × 2⁻²⁴ ≈ 6e-6 µV)
      expect(maxDiff, path).toBeLessThan(cases[k][1] === 16 ? 1e-5 : 1e-6);
      // MNE gives every event at least one sample of duration; ours keeps the table's zero
      expect(ours.events.map((e) => [e.onsetSec, e.label])).toEqual(mne.ann.map(([o, , d]) => [o, d]));
      ours.events.forEach((e, j) => expect(Math.max(e.durationSec, 1 / 250)).toBeCloseTo(mne.ann[j][1], 9));
    }
  });
});

describe('GDF written by BioSig (save2gdf)', () => {
  it.skipIf(!dataAvailable() || !save2gdfAvailable())('a PhysioNet EDF+ through save2gdf: the same samples, the same 30 annotations; bci info and bci convert take it', async () => {
    const edf = dataFile('physionet-eegmmidb-S001/S001R04.edf');
    const gdf = join(work, 'S001R04.gdf');
    execFileSync('/usr/bin/save2gdf', ['-f=GDF', edf, gdf], { stdio: 'ignore' });
    expect(readFileSync(gdf).subarray(0, 8).toString('latin1')).toMatch(/^GDF 2\.\d\d/);
    const [a, b] = await Promise.all([readAll(edf), readAll(gdf)]);
    expect(b.labels).toEqual(a.labels);
    expect(b.rate).toBe(160);
    expect(b.data.length).toBe(a.data.length);
    let maxDiff = 0;
    for (let k = 0; k < a.data.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a.data[k] - b.data[k]));
    expect(maxDiff).toBeLessThan(1e-9);
    expect(b.events.map((e) => [e.onsetSec.toFixed(4), e.label])).toEqual(a.events.map((e) => [e.onsetSec.toFixed(4), e.label]));
    expect(b.events.map((e) => e.durationSec.toFixed(4))).toEqual(a.events.map((e) => e.durationSec.toFixed(4)));

    const out = join(work, 'S001R04-from-gdf.bdf');
    const replayed = join(work, 'S001R04-replayed.csv');
    const [info, conv, replay] = await Promise.all([bci(['info', gdf]), bci(['convert', gdf, out]), bci(['replay', gdf, '--speed', 'max', '--out', replayed])]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/format {6}gdf/);
    expect(info.stdout).toMatch(/events {6}30:/);
    expect(info.stdout).toMatch(/note {8}Event table: 30 events .*labelled with the file's own event descriptions/);
    expect(conv.stderr).toBe('');
    expect(conv.stdout).toMatch(/20000 samples × 64 channels at 160 Hz, 30 events/);
    expect(replay.code, replay.stderr).toBe(0);
    expect(readFileSync(replayed, 'utf8').trimEnd().split('\n')).toHaveLength(20001);
  });
});
