// Recording for real: files the workstation writes are read by MNE-Python with the same samples
// and annotations; BIDS names and sidecars; a checksum; crash recovery after kill -9; a full disk.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { SyntheticEeg } from '../../electron/common/boards/synthetic.js';
import { verifyRecording } from '../../electron/engine/recording/repair.js';
import { pythonHas, runPython } from '../support/python.js';
import { bciSync, spawnBci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { wholeRecordsOnDisk } from '../support/bdf-records.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const haveMne = pythonHas('mne');
const work = tempDir('bci-rec-');
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
});

const READ_WITH_MNE = `
import json, sys, mne, numpy as np
path = sys.argv[1]
raw = (mne.io.read_raw_bdf if path.endswith('.bdf') else mne.io.read_raw_edf)(path, preload=True, verbose='error')
data = raw.get_data() * 1e6
json.dump({"sfreq": raw.info['sfreq'], "names": raw.ch_names, "n": int(raw.n_times),
           "data": data[:, :int(sys.argv[2])].T.ravel().tolist(),
           "annotations": [[float(a['onset']), float(a['duration']), a['description']] for a in raw.annotations]}, sys.stdout)
`;

interface MneView {
  sfreq: number;
  names: string[];
  n: number;
  data: number[];
  annotations: [number, number, string][];
}

async function recordUnpaced(format: 'bdf' | 'edf', seconds: number, dataDir: string) {
  const engine = new Engine();
  await engine.connect({ board: 'synthetic', channelCount: 8, sampleRateHz: 250, mode: 'mi', seed: 21, paced: false, durationSec: seconds });
  await engine.startRecording({ session: { subject: 'S07', task: 'motor', operator: 'test lab' }, format, dataDir });
  // the operator's marker lands inside the data whatever the machine's speed: stamped at the host
  // time of sample 100 once it has been filtered (an unpaced run can end within a timer's delay)
  const past100 = new Promise<void>((resolve) => {
    const sub = engine.on('filtered', (chunk) => {
      if (chunk.firstSampleIndex + chunk.rowCount <= 100) return;
      sub.dispose();
      resolve();
    });
  });
  await engine.start();
  await past100;
  engine.addMarker('operator note', engine.sampleTimeMs(100));
  await engine.ended();
  await engine.stop();
  const result = await engine.stopRecording();
  await engine.dispose();
  return result;
}

function expected(seconds: number): Float64Array {
  const gen = new SyntheticEeg({ channelCount: 8, sampleRateHz: 250, seed: 21, mode: 'mi', mainsHz: 50 });
  const out = new Float64Array(seconds * 250 * 8);
  gen.generate(out, seconds * 250);
  return out;
}

