// Montages end to end: `bci montage save` from a CSV table, refusals in one sentence with exit 2
// (a name taken, an unknown position, an unknown montage, a board with another channel count), and
// `bci record --montage` whose BDF+ MNE reads back with the montage's labels and types
// (infer_types), with channels.tsv, electrodes.tsv and the session file to match. In the engine:
// applying is refused while recording, the pipeline's common average follows the new types, and the
// montage follows the board to its next connection where it fits.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { pythonHas, runPython } from '../support/python.js';
import { Engine } from '../../electron/engine/engine.js';

const haveMne = pythonHas('mne');
const data = tempDir('bci-montage-');
const TABLE = 'label,type,position\nFp1,eeg,fp1\nFp2,eeg,Fp2\nHEOG,eog,\nVertex,eeg,Cz\nchin,emg,\nC4,eeg,T4\nO1,eeg,O1\naux1,misc,\n';

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('bci montage and bci record --montage', () => {
  it('saves from a CSV table, refuses bad input with exit 2 and one sentence, and records with the montage: MNE reads its labels and types; the sidecars agree', async () => {
    writeFileSync(join(data, 'lab8.csv'), TABLE);
    const saved = await bci(['montage', 'save', 'lab8', '--from', join(data, 'lab8.csv'), '--data-dir', data]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/saved montage lab8/);
    // independent runs side by side (each is a process start)
    const [bad, show, unknown, mismatch, run] = await Promise.all([
      bci(['montage', 'save', 'odd', '--channels', 'Fp1,Xx:eeg:Q7', '--data-dir', data]),
      bci(['montage', 'show', 'LAB8', '--csv', '--data-dir', data]),
      bci(['record', '--subject', 'S01', '--board', 'synthetic', '--duration', '1', '--montage', 'nope', '--data-dir', data]),
      bci(['record', '--subject', 'S01', '--board', 'synthetic', '--channels', '4', '--duration', '1', '--montage', 'lab8', '--data-dir', data]),
      bci(['record', '--subject', 'S02', '--board', 'synthetic', '--duration', '1', '--montage', 'lab8', '--data-dir', data]),
    ]);
    expect(bad.code).toBe(2);
    oneLine(bad.stderr);
    expect(bad.stderr).toBe('bci: montage odd: channel 2 (Xx): "Q7" is not a 10-20 / 10-10 position: use a name such as Fp1, Cz or O2, or leave the position empty\n');
    expect(show.stdout).toBe('label,type,position\nFp1,eeg,Fp1\nFp2,eeg,Fp2\nHEOG,eog,\nVertex,eeg,Cz\nchin,emg,\nC4,eeg,T8\nO1,eeg,O1\naux1,misc,\n');
    expect(unknown.code).toBe(2);
    oneLine(unknown.stderr);
    expect(unknown.stderr).toMatch(/there is no montage "nope" in .* \(saved: lab8\): save it first/);
    expect(mismatch.code).toBe(2);
    oneLine(mismatch.stderr);
    expect(mismatch.stderr).toMatch(/montage "lab8" has 8 channels but the .* has 4: a montage names every channel of the board, in order/);

    expect(run.code, run.stderr).toBe(0);
    const folder = join(data, 'sub-S02', 'ses-01', 'eeg');
    const stem = join(folder, 'sub-S02_ses-01_task-rest_run-01');
    const channels = readFileSync(`${stem}_channels.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 2));
    expect(channels).toEqual([['Fp1', 'EEG'], ['Fp2', 'EEG'], ['HEOG', 'EOG'], ['Vertex', 'EEG'], ['chin', 'EMG'], ['C4', 'EEG'], ['O1', 'EEG'], ['aux1', 'MISC']]);
    const electrodes = readFileSync(`${stem}_electrodes.tsv`, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(electrodes.map((r) => r[0])).toEqual(['name', 'Fp1', 'Fp2', 'Vertex', 'C4', 'O1']);
    // Vertex sits at Cz, straight up; C4 was given T4 (T8): on the right, at ear height
    expect(electrodes[3].slice(1).map(Number)).toEqual([0, 0, 85]);
    expect(Number(electrodes[4][1])).toBeGreaterThan(80);
    expect(readdirSync(folder)).toContain('sub-S02_ses-01_task-rest_run-01_coordsystem.json');
    const session = JSON.parse(readFileSync(`${stem}_session.json`, 'utf8')) as { montage: string; montageChannels: unknown[] };
    expect(session.montage).toBe('lab8');
    expect(session.montageChannels).toHaveLength(8);
    expect(JSON.parse(readFileSync(`${stem}_eeg.json`, 'utf8')) as unknown).toMatchObject({ EEGPlacementScheme: 'lab8', EOGChannelCount: 1, EMGChannelCount: 1, EEGChannelCount: 5, MiscChannelCount: 1 });
    if (!haveMne) return;
    const mne = runPython<{ names: string[]; types: string[] }>(
      `import json, sys, mne
raw = mne.io.read_raw_bdf(sys.argv[1], infer_types=True, verbose='error')
print(json.dumps({'names': raw.ch_names, 'types': raw.get_channel_types()}))`,
      [`${stem}_eeg.bdf`],
    );
    expect(mne.names).toEqual(['Fp1', 'Fp2', 'HEOG', 'Vertex', 'chin', 'C4', 'O1', 'aux1']);
    expect(mne.types).toEqual(['eeg', 'eeg', 'eog', 'eeg', 'emg', 'eeg', 'eeg', 'misc']);
  }, 90_000);
});

describe('the engine applying a montage', () => {
  const engine = new Engine({ statusIntervalMs: 0 });
  afterAll(() => engine.dispose());

  it('refuses while recording, and the common average leaves a channel the montage made EOG alone', async () => {
    await engine.connect({ board: 'synthetic', channelCount: 8 });
    await engine.setPipeline({ reference: 'car', stages: [] });
    const raw = new Map<number, number>();
    const ch0 = { filtered: [] as [number, number][] };
    engine.on('raw', (c) => {
      for (let r = 0; r < c.rowCount; r++) raw.set(c.firstSampleIndex + r, c.data[r * c.channelCount]);
    });
    engine.on('filtered', (c) => {
      for (let r = 0; r < c.rowCount; r++) ch0.filtered.push([c.firstSampleIndex + r, c.data[r * c.channelCount]]);
    });
    await engine.start();
    const reached = async (index: number) => expect.poll(() => ch0.filtered.at(-1)?.[0] ?? -1, { timeout: 10_000, interval: 20 }).toBeGreaterThan(index);
    await reached(250);
    const differs = (from: number) => ch0.filtered.filter(([i, v]) => i >= from && raw.has(i) && Math.abs(v - raw.get(i)!) > 1e-6).length;
    expect(differs(0)).toBeGreaterThan(200); // under the common average, Fp1 is re-referenced

    // a montage whose first channel is EOG
    engine.montageStore(data).save({ name: 'eog-first', channels: [{ label: 'VEOG', type: 'eog' }, ...'abcdefg'.split('').map((label) => ({ label, type: 'eeg' }))] });
    const at = ch0.filtered.at(-1)![0];
    expect(engine.applyMontage('eog-first', data).channels[0]).toMatchObject({ label: 'VEOG', type: 'eog', position: '' });
    await reached(at + 500);
    // from a chunk after the change on, channel 0 is left as it is
    expect(differs(at + 250)).toBe(0);
    expect(ch0.filtered.filter(([i]) => i >= at + 250 && raw.has(i)).length).toBeGreaterThan(200);

    const notices: string[] = [];
    engine.on('notice', (n) => notices.push(n));
    const { path } = await engine.startRecording({ session: { subject: 'S03', montage: '10-20 cap' }, dataDir: data });
    expect(() => engine.applyMontage(null, data)).toThrow(/a montage cannot be applied while recording to sub-S03_ses-01_task-rest_run-01_eeg\.bdf: stop the recording first/);
    await engine.stopRecording();
    // the applied montage names the recording; what the form said instead is told
    expect((JSON.parse(readFileSync(path.replace(/_eeg\.bdf$/, '_session.json'), 'utf8')) as { montage: string }).montage).toBe('eog-first');
    expect(notices).toContain('the session form named the montage "10-20 cap", but montage "eog-first" is applied to the board: the recording names "eog-first"');
    expect(engine.applyMontage(null, data).channels[0].label).toBe('Fp1');
    expect(engine.appliedMontage).toBeNull();

    // the montage applied last follows the board to its next connection, where it fits
    engine.applyMontage('eog-first', data);
    await engine.disconnect();
    expect((await engine.connect({ board: 'synthetic', channelCount: 8 })).channels[0].label).toBe('VEOG');
    await engine.disconnect();
    expect((await engine.connect({ board: 'synthetic', channelCount: 4 })).channels[0].label).toBe('Fp1');
    expect(notices.join('\n')).toMatch(/montage "eog-first" was not applied to the .*: montage "eog-first" has 8 channels but the .* has 4/);
    expect(engine.appliedMontage).toBeNull();
  }, 60_000);

  it('the filters follow the types too: a channel the montage makes misc passes unfiltered, the EEG ones stay filtered', async () => {
    await engine.disconnect();
    await engine.connect({ board: 'synthetic', channelCount: 8 });
    await engine.setPipeline({ reference: 'none', stages: [{ kind: 'highpass', cutoffHz: 1, order: 2 }] });
    const raw = new Map<number, [number, number]>();
    const filtered: [number, number, number][] = [];
    const subs = [
      engine.on('raw', (c) => {
        for (let r = 0; r < c.rowCount; r++) raw.set(c.firstSampleIndex + r, [c.data[r * c.channelCount], c.data[r * c.channelCount + 1]]);
      }),
      engine.on('filtered', (c) => {
        for (let r = 0; r < c.rowCount; r++) filtered.push([c.firstSampleIndex + r, c.data[r * c.channelCount], c.data[r * c.channelCount + 1]]);
      }),
    ];
    await engine.start();
    const reached = async (index: number) => expect.poll(() => filtered.at(-1)?.[0] ?? -1, { timeout: 10_000, interval: 20 }).toBeGreaterThan(index);
    await reached(100);
    engine.montageStore(data).save({ name: 'misc-first', channels: [{ label: 'GSR', type: 'misc' }, ...'abcdefg'.split('').map((label) => ({ label, type: 'eeg' }))] });
    const at = filtered.at(-1)![0];
    engine.applyMontage('misc-first', data);
    await reached(at + 500);
    const after = filtered.filter(([i]) => i >= at + 250 && raw.has(i));
    expect(after.length).toBeGreaterThan(200);
    expect(after.filter(([i, v]) => v !== raw.get(i)![0])).toEqual([]); // channel 0: bit for bit
    expect(after.filter(([i, , v]) => Math.abs(v - raw.get(i)![1]) > 1e-6).length).toBeGreaterThan(200); // channel 1: high-passed
    for (const s of subs) s.dispose();
    engine.applyMontage(null, data);
  }, 30_000);
});
