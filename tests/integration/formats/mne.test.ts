// The readers agree with MNE-Python on every EDF, BDF and BrainVision file in ../shared/data:
// channel names, rates, sample counts, every sample (to float precision, after MNE's unit scaling),
// annotations, trigger events (MNE's find_events on its stim channels) and the start time.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { dataAvailable, dataFile, mneAvailable, PYTHON } from './reference.js';
import { tempDir } from '../../support/tmp.js';

interface MneAnswer {
  file: string;
  ch_names: string[];
  types: string[];
  sfreq: number;
  n_times: number;
  data: string;
  annotations: { onset: number; duration: number; description: string }[];
  stim_events: { channel: string; samples: number[]; values: number[] }[];
  meas_date: string | null;
}

const script = `
import json, sys, numpy as np, mne
mne.set_log_level('ERROR')
req = json.load(sys.stdin)
out = []
for i, f in enumerate(req['files']):
    if f.endswith('.bdf'): raw = mne.io.read_raw_bdf(f, preload=True)
    elif f.endswith('.edf'): raw = mne.io.read_raw_edf(f, preload=True)
    else: raw = mne.io.read_raw_brainvision(f, preload=True)
    path = '%s/%d.f64' % (req['dir'], i)
    raw.get_data().astype('<f8').tofile(path)
    types = raw.get_channel_types()
    stim = []
    for name, t in zip(raw.ch_names, types):
        if t == 'stim':
            ev = mne.find_events(raw, stim_channel=name, consecutive=True, shortest_event=1, initial_event=False)
            stim.append(dict(channel=name, samples=ev[:, 0].tolist(), values=ev[:, 2].tolist()))
    md = raw.info['meas_date']
    out.append(dict(file=f, ch_names=raw.ch_names, types=types, sfreq=float(raw.info['sfreq']), n_times=int(raw.n_times), data=path,
        annotations=[dict(onset=float(a['onset']), duration=float(a['duration']), description=a['description']) for a in raw.annotations],
        stim_events=stim, meas_date=md.isoformat() if md else None))
json.dump(out, sys.stdout)
`;

function recordings(): string[] {
  const files: string[] = [];
  for (const dir of ['mne-python/edf', 'mne-python/brainvision', 'physionet-eegmmidb-S001']) {
    for (const name of readdirSync(dataFile(dir)).sort()) if (/\.(edf|bdf|vhdr)$/i.test(name)) files.push(dataFile(dir, name));
  }
  return files;
}

const POWERS = [1, 1e-3, 1e-6, 1e-9];

describe.skipIf(!dataAvailable() || !mneAvailable())('readers agree with MNE-Python', () => {
  const files = recordings();
  const dir = tempDir('bci-mne-');
  let answers: MneAnswer[] = [];

  it('finds every EDF, BDF and BrainVision recording', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    answers = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ files, dir }), encoding: 'utf8', maxBuffer: 64 << 20 })) as MneAnswer[];
    expect(answers.map((a) => a.file)).toEqual(files);
  });

  for (const [index, file] of recordings().entries()) {
    it(`${file.split('/').slice(-2).join('/')}`, async () => {
      const mne = answers[index];
      const raw = readFileSync(mne.data);
      const mneData = new Float64Array(Uint8Array.from(raw).buffer);
      const reader = await openRecording(file);
      try {
        const info = reader.info;
        expect(info.channels.map((c) => c.label)).toEqual(mne.ch_names);
        expect(info.sampleRateHz).toBeCloseTo(mne.sfreq, 9);
        expect(info.sampleCount).toBe(mne.n_times);
        for (const c of info.channels) expect(c.sampleRateHz).toBeCloseTo(mne.sfreq, 9);
        // stim channels: ours are typed 'stim' exactly where MNE's are
        expect(info.channels.map((c) => c.type === 'stim')).toEqual(mne.types.map((t) => t === 'stim'));

        // every sample
        const n = info.sampleCount;
        const width = info.rowChannels.length;
        const rows = new Float64Array(n * width);
        expect(await reader.readRows(0, n, rows)).toBe(n);
        const column = new Float64Array(n);
        for (let c = 0; c < info.channels.length; c++) {
          const ours = new Float64Array(n);
          const j = info.rowChannels.indexOf(c);
          if (j >= 0) for (let i = 0; i < n; i++) ours[i] = rows[i * width + j];
          else {
            expect(await reader.readChannel(c, 0, n, column)).toBe(n);
            ours.set(column);
          }
          // readChannel agrees with readRows
          if (j >= 0 && c % 7 === 0) {
            await reader.readChannel(c, 0, n, column);
            expect(Array.from(column)).toEqual(Array.from(ours));
          }
          const theirs = mneData.subarray(c * n, (c + 1) * n);
          // MNE scales to SI units (µV → V); find the power of ten, then compare every sample
          let k = 0;
          let best = 0;
          for (let i = 0; i < n; i++) if (Math.abs(ours[i]) > best) [best, k] = [Math.abs(ours[i]), i];
          if (best === 0) {
            expect(theirs.every((v) => v === 0)).toBe(true);
            continue;
          }
          const ratio = theirs[k] / ours[k];
          const scale = POWERS.reduce((a, b) => (Math.abs(Math.log10(b) - Math.log10(Math.abs(ratio))) < Math.abs(Math.log10(a) - Math.log10(Math.abs(ratio))) ? b : a));
          // MNE leaves stim channels unscaled
          if (info.channels[c].type === 'stim') expect(scale).toBe(1);
          else if (info.channels[c].unit === 'uV') expect(scale).toBe(1e-6);
          const range = (info.channels[c].physicalMax - info.channels[c].physicalMin) * scale;
          let worst = 0;
          for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ours[i] * scale - theirs[i]));
          expect(worst, `${info.channels[c].label}`).toBeLessThanOrEqual(1e-12 * range + 1e-18);
        }

        // annotations and trigger events
        const expected = [
          ...mne.annotations.map((a) => ({ onset: a.onset, duration: a.duration, label: a.description })),
          ...mne.stim_events.flatMap((s) => s.samples.map((sample, i) => ({ onset: sample / mne.sfreq, duration: NaN, label: String(s.values[i]) }))),
        ].sort((a, b) => a.onset - b.onset || a.label.localeCompare(b.label));
        const ours = info.events.map((e) => ({ onset: e.onsetSec, duration: e.durationSec, label: e.label })).sort((a, b) => a.onset - b.onset || a.label.localeCompare(b.label));
        expect(ours.length).toBe(expected.length);
        ours.forEach((e, i) => {
          expect(e.label).toBe(expected[i].label);
          expect(e.onset).toBeCloseTo(expected[i].onset, 9);
          if (!Number.isNaN(expected[i].duration)) expect(e.duration).toBeCloseTo(expected[i].duration, 9);
        });
        expect(info.discontinuities).toEqual([]);

        // start time (MNE reads the header's clock as UTC, as we do)
        if (mne.meas_date) expect(info.startTime?.getTime()).toBe(Date.parse(mne.meas_date));
      } finally {
        await reader.close();
      }
    });
  }
});