describe.skipIf(!haveMne)('recording, read back by MNE-Python', () => {
  it.each([
    ['bdf', 375000 / 16777215 / 2 + 1e-9],
    ['edf', 0.1 / 2 + 1e-6],
  ] as const)('writes %s+ that MNE reads with the same samples (within quantisation) and annotations', async (format, tolerance) => {
    const dir = join(work, format);
    const result = await recordUnpaced(format, 20, dir);
    expect(result.error).toBeNull();
    expect(result.path).toBe(join(dir, 'sub-S07', 'ses-01', 'eeg', `sub-S07_ses-01_task-motor_run-01_eeg.${format}`));
    expect(result.rowsWritten).toBe(5000);
    expect(result.lostRows).toBe(0);
    const mne = runPython<MneView>(READ_WITH_MNE, [result.path, '5000']);
    expect(mne.sfreq).toBe(250);
    expect(mne.names).toEqual(['Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2']);
    expect(mne.n).toBe(5000);
    const truth = expected(20);
    let worst = 0;
    for (let i = 0; i < truth.length; i++) worst = Math.max(worst, Math.abs(mne.data[i] - truth[i]));
    expect(worst).toBeLessThanOrEqual(tolerance);
    // cues from the board and the operator's marker, in the file and in events.tsv
    const labels = mne.annotations.map((a) => a[2]);
    expect(labels).toContain('operator note');
    expect(labels.filter((l) => l === 'left' || l === 'right').length).toBeGreaterThanOrEqual(3);
    const events = readFileSync(join(dir, 'sub-S07', 'ses-01', 'eeg', 'sub-S07_ses-01_task-motor_run-01_events.tsv'), 'utf8').trim().split('\n');
    expect(events[0]).toBe('onset\tduration\ttrial_type\tvalue\tsample');
    const cues = events.slice(1).map((l) => l.split('\t')).filter((c) => c[3] !== 'recording end');
    for (const cue of cues) {
      const inFile = mne.annotations.find((a) => a[2] === cue[3] && Math.abs(a[0] - Number(cue[0])) < 1e-3);
      expect(inFile, cue.join(' ')).toBeDefined();
      expect(Number(cue[4])).toBe(Math.round(Number(cue[0]) * 250));
    }
  });

  it('writes the BIDS sidecars, the session and a checksum that `bci verify` checks', async () => {
    const dir = join(work, 'bids');
    const result = await recordUnpaced('bdf', 5, dir);
    const eegDir = join(dir, 'sub-S07', 'ses-01', 'eeg');
    expect(readdirSync(eegDir).sort()).toEqual([
      'sub-S07_ses-01_task-motor_run-01_channels.tsv',
      'sub-S07_ses-01_task-motor_run-01_eeg.bdf',
      'sub-S07_ses-01_task-motor_run-01_eeg.bdf.sha256',
      'sub-S07_ses-01_task-motor_run-01_eeg.json',
      'sub-S07_ses-01_task-motor_run-01_events.tsv',
      'sub-S07_ses-01_task-motor_run-01_session.json',
    ]);
    const eeg = JSON.parse(readFileSync(join(eegDir, 'sub-S07_ses-01_task-motor_run-01_eeg.json'), 'utf8')) as Record<string, unknown>;
    expect(eeg).toMatchObject({ TaskName: 'motor', SamplingFrequency: 250, PowerLineFrequency: 50, RecordingDuration: 5, EEGChannelCount: 8 });
    expect(eeg.EEGReference).toBeTruthy();
    expect(eeg.SoftwareFilters).toBeDefined();
    const channels = readFileSync(join(eegDir, 'sub-S07_ses-01_task-motor_run-01_channels.tsv'), 'utf8').split('\n');
    expect(channels[0]).toBe('name\ttype\tunits\tsampling_frequency\tstatus');
    expect(channels[1]).toBe('Fp1\tEEG\tµV\t250\tgood');
    const session = JSON.parse(readFileSync(join(eegDir, 'sub-S07_ses-01_task-motor_run-01_session.json'), 'utf8')) as Record<string, unknown>;
    expect(session).toMatchObject({ subject: 'S07', task: 'motor', operator: 'test lab', consentObtained: false });
    expect(verifyRecording(result.path)).toEqual({ ok: true, sha256: result.sha256 });
    // a second recording of the same session takes the next run, never overwriting
    const again = await recordUnpaced('bdf', 2, dir);
    expect(again.path).toMatch(/_run-02_eeg\.bdf$/);
    // a changed byte is caught
    const bytes = readFileSync(result.path);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(result.path, bytes);
    expect(verifyRecording(result.path)).toMatchObject({ ok: false, reason: expect.stringMatching(/checksum mismatch/) });
  });

  it('survives kill -9: the next start completes the file, at most a second is lost', async () => {
    const dir = join(work, 'crash');
    const child = spawnBci(['record', '--subject', 'S09', '--mode', 'mi', '--duration', '60', '--data-dir', dir]);
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('recording to') && resolve()));
    const t0 = Date.now();
    const path = join(dir, 'sub-S09', 'ses-01', 'eeg', 'sub-S09_ses-01_task-rest_run-01_eeg.bdf');
    // event-driven: kill once three whole records are on disk (counted from the header's layout)
    const wholeRecords = (): number => wholeRecordsOnDisk(path);
    const deadline = Date.now() + 30_000;
    while (wholeRecords() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seenRecords = wholeRecords();
    child.kill('SIGKILL');
    const elapsedSec = (Date.now() - t0) / 1000;
    await new Promise((r) => child.on('exit', r));
    expect(seenRecords).toBeGreaterThanOrEqual(3);
    expect(readFileSync(path).subarray(236, 244).toString('latin1')).toBe('-1      ');
    // the next start of `bci record` finds it and completes it before recording anew
    const next = bciSync(['record', '--subject', 'S09', '--duration', '1', '--unpaced', '--data-dir', dir]);
    expect(next).toMatch(/recovered an unfinished recording: repaired .*run-01_eeg\.bdf: kept \d+ records/);
    expect(next).toMatch(/recording to .*run-02_eeg\.bdf/);
    const mne = runPython<MneView>(READ_WITH_MNE, [path, '1']);
    const keptSec = mne.n / mne.sfreq;
    // every whole second on disk when it was killed is kept (at most the one being written is lost)
    expect(keptSec).toBeGreaterThanOrEqual(seenRecords);
    expect(keptSec).toBeLessThanOrEqual(elapsedSec + 0.5);
    expect(mne.annotations.map((a) => a[2])).toContain('rest');
    expect(verifyRecording(path).ok).toBe(true);
    expect(existsSync(path.replace('_eeg.bdf', '_events.tsv'))).toBe(true);
  }, 120_000); // two `bci` processes and MNE: slow on a loaded machine

  it('stops with a clear message on a full disk and leaves a valid file', async () => {
    const mount = join(work, 'small');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=192k', 'tmpfs', mount]);
    mounts.push(mount);
    const engine = new Engine();
    await engine.connect({ board: 'synthetic', channelCount: 16, sampleRateHz: 500, paced: false, durationSec: 30 });
    const errors: string[] = [];
    engine.on('error', (m) => errors.push(m));
    await engine.startRecording({ session: { subject: 'S01' }, dataDir: mount });
    await engine.start();
    await engine.ended();
    await engine.stop();
    const result = await engine.stopRecording();
    await engine.dispose();
    expect(result.error).toMatch(/the disk is full: recording stopped; .* is complete up to the last whole second/);
    expect(errors.some((e) => /disk is full/.test(e))).toBe(true);
    expect(result.records).toBeGreaterThan(0);
    const mne = runPython<MneView>(READ_WITH_MNE, [result.path, '1']);
    expect(mne.n).toBe(result.records * 500);
  });

  it('annotates a pause (acquisition stopped and started while recording) and refuses a read-only folder', async () => {
    const engine = new Engine();
    await engine.connect({ board: 'synthetic', sampleRateHz: 250 });
    const { path } = await engine.startRecording({ session: { subject: 'S03' }, dataDir: join(work, 'pause') });
    await engine.start();
    await new Promise((r) => setTimeout(r, 1200));
    await engine.stop();
    await new Promise((r) => setTimeout(r, 700));
    await engine.start();
    await new Promise((r) => setTimeout(r, 1200));
    await engine.stop();
    await engine.stopRecording();
    const mne = runPython<MneView>(READ_WITH_MNE, [path, '1']);
    const labels = mne.annotations.map((a) => a[2]);
    expect(labels).toContain('acquisition paused');
    // the pause is at least the 700 ms slept (more on a loaded machine, never less)
    const resumed = labels.map((l) => /^acquisition resumed after a (\d+\.\d) s pause$/.exec(l)).find((m) => m !== null);
    expect(resumed, labels.join(' | ')).toBeDefined();
    expect(Number(resumed![1])).toBeGreaterThanOrEqual(0.7);
    const readOnly = join(work, 'readonly');
    mkdirSync(readOnly);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]);
    mounts.push(readOnly);
    await expect(engine.startRecording({ session: { subject: 'S03' }, dataDir: readOnly })).rejects.toThrow(/no permission to create .*: choose a folder you can write to/);
    await engine.dispose();
  });

  it('refuses a subject that is not a code, and a path that exists', async () => {
    const engine = new Engine();
    await engine.connect({ board: 'synthetic' });
    await expect(engine.startRecording({ session: { subject: 'John Smith' } })).rejects.toThrow(/subject code must be letters and digits only/);
    const existing = join(work, 'exists.bdf');
    writeFileSync(existing, 'x');
    await expect(engine.startRecording({ session: { subject: 'S01' }, path: existing })).rejects.toThrow(/already exists: recordings are never overwritten/);
    await engine.dispose();
  });
});

