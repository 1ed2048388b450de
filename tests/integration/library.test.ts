// The recordings library through the engine: a data folder with two real recordings of ours, one
// cut off (header back to -1, no checksum), another tool's EDF+, a file that is no recording and a
// hidden one. Each is listed as an operator needs it; verify finds a changed byte; repair completes
// the cut-off one; the recording being written is shown as such and cannot be repaired.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { siblingPath } from '../../electron/engine/recording/recording.js';
import { tempDir } from '../support/tmp.js';
import { edfBytes, tal } from '../support/format-builders.js';
import type { LibraryEntry } from '../../electron/common/contract/library.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

async function record(e: Engine, dataDir: string, task: string, seconds: number): Promise<string> {
  await e.connect({ board: 'synthetic', channelCount: 8, sampleRateHz: 250, paced: false, durationSec: seconds, seed: 1 });
  const { path } = await e.startRecording({ session: { subject: 'S07', session: '02', task, consentObtained: true }, dataDir });
  await e.start();
  await e.ended();
  await e.stop();
  await e.stopRecording();
  await e.disconnect();
  return path;
}

const byName = (entries: readonly LibraryEntry[], name: string): LibraryEntry => {
  const found = entries.find((e) => basename(e.path) === name);
  if (!found) throw new Error(`${name} not listed: ${entries.map((e) => e.relativePath).join(', ')}`);
  return found;
};

