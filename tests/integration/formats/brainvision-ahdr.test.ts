// BrainVision's .ahdr/.amrk variant (V-Amp): the MNE test set renamed, its data file given the extra
// channel such sets store after the declared ones. The workstation reads the same channels, samples
// and markers as from the original .vhdr set, and as MNE-Python reads the .ahdr set.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';
import { dataAvailable, dataFile } from './reference.js';

const work = tempDir('bci-ahdr-');
const haveMne = pythonHas('mne');

async function readAll(path: string): Promise<{ labels: string[]; n: number; data: Float64Array; events: string[] }> {
  const r = await openRecording(path);
  try {
    const w = r.info.rowChannels.length;
    const data = new Float64Array(r.info.sampleCount * w);
    await r.readRows(0, r.info.sampleCount, data);
    return { labels: r.info.channels.map((c) => c.label), n: r.info.sampleCount, data, events: r.info.events.map((e) => `${e.onsetSec.toFixed(4)} ${e.label}`) };
  } finally {
    await r.close();
  }
}

describe('BrainVision .ahdr/.amrk', () => {
  it.skipIf(!dataAvailable())('reads an .ahdr set like the .vhdr set it was made from, and as MNE does', async () => {
    const vhdr = dataFile('mne-python/brainvision/test.vhdr');
    const header = readFileSync(vhdr, 'latin1').replace('DataFile=test.eeg', 'DataFile=amp.eeg').replace('MarkerFile=test.vmrk', 'MarkerFile=amp.amrk');
    writeFileSync(join(work, 'amp.ahdr'), header, 'latin1');
    writeFileSync(join(work, 'amp.amrk'), readFileSync(dataFile('mne-python/brainvision/test.vmrk')));
    // INT_16 multiplexed, 32 declared channels: add a 33rd value to every sample
    const eeg = readFileSync(dataFile('mne-python/brainvision/test.eeg'));
    const rows = eeg.length / 64;
    const out = Buffer.alloc(rows * 66);
    for (let r = 0; r < rows; r++) {
      eeg.copy(out, r * 66, r * 64, r * 64 + 64);
      out.writeInt16LE((r % 200) - 100, r * 66 + 64);
    }
    writeFileSync(join(work, 'amp.eeg'), out);

    const a = await readAll(vhdr);
    const b = await readAll(join(work, 'amp.ahdr'));
    expect(b.labels).toEqual(a.labels);
    expect(b.n).toBe(a.n);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(b.events).toEqual(a.events);
    if (!haveMne) return;
    const mne = runPython<{ ch: string[]; n: number; first: number[] }>(
      `
import json, sys, mne
mne.set_log_level('ERROR')
raw = mne.io.read_raw_brainvision(sys.argv[1], preload=True)
d = raw.get_data()
print(json.dumps({'ch': raw.ch_names, 'n': int(raw.n_times), 'first': (d[:, 1000] * 1e6).tolist()}))
`,
      [join(work, 'amp.ahdr')],
    );
    expect(b.labels).toEqual(mne.ch);
    expect(b.n).toBe(mne.n);
    // the µV channels (the set's last ones are in µS, S and °C, which MNE keeps unscaled)
    mne.first.slice(0, 26).forEach((v, c) => expect(b.data[1000 * 32 + c]).toBeCloseTo(v, 6));
  });
});