describe('recording, read back by EDFlib (EDFbrowser\'s library)', () => {
  const header = '/usr/include/edflib.h';
  const available = existsSync(header);
  if (!available && process.env.CI) throw new Error('EDFlib is missing: .ci/run must install libedf-dev');

  it.skipIf(!available).each(['bdf', 'edf'] as const)('EDFlib accepts the %s+ the workstation writes, with its annotations', async (format) => {
    const binary = join(work, 'edflib-check');
    if (!existsSync(binary)) execFileSync('cc', ['-O1', '-o', binary, join(root, 'tests/support/edflib-check.c'), '-ledf']);
    const result = await recordUnpaced(format, 12, join(work, `edflib-${format}`));
    const seen = JSON.parse(execFileSync(binary, [result.path], { encoding: 'utf8' })) as {
      filetype: number; signals: number; records: number; durationSec: number; patientcode: string; label0: string; rate0: number; first: number[]; annotations: [number, string][];
    };
    expect(seen.filetype).toBe(format === 'bdf' ? 3 : 1); // BDF+ / EDF+
    expect(seen.signals).toBe(8);
    expect(seen.records).toBe(12);
    expect(seen.durationSec).toBe(12);
    expect(seen.patientcode).toBe('S07');
    expect(seen.label0).toMatch(/^Fp1/);
    const truth = expected(1);
    expect(Math.abs(seen.first[0] - truth[0])).toBeLessThan(format === 'bdf' ? 0.02 : 0.06);
    expect(seen.annotations.map((a) => a[1])).toEqual(expect.arrayContaining(['rest', 'operator note']));
  });
});