describe('recordings library', () => {
  it('lists, verifies, shows the sidecars of and repairs the data folder’s recordings', async () => {
    const dataDir = tempDir('bci-library-');
    engine = new Engine();
    const rest = await record(engine, dataDir, 'rest', 3);
    const cut = await record(engine, dataDir, 'motor', 2);
    // cut off: the header says -1 records again and the checksum is gone, as after a power loss
    const fd = openSync(cut, 'r+');
    writeSync(fd, Buffer.from('-1      ', 'latin1'), 0, 8, 236);
    closeSync(fd);
    rmSync(`${cut}.sha256`);
    // another tool's EDF+ with two annotations, a text file and a hidden file
    const foreign = join(dataDir, 'imports', 'other-lab.edf');
    mkdirSync(join(dataDir, 'imports'));
    writeFileSync(
      foreign,
      edfBytes({
        variant: 'edf',
        reserved: 'EDF+C',
        records: 4,
        duration: 1,
        signals: [
          { label: 'EEG Fz', spr: 100, value: (r, i) => r * 100 + i },
          { label: 'EEG Cz', spr: 100 },
          { label: 'EDF Annotations', spr: 30, tal: (r) => (r === 1 ? tal(1, { onset: 1.5, texts: ['left'] }, { onset: 1.9, texts: ['right'] }) : tal(r)) },
        ],
      }),
    );
    writeFileSync(join(dataDir, 'imports', 'broken.bdf'), 'not a recording at all');
    writeFileSync(join(dataDir, 'imports', 'notes.txt'), 'not listed');
    writeFileSync(join(dataDir, '.hidden.edf'), 'not listed');

    const listing = await engine.listRecordings(dataDir);
    expect(listing.entries.map((e) => e.relativePath).sort()).toEqual(
      [`sub-S07/ses-02/eeg/${basename(cut)}`, `sub-S07/ses-02/eeg/${basename(rest)}`, 'imports/broken.bdf', 'imports/other-lab.edf'].sort(),
    );
    const ours = byName(listing.entries, basename(rest));
    expect(ours).toMatchObject({ ours: true, subject: 'S07', session: '02', task: 'rest', run: 1, mode: 'recording', channels: 8, sampleRateHz: 250, durationSec: 3, state: 'complete', checksum: 'unverified', problem: null, format: 'bdf' });
    expect(ours.events).toBe(readFileSync(siblingPath(rest, 'events.tsv'), 'utf8').trim().split('\n').length - 1);
    expect(ours.sidecars).toEqual(expect.arrayContaining([basename(siblingPath(rest, 'session.json')), basename(siblingPath(rest, 'events.tsv')), `${basename(rest)}.sha256`]));
    expect(Date.parse(ours.startTime ?? '')).toBeGreaterThan(0);
    const unfinished = byName(listing.entries, basename(cut));
    expect(unfinished.state).toBe('unfinished');
    expect(unfinished.checksum).toBe('missing');
    expect(unfinished.problem).toMatch(/-1 records/);
    expect(byName(listing.entries, 'other-lab.edf')).toMatchObject({ ours: false, subject: null, channels: 2, sampleRateHz: 100, durationSec: 4, events: 2, state: 'complete', checksum: 'missing' });
    const broken = byName(listing.entries, 'broken.bdf');
    expect(broken.state).toBe('unreadable');
    expect(broken.problem).toMatch(/broken\.bdf/);

    // verify: the checksum holds; one changed byte in the data is found
    expect((await engine.verifyRecording(rest, dataDir)).checksum).toBe('verified');
    expect(byName((await engine.listRecordings(dataDir)).entries, basename(rest)).checksum).toBe('verified');
    const tampered = join(dataDir, 'tampered_eeg.bdf');
    copyFileSync(rest, tampered);
    writeFileSync(`${tampered}.sha256`, readFileSync(`${rest}.sha256`, 'utf8'));
    const tfd = openSync(tampered, 'r+');
    writeSync(tfd, Buffer.from([0x55]), 0, 1, 4000);
    closeSync(tfd);
    const mismatch = await engine.verifyRecording(tampered, dataDir);
    expect(mismatch.checksum).toBe('mismatch');
    expect(mismatch.problem).toMatch(/changed after it was recorded/);
    await expect(engine.verifyRecording(foreign, dataDir)).rejects.toThrow(/no checksum file/);

    // the sidecars' text
    const sidecars = await engine.recordingSidecars(rest);
    const session = sidecars.find((s) => s.name.endsWith('_session.json'));
    expect(JSON.parse(session?.text ?? '{}')).toMatchObject({ subject: 'S07', task: 'rest' });
    expect(sidecars.every((s) => !s.truncated)).toBe(true);

    // repair: the cut-off recording is complete again, with a verified checksum and a notice
    const notices: string[] = [];
    engine.on('notice', (n) => notices.push(n));
    const repaired = await engine.repairRecording(cut, dataDir);
    expect(repaired.message).toMatch(/^repaired .*kept 2 records/);
    expect(repaired.entry).toMatchObject({ state: 'complete', checksum: 'verified', durationSec: 2 });
    expect(notices).toEqual([repaired.message]);
    expect((await engine.repairRecording(cut, dataDir)).message).toMatch(/is complete: nothing to repair/);

    // requests name a listed recording, as an absolute path
    await expect(engine.recordingSidecars('relative.bdf')).rejects.toThrow(/not an absolute path/);
    await expect(engine.recordingSidecars(join(dataDir, 'imports', 'notes.txt'))).rejects.toThrow(/not a recording the library handles/);
    await expect(engine.verifyRecording(join(dataDir, 'gone.bdf'), dataDir)).rejects.toThrow(/does not exist/);
  });

  it('shows the recording being written as recording, and refuses to repair or verify it', async () => {
    const dataDir = tempDir('bci-library-live-');
    engine = new Engine();
    await engine.connect({ board: 'synthetic', channelCount: 4, sampleRateHz: 250, paced: true });
    const { path } = await engine.startRecording({ session: { subject: 'S08', task: 'live' }, dataDir });
    await engine.start();
    for (let i = 0; i < 500 && engine.getStatus().rowsReceived < 100; i++) await new Promise((r) => setTimeout(r, 10));
    const entry = byName((await engine.listRecordings(dataDir)).entries, basename(path));
    expect(entry).toMatchObject({ state: 'recording', subject: 'S08', task: 'live', problem: null });
    await expect(engine.repairRecording(path, dataDir)).rejects.toThrow(/being recorded now/);
    await expect(engine.verifyRecording(path, dataDir)).rejects.toThrow(/being recorded now/);
    await engine.stop();
    await engine.stopRecording();
    const after = byName((await engine.listRecordings(dataDir)).entries, basename(path));
    expect(after.problem).toBeNull();
    expect(after.state).toBe('complete');
  });

  it('refuses to repair the recording being played', async () => {
    const dataDir = tempDir('bci-library-play-');
    engine = new Engine();
    const path = await record(engine, dataDir, 'play', 2);
    await engine.connect({ board: 'playback', file: path });
    await engine.start();
    await expect(engine.repairRecording(path, dataDir)).rejects.toThrow(/is being played now: close it/);
    await engine.stop();
    await engine.disconnect();
    expect((await engine.repairRecording(path, dataDir)).message).toMatch(/is complete: nothing to repair/);
  });

  it('says when the data folder does not exist yet, and refuses a kernel pseudo file system', async () => {
    engine = new Engine();
    const missing = join(tempDir('bci-library-none-'), 'not-yet');
    const listing = await engine.listRecordings(missing);
    expect(listing.entries).toEqual([]);
    expect(listing.notes[0]).toMatch(/does not exist yet/);
    await expect(engine.listRecordings('/proc')).rejects.toThrow(/pseudo file system/);
  });
});
