// The recorder while samples are lost, and where events land: lost rows (a device gap, a reader
// that falls behind, rows that never came before the stop) are zero-filled and annotated so time
// stays true; a marker after the last sample is placed at the end with its true time; a normal end
// is no "pause"; events.tsv lists exactly the file's annotations, each inside the recording, and
// the summary counts the same. Files are read back with the workstation's own EDF reader (MNE
// reads them in recording.test.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RingBuffer } from '../../electron/common/ring-buffer.js';
import { RecorderHost } from '../../electron/engine/recording/recorder-host.js';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { Engine } from '../../electron/engine/engine.js';
import type { RecordingEvent } from '../../electron/common/formats/recording.js';
import { spawnBci, bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { wholeRecordsOnDisk } from '../support/bdf-records.js';

const CHANNELS = 4;
const RATE = 100;
/** Never 0 (a zero-filled sample is told apart), within ±1000 µV. */
const valueOf = (index: number, channel: number): number => ((index * 7 + channel * 13) % 997) + 1;

function rowsFrom(first: number, count: number): Float64Array {
  const out = new Float64Array(count * CHANNELS);
  for (let r = 0; r < count; r++) for (let c = 0; c < CHANNELS; c++) out[r * CHANNELS + c] = valueOf(first + r, c);
  return out;
}

/** A BDF recorder on `ring`; what it says in error goes to `onError`. */
async function startRecorder(ring: RingBuffer, path: string, onError: (message: string) => void = () => undefined): Promise<RecorderHost> {
  return RecorderHost.start(
    ring,
    {
      firstSampleIndex: 0,
      path,
      variant: 'bdf',
      subjectCode: 'S01',
      technician: 'test',
      equipment: 'test',
      startTimeMs: Date.now(),
      sampleRateHz: RATE,
      signals: Array.from({ length: CHANNELS }, (_, c) => ({ label: `E${c}`, unit: 'uV', physicalMin: -1000, physicalMax: 1000 })),
      fsyncIntervalMs: 1000,
    },
    onError,
  );
}

async function readBack(path: string, rows: number): Promise<{ data: Float64Array; events: RecordingEvent[]; sampleCount: number }> {
  const file = await openRecording(path);
  try {
    const data = new Float64Array(rows * CHANNELS);
    expect(await file.readRows(0, rows, data)).toBe(rows);
    return { data, events: file.info.events, sampleCount: file.info.sampleCount };
  } finally {
    await file.close();
  }
}

/** Rows whose every channel is 0 (zero-filled) and rows that differ from the truth otherwise. */
function compare(data: Float64Array, rows: number): { zeroRows: number[]; wrong: number } {
  const zeroRows: number[] = [];
  let wrong = 0;
  for (let r = 0; r < rows; r++) {
    let zeros = 0;
    let off = 0;
    for (let c = 0; c < CHANNELS; c++) {
      const v = data[r * CHANNELS + c];
      if (Math.abs(v) < 1e-3) zeros++;
      else if (Math.abs(v - valueOf(r, c)) > 1e-3) off++;
    }
    if (zeros === CHANNELS) zeroRows.push(r);
    else if (zeros > 0 || off > 0) wrong++;
  }
  return { zeroRows, wrong };
}

function eventsTsv(dataPath: string): { onset: number; duration: number; type: string; value: string; sample: number }[] {
  const lines = readFileSync(dataPath.replace(/_eeg\.(bdf|edf)$/, '_events.tsv'), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('onset\tduration\ttrial_type\tvalue\tsample');
  return lines.slice(1).map((line) => {
    const [onset, duration, type, value, sample] = line.split('\t');
    return { onset: Number(onset), duration: Number(duration), type, value, sample: Number(sample) };
  });
}

describe('the recorder while samples are lost', () => {
  it('zero-fills a device gap and annotates it where it happened, keeping time true', async () => {
    const dir = tempDir('bci-rec-gap-');
    const ring = RingBuffer.create({ channelCount: CHANNELS, capacityRows: 1024, maxReaders: 2 });
    const host = await startRecorder(ring, join(dir, 'gap.bdf'));
    ring.write(rowsFrom(0, 250), 250, 0, 0);
    ring.write(rowsFrom(300, 150), 150, 300, 0); // samples 250..299 never came
    const summary = await host.stop(450);
    expect(summary.error).toBeNull();
    expect(summary.rowsWritten).toBe(450);
    expect(summary.lostRows).toBe(50);
    expect(summary.durationSec).toBe(4.5);
    const { data, events } = await readBack(summary.path, 450);
    const { zeroRows, wrong } = compare(data, 450);
    expect(wrong).toBe(0);
    expect(zeroRows).toEqual(Array.from({ length: 50 }, (_, k) => 250 + k));
    expect(events).toContainEqual({ onsetSec: 2.5, durationSec: 0.5, label: 'gap: 50 samples lost' });
    expect(events).toContainEqual({ onsetSec: 4.5, durationSec: 0, label: 'recording end' });
    expect(summary.ownAnnotations).toEqual([
      { onsetSec: 2.5, durationSec: 0.5, label: 'gap: 50 samples lost' },
      { onsetSec: 4.5, durationSec: 0, label: 'recording end' },
    ]);
  });

  it('zero-fills and annotates every row it lost by falling behind the producer, and no other', async () => {
    const dir = tempDir('bci-rec-overflow-');
    // 8 rows of buffer against 50 000 rows written as fast as the producer can: the recorder
    // cannot keep up (the counts are the machine's; the invariants are not)
    const ring = RingBuffer.create({ channelCount: CHANNELS, capacityRows: 8, maxReaders: 2 });
    const host = await startRecorder(ring, join(dir, 'overflow.bdf'));
    const total = 50_000;
    const one = new Float64Array(CHANNELS);
    for (let i = 0; i < total; i++) {
      for (let c = 0; c < CHANNELS; c++) one[c] = valueOf(i, c);
      ring.write(one, 1, i, 0);
    }
    const summary = await host.stop(total);
    expect(summary.error).toBeNull();
    expect(summary.rowsWritten).toBe(total);
    expect(summary.lostRows).toBeGreaterThan(0);
    const { data, events } = await readBack(summary.path, total);
    const { zeroRows, wrong } = compare(data, total);
    expect(wrong).toBe(0);
    expect(zeroRows.length).toBe(summary.lostRows);
    // the gap annotations cover exactly the zero-filled rows
    const gaps = events.filter((e) => e.label.startsWith('gap: '));
    const covered = new Set<number>();
    for (const gap of gaps) {
      const first = Math.round(gap.onsetSec * RATE);
      const count = Math.round(gap.durationSec * RATE);
      expect(gap.label).toBe(`gap: ${count} samples lost`);
      for (let k = 0; k < count; k++) covered.add(first + k);
    }
    expect([...covered].sort((a, b) => a - b)).toEqual(zeroRows);
  });

  it('zero-fills rows the engine counted but that never reached it before the stop, instead of waiting for them', async () => {
    const dir = tempDir('bci-rec-tail-');
    const ring = RingBuffer.create({ channelCount: CHANNELS, capacityRows: 1024, maxReaders: 2 });
    const host = await startRecorder(ring, join(dir, 'tail.bdf'));
    ring.write(rowsFrom(0, 120), 120, 0, 0);
    // a device gap at the very end: the engine's sample count moved on to 180, no row followed
    const summary = await host.stop(180);
    expect(summary.rowsWritten).toBe(180);
    expect(summary.lostRows).toBe(60);
    const { data, events } = await readBack(summary.path, 180);
    expect(compare(data, 180)).toEqual({ zeroRows: Array.from({ length: 60 }, (_, k) => 120 + k), wrong: 0 });
    expect(events).toContainEqual({ onsetSec: 1.2, durationSec: 0.6, label: 'gap: 60 samples lost' });
  });
});

describe('annotations that arrive after their records are written', () => {
  it('go into the last record, then into the free space of the records before it: none is left out of the file', async () => {
    const dir = tempDir('bci-rec-late-notes-');
    const ring = RingBuffer.create({ channelCount: CHANNELS, capacityRows: 1024, maxReaders: 2 });
    const errors: string[] = [];
    const host = await startRecorder(ring, join(dir, 'late-notes.bdf'), (m) => errors.push(m));
    ring.write(rowsFrom(0, 350), 350, 0, 0);
    // the rows ran ahead (an unpaced board on a loaded machine): three whole records are on disk
    // before the markers of their first second arrive, 12 of them, more than one record's area holds
    const deadline = Date.now() + 10_000;
    while (wholeRecordsOnDisk(join(dir, 'late-notes.bdf')) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(wholeRecordsOnDisk(join(dir, 'late-notes.bdf'))).toBe(3);
    const labels = Array.from({ length: 12 }, (_, k) => `late marker ${String(k).padStart(2, '0')}: the operator's note`);
    labels.forEach((label, k) => host.annotate(10 + k, 0, label));
    const summary = await host.stop(350);
    expect(summary.error).toBeNull();
    expect(errors).toEqual([]);
    const { events } = await readBack(summary.path, 350);
    for (const [k, label] of labels.entries()) expect(events).toContainEqual({ onsetSec: (10 + k) / RATE, durationSec: 0, label });
    expect(events).toContainEqual({ onsetSec: 3.5, durationSec: 0, label: 'recording end' });
  });
});

describe('an annotation too long for any record', () => {
  it('is said at once and kept in events.tsv, and holds up none after it', async () => {
    const dir = tempDir('bci-rec-long-note-');
    const ring = RingBuffer.create({ channelCount: CHANNELS, capacityRows: 1024, maxReaders: 2 });
    const errors: string[] = [];
    const host = await startRecorder(ring, join(dir, 'long-note.bdf'), (m) => errors.push(m));
    // 100 characters the command allows, 300 bytes of UTF-8: more than a record's 240-byte area
    const long = '脑'.repeat(100);
    host.annotate(210, 0, long);
    host.annotate(220, 0, 'after the long one');
    host.annotate(250, 0, 'in the same record');
    // the first record on disk (the markers, sent before, are in by then), then the rest
    ring.write(rowsFrom(0, 150), 150, 0, 0);
    const path = join(dir, 'long-note.bdf');
    let deadline = Date.now() + 10_000;
    while (wholeRecordsOnDisk(path) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    ring.write(rowsFrom(150, 200), 200, 150, 0);
    // said when its record is written, while the recording goes on (not a fault that stopped it)
    deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
    expect(host.error).toBeNull();
    const summary = await host.stop(350);
    expect(summary.error).toBeNull();
    expect(errors).toEqual([expect.stringMatching(/^an annotation is too long for the file \("脑{40}…": a label of 300 bytes of UTF-8, with its time over the 226 bytes a record holds\), so only in events\.tsv: keep labels shorter$/)]);
    const { events } = await readBack(summary.path, 350);
    expect(events.map((e) => e.label)).toEqual(['after the long one', 'in the same record', 'recording end']);
  });
});

describe('events in a recording and its sidecars', () => {
  it('places a marker stamped after the last sample at the end, with its true time; every event lies inside the recording', async () => {
    const engine = new Engine();
    try {
      await engine.connect({ board: 'synthetic', channelCount: 4, sampleRateHz: 250, mode: 'mi', seed: 5, paced: false, durationSec: 3.5 });
      await engine.startRecording({ session: { subject: 'S05', task: 'late' }, dataDir: tempDir('bci-rec-late-') });
      await engine.start();
      await engine.ended();
      await engine.stop();
      // a marker whose host time maps to sample 3240, 9.5 s after the last one (875 samples, 3.5 s)
      const late = engine.addMarker('late press', engine.sampleTimeMs(3240));
      expect(late.sampleIndex).toBe(3240);
      const result = await engine.stopRecording();
      expect(result.rowsWritten).toBe(875);
      const events = eventsTsv(result.path);
      expect(events.length).toBe(result.annotations);
      expect(result.events).toBe(result.annotations);
      for (const e of events) {
        expect(e.onset, e.value).toBeGreaterThanOrEqual(0);
        expect(e.onset + e.duration, e.value).toBeLessThanOrEqual(3.5);
        expect(e.sample, e.value).toBe(Math.round(e.onset * 250));
      }
      expect(events).toContainEqual({ onset: 3.5, duration: 0, type: 'marker', value: 'late press (at 12.96 s, after the last sample)', sample: 875 });
      expect(events).toContainEqual({ onset: 3.5, duration: 0, type: 'end', value: 'recording end', sample: 875 });
      // a normal end is not a pause
      expect(events.map((e) => e.value)).not.toContain('acquisition paused');
      // the file holds the same annotations, at the same places
      const file = await openRecording(result.path);
      const inFile = file.info.events.map((e) => [Number(e.onsetSec.toFixed(4)), Number(e.durationSec.toFixed(4)), e.label]);
      await file.close();
      const inTsv = events.map((e) => [e.onset, e.duration, e.value]);
      const order = (a: (string | number)[], b: (string | number)[]) => String(a).localeCompare(String(b));
      expect(inFile.sort(order)).toEqual(inTsv.sort(order));
    } finally {
      await engine.dispose();
    }
  });

  it('`bci record`: a normal end and a Ctrl-C both leave events.tsv with exactly the annotations the summary counts, and no pause', async () => {
    const dir = tempDir('bci-rec-cli-');
    const normal = await bci(['record', '--subject', 'S11', '--mode', 'mi', '--duration', '2.5', '--unpaced', '--data-dir', dir]);
    expect(normal.code, normal.stderr).toBe(0);
    const check = (stdout: string) => {
      const path = /recorded .* to (\S+)/.exec(stdout)![1];
      const counted = Number(/annotations\s+(\d+)/.exec(stdout)![1]);
      const events = eventsTsv(path);
      expect(events.length).toBe(counted);
      expect(events.map((e) => e.value)).not.toContain('acquisition paused');
      return events;
    };
    expect(check(normal.stdout).map((e) => e.value)).toContain('recording end');
    const child = spawnBci(['record', '--subject', 'S12', '--mode', 'mi', '--duration', '60', '--data-dir', dir]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // interrupt once a second of data is on disk (the status line is not printed: wait for the file to grow)
    await new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('recording to') && resolve()));
    const path = /recording to (\S+)/.exec(out)![1];
    const deadline = Date.now() + 20_000;
    const hasRecord = () => {
      const bytes = readFileSync(path);
      return bytes.length > 256 && bytes.length > Number(bytes.subarray(184, 192).toString('latin1'));
    };
    while (!hasRecord() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('stopped by Ctrl-C');
    check(out);
  });
});
