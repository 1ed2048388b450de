// BrainFlow boards through the engine, with BrainFlow's own library (koffi): the synthetic board
// streams through the pipeline; a wrong serial port is a sentence; a failed prepare leaves no
// session behind (a second connect works); markers go into BrainFlow's marker row.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';
import type { MarkerEvent, RawChunk } from '../../../electron/engine/engine-events.js';
import { inputParamsJson, loadBrainflow } from '../../../native/brainflow.js';
import { brainflowAvailable, waitFor } from '../../support/brainflow.js';
import { CytonEmulator } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';

const haveMne = pythonHas('mne');

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe.skipIf(!brainflowAvailable())('BrainFlow boards in the engine', () => {
  it.skipIf(!haveMne)('streams brainflow:synthetic through the pipeline and records a BDF+ that MNE reads with BrainFlow\'s channel names; markers: ours into BrainFlow once, BrainFlow\'s own as board markers', async () => {
    const dataDir = tempDir('bci-bf-rec-');
    engine = new Engine({ bufferSec: 5 });
    const descriptor = await engine.connect({ board: 'brainflow:synthetic' });
    expect(descriptor.sampleRateHz).toBe(250);
    const raw: RawChunk[] = [];
    const markers: MarkerEvent[] = [];
    let filtered = 0;
    engine.on('raw', (c) => raw.push(c));
    engine.on('filtered', (c) => (filtered += c.rowCount));
    engine.on('marker', (m) => markers.push(m));
    await engine.startRecording({ session: { subject: 'S01' }, dataDir });
    await engine.start();
    const rows = () => raw.reduce((n, c) => n + c.rowCount, 0);
    await waitFor(() => rows() >= 100, 10_000, '100 rows');
    engine.addMarker('stimulus');
    // a marker BrainFlow's own marker row carries, put there by another program on the same session
    const { library } = loadBrainflow();
    expect(library!.insertMarker(-1, inputParamsJson({}), 42)).toBe(0);
    await waitFor(() => markers.some((m) => m.source === 'board'), 10_000, "BrainFlow's marker");
    await waitFor(() => filtered >= 300, 10_000, 'filtered rows through the pipeline');
    await engine.stop();
    expect(engine.getStatus().deviceLostRows).toBe(0);
    const { path, sidecars } = await engine.stopRecording();
    const eegJson = JSON.parse(readFileSync(sidecars.find((f) => f.endsWith('_eeg.json'))!, 'utf8')) as { Manufacturer?: string };
    expect(eegJson.Manufacturer).toBe('BrainFlow (simulated)');
    expect(markers.map((m) => `${m.source}:${m.label}`)).toEqual(['user:stimulus', 'board:42']);
    const mne = runPython<{ sfreq: number; names: string[]; n: number; first: number[]; annotations: string[] }>(
      `
import json, sys, mne
raw = mne.io.read_raw_bdf(sys.argv[1], preload=True, verbose='error')
d = raw.get_data() * 1e6
json.dump({"sfreq": raw.info['sfreq'], "names": raw.ch_names, "n": int(raw.n_times), "first": d[:16, 0].tolist(),
           "annotations": [a['description'] for a in raw.annotations]}, sys.stdout)
`,
      [path],
    );
    expect(mne.sfreq).toBe(250);
    expect(mne.names).toEqual(descriptor.channels.map((c) => c.label));
    expect(mne.names.slice(0, 16)).toEqual('Fz,C3,Cz,C4,Pz,PO7,Oz,PO8,F5,F7,F3,F1,F2,F4,F6,F8'.split(','));
    expect(mne.n).toBeGreaterThanOrEqual(300);
    // the first row as the engine had it, within BDF's 24-bit step over ±1 V
    for (let c = 0; c < 16; c++) expect(Math.abs(mne.first[c] - raw[0].data[c])).toBeLessThan(0.2);
    // the user's marker once (not again when it came back through BrainFlow's marker row), and BrainFlow's
    expect(mne.annotations.filter((a) => a === 'stimulus')).toHaveLength(1);
    expect(mne.annotations).toContain('42');
  });

  it('brainflow:playback plays a BrainFlow CSV file of the synthetic board\'s layout', async () => {
    const dir = tempDir('bci-bf-play-');
    const file = join(dir, 'synthetic.csv');
    // BrainFlow's CSV: one sample per line, BrainFlow's 32 rows of the synthetic board as tab-separated columns
    const t0 = Date.now() / 1000;
    const lines: string[] = [];
    for (let s = 0; s < 500; s++) {
      const row = new Array<number>(32).fill(0);
      row[0] = s % 256;
      for (let ch = 1; ch <= 16; ch++) row[ch] = s * 100 + ch;
      row[30] = t0 + s / 250;
      lines.push(row.map((v) => v.toFixed(6)).join('\t'));
    }
    writeFileSync(file, lines.join('\n') + '\n');
    engine = new Engine({ bufferSec: 5 });
    const descriptor = await engine.connect({ board: 'brainflow:playback', file, masterBoard: 'synthetic' });
    expect(descriptor.sampleRateHz).toBe(250);
    expect(descriptor.channels[0].label).toBe('Fz');
    const got: number[] = [];
    engine.on('raw', (c) => {
      for (let r = 0; r < c.rowCount; r++) got.push(c.data[r * c.channelCount]);
    });
    await engine.start();
    await waitFor(() => got.length >= 200, 15_000, '200 rows from the file');
    await engine.stop();
    // channel Fz (BrainFlow row 1) of sample s is s × 100 + 1, in order from the file's start
    expect(got.slice(0, 200)).toEqual(Array.from({ length: 200 }, (_, s) => s * 100 + 1));
    expect(engine.getStatus().deviceLostRows).toBe(0);
  });

  it('says what to do without a file or a master board for brainflow:playback', async () => {
    engine = new Engine();
    await expect(engine.connect({ board: 'brainflow:playback', masterBoard: 'synthetic' })).rejects.toThrow(/^invalid board options: file: PlayBack \(BrainFlow\) needs its BrainFlow CSV file \(--file\): a BrainFlow CSV file/);
    await expect(engine.connect({ board: 'brainflow:playback', file: '/tmp/x.csv', masterBoard: 'nosuch' })).rejects.toThrow(/^invalid board options: masterBoard: one of synthetic, cyton, /);
  });

  it.skipIf(!socatAvailable())('a wrong serial port is a sentence, the failed prepare leaves no session, and a second connect works', async () => {
    engine = new Engine({ bufferSec: 5 });
    const failure = await engine.connect({ board: 'brainflow:cyton', port: '/dev/ttyNOSUCH0' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toMatch(/^BrainFlow could not open the serial port \/dev\/ttyNOSUCH0 for Cyton \(BrainFlow\): check the path .* \(BrainFlow error 2 UNABLE_TO_OPEN_PORT_ERROR while trying to prepare\)$/);
    expect(engine.getStatus().state).toBe('idle');
    const emulator = await CytonEmulator.start({ seed: 2 });
    try {
      await engine.connect({ board: 'brainflow:cyton', port: emulator.hostPath });
      let rows = 0;
      engine.on('raw', (c) => (rows += c.rowCount));
      await engine.start();
      await waitFor(() => rows >= 50, 10_000, 'rows after the second connect');
      await engine.disconnect();
    } finally {
      await emulator.stop();
    }
  });
});
