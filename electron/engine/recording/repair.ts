// Crash recovery for the workstation's own BDF+/EDF+ files: a file cut off by kill -9 or a power
// loss still says "-1" records (or a count that does not match its size). Repair keeps every whole
// data record (annotations included, since they live in the records), truncates a partial one,
// writes the true count into the header, refreshes the checksum and the sidecars that are written
// at stop (events.tsv, eeg.json). Also: find unfinished recordings under a data folder, and verify
// a file against its SHA-256.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { eventsTsv, type BidsEvent } from '../../common/formats/bids.js';
import { numberField } from '../../common/formats/edf-writer.js';
import { reservePath, siblingPath, writeFileAtomic } from './recording.js';
import { pseudoFileSystemOf } from './data-folder.js';

export interface RepairResult {
  readonly path: string;
  /** False when the file was already complete. */
  readonly repaired: boolean;
  /** The recording was cut off before its first whole second: nothing to keep, its files were removed. */
  readonly removed?: boolean;
  readonly recordsKept: number;
  readonly durationSec: number;
  readonly bytesDropped: number;
  readonly sha256: string;
  readonly events: number;
}

interface EdfLayoutOnDisk {
  readonly variant: 'bdf' | 'edf';
  readonly headerBytes: number;
  readonly declaredRecords: number;
  readonly recordSec: number;
  readonly recordBytes: number;
  readonly signals: { label: string; samples: number }[];
  readonly annotationSignal: number;
}

function text(bytes: Uint8Array, from: number, length: number): string {
  let s = '';
  for (let i = from; i < from + length; i++) s += String.fromCharCode(bytes[i]);
  return s.trim();
}

function readLayout(fd: number, path: string): EdfLayoutOnDisk {
  const fixed = new Uint8Array(256);
  if (readSync(fd, fixed, 0, 256, 0) < 256) throw new Error(`${path} is shorter than an EDF header: nothing to recover`);
  const bdf = fixed[0] === 0xff && text(fixed, 1, 7) === 'BIOSEMI';
  if (!bdf && text(fixed, 0, 8) !== '0') throw new Error(`${path} is not a BDF or EDF file`);
  const headerBytes = Number(text(fixed, 184, 8));
  const declaredRecords = Number(text(fixed, 236, 8));
  const recordSec = Number(text(fixed, 244, 8));
  const ns = Number(text(fixed, 252, 4));
  if (!Number.isInteger(ns) || ns < 1 || ns > 4096 || headerBytes !== 256 * (ns + 1) || !(recordSec > 0)) {
    throw new Error(`${path} has a damaged header (signals ${ns}, header bytes ${headerBytes}): it cannot be repaired automatically`);
  }
  const header = new Uint8Array(headerBytes);
  if (readSync(fd, header, 0, headerBytes, 0) < headerBytes) throw new Error(`${path} is cut off inside its header: nothing to recover`);
  const signals: { label: string; samples: number }[] = [];
  const sprAt = 256 + ns * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
  for (let i = 0; i < ns; i++) signals.push({ label: text(header, 256 + i * 16, 16), samples: Number(text(header, sprAt + i * 8, 8)) });
  if (signals.some((s) => !Number.isInteger(s.samples) || s.samples < 1)) throw new Error(`${path} has a damaged samples-per-record field`);
  const bytesPerSample = bdf ? 3 : 2;
  return {
    variant: bdf ? 'bdf' : 'edf',
    headerBytes,
    declaredRecords,
    recordSec,
    recordBytes: bytesPerSample * signals.reduce((a, s) => a + s.samples, 0),
    signals,
    annotationSignal: signals.findIndex((s) => /^(EDF|BDF) Annotations$/.test(s.label)),
  };
}

/** Annotations (TALs) of every record, without the time-keeping entries. */
function readAnnotations(fd: number, layout: EdfLayoutOnDisk, records: number): { onsetSec: number; durationSec: number; label: string }[] {
  if (layout.annotationSignal < 0) return [];
  const bps = layout.variant === 'bdf' ? 3 : 2;
  let offsetInRecord = 0;
  for (let i = 0; i < layout.annotationSignal; i++) offsetInRecord += layout.signals[i].samples * bps;
  const length = layout.signals[layout.annotationSignal].samples * bps;
  const buf = new Uint8Array(length);
  const decoder = new TextDecoder();
  const out: { onsetSec: number; durationSec: number; label: string }[] = [];
  for (let r = 0; r < records; r++) {
    readSync(fd, buf, 0, length, layout.headerBytes + r * layout.recordBytes + offsetInRecord);
    let start = 0;
    for (let i = 0; i < length; i++) {
      if (buf[i] !== 0) continue;
      if (i > start) {
        const tal = decoder.decode(buf.subarray(start, i));
        const [head, ...texts] = tal.split('\x14');
        const [onset, duration] = head.split('\x15');
        for (const label of texts.filter((t) => t.length > 0)) out.push({ onsetSec: Number(onset), durationSec: Number(duration ?? 0) || 0, label });
      }
      start = i + 1;
    }
  }
  return out;
}

export function sha256OfFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = new Uint8Array(1 << 20);
    for (let at = 0; ; ) {
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n <= 0) break;
      hash.update(chunk.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The files of one recording of ours (beside its data file). */
function recordingFiles(path: string): string[] {
  return [path, `${path}.sha256`, reservePath(path), ...['session.json', 'channels.tsv', 'electrodes.tsv', 'coordsystem.json', 'events.tsv', 'eeg.json'].map((s) => siblingPath(path, s))];
}

/** A recording of ours: its session file is beside it (written at start). */
function isOurRecording(path: string): boolean {
  return existsSync(siblingPath(path, 'session.json'));
}

/** Whether a recording was cut off before its first whole second (shorter than its header and one record). */
function holdsNoRecord(path: string): boolean {
  const size = statSync(path).size;
  if (size < 256) return true;
  const fd = openSync(path, 'r');
  try {
    const layout = readLayout(fd, path);
    return size < layout.headerBytes + layout.recordBytes;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

export function repairRecording(path: string): RepairResult {
  const result = repairRecordingData(path);
  if (result.removed) return { ...result, sha256: '' };
  const sha256 = sha256OfFile(path);
  writeChecksumFile(path, sha256);
  return { ...result, sha256 };
}

/** Writes `FILE.sha256` (sha256sum's format) whole or not at all. */
export function writeChecksumFile(path: string, sha256: string): void {
  writeFileAtomic(`${path}.sha256`, `${sha256}  ${basename(path)}\n`);
}

/**
 * The repair without its checksum: the header, the truncation and the sidecars (quick), for a host
 * that hashes the whole file without blocking (the engine, while a board streams). The caller writes
 * the checksum with writeChecksumFile (unless the recording was removed).
 */
export function repairRecordingData(path: string): Omit<RepairResult, 'sha256'> {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  // killed in its first second: no whole record to keep; a recording of ours goes (it would take its run number)
  if (isOurRecording(path) && holdsNoRecord(path)) {
    const size = statSync(path).size;
    for (const file of recordingFiles(path)) rmSync(file, { force: true });
    return { path, repaired: true, removed: true, recordsKept: 0, durationSec: 0, bytesDropped: size, events: 0 };
  }
  rmSync(reservePath(path), { force: true });
  const fd = openSync(path, 'r+');
  let result: Omit<RepairResult, 'sha256'>;
  try {
    const layout = readLayout(fd, path);
    const size = fstatSync(fd).size;
    const whole = Math.max(0, Math.floor((size - layout.headerBytes) / layout.recordBytes));
    const end = layout.headerBytes + whole * layout.recordBytes;
    const complete = layout.declaredRecords === whole && size === end;
    if (!complete) {
      ftruncateSync(fd, end);
      const count = Buffer.from(numberField(whole), 'latin1');
      writeSync(fd, count, 0, 8, 236);
      fsyncSync(fd);
    }
    const annotations = readAnnotations(fd, layout, whole);
    result = { path, repaired: !complete, recordsKept: whole, durationSec: whole * layout.recordSec, bytesDropped: size - end, events: annotations.length };
    if (!complete) {
      // the sidecars a crash prevented: events from the file's own annotations, eeg.json completed
      const rateOf = layout.signals[0]?.samples / layout.recordSec;
      const events: BidsEvent[] = annotations.map((a) => ({ onsetSec: a.onsetSec, durationSec: a.durationSec, trialType: a.label.startsWith('gap') ? 'gap' : 'annotation', value: a.label, sample: Math.round(a.onsetSec * rateOf) }));
      writeFileAtomic(siblingPath(path, 'events.tsv'), eventsTsv(events));
      const eegJsonPath = siblingPath(path, 'eeg.json');
      const sessionPath = siblingPath(path, 'session.json');
      if (existsSync(sessionPath)) {
        const existing = existsSync(eegJsonPath) ? (JSON.parse(readFileSync(eegJsonPath, 'utf8')) as Record<string, unknown>) : {};
        const session = JSON.parse(readFileSync(sessionPath, 'utf8')) as { task?: string };
        writeFileAtomic(eegJsonPath, JSON.stringify({ TaskName: session.task ?? 'n/a', SamplingFrequency: rateOf, ...existing, RecordingDuration: whole * layout.recordSec, RecoveredAfterInterruption: true }, null, 2) + '\n');
      }
    }
  } finally {
    closeSync(fd);
  }
  return result;
}

/**
 * Recordings under a folder whose header still says "-1" records (cut off before they were
 * closed), those of ours cut off before their header was complete, and those of ours whose
 * checksum is missing or empty (the disk filled up at stop).
 */
/**
 * Why a BDF/EDF file is an unfinished recording (what \`bci repair\` completes), or null: its header
 * still says "-1" records, it is one of ours shorter than its header and a record, or one of ours
 * without a valid checksum file.
 */
export function unfinishedReason(path: string): string | null {
  if (!/\.(bdf|edf)$/i.test(path) || !existsSync(path)) return null;
  const st = statSync(path);
  if (!st.isFile()) return null;
  if (st.size >= 256 && headerSaysUnfinished(path)) return 'its header still says -1 records: it was cut off before it was closed';
  // closed (a recording stopped before its first sample holds no record, and is complete)
  if (!isOurRecording(path) || validChecksumFile(`${path}.sha256`)) return null;
  if (st.size < 256 || holdsNoRecord(path)) return 'it holds less than its header and one record: it was cut off in its first second';
  return 'its .sha256 checksum file is missing or empty: it was not closed';
}

export function findUnfinishedRecordings(dataDir: string): string[] {
  const found: string[] = [];
  // a kernel pseudo file system holds no recordings (and walking /proc may never end)
  if (pseudoFileSystemOf(dataDir)) return found;
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path, depth + 1);
      else if (!/\.(bdf|edf)$/i.test(name)) continue;
      else if (st.size < 256 || !validChecksumFile(`${path}.sha256`)) {
        if (isOurRecording(path)) found.push(path);
        else if (st.size >= 256 && headerSaysUnfinished(path)) found.push(path);
      } else if (headerSaysUnfinished(path)) found.push(path);
    }
  };
  walk(dataDir, 0);
  return found;
}

export function validChecksumFile(path: string): boolean {
  try {
    return /^[0-9a-f]{64}\s/.test(readFileSync(path, 'latin1'));
  } catch {
    return false;
  }
}

function headerSaysUnfinished(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(256);
    readSync(fd, head, 0, 256, 0);
    return text(head, 236, 8) === '-1';
  } finally {
    closeSync(fd);
  }
}

export type VerifyResult = { ok: true; sha256: string } | { ok: false; reason: string };

export function verifyRecording(path: string): VerifyResult {
  if (!existsSync(path)) return { ok: false, reason: `${path} does not exist` };
  const sumPath = `${path}.sha256`;
  if (!existsSync(sumPath)) return { ok: false, reason: `${sumPath} is missing: the checksum is written when a recording is stopped (or repaired)` };
  const expected = readFileSync(sumPath, 'utf8').trim().split(/\s+/)[0];
  if (!/^[0-9a-f]{64}$/.test(expected)) return { ok: false, reason: `${sumPath} does not hold a SHA-256` };
  const actual = sha256OfFile(path);
  return actual === expected ? { ok: true, sha256: actual } : { ok: false, reason: `checksum mismatch: the file changed after it was recorded (expected ${expected}, found ${actual})` };
}

/** One line about a repair, for every host (CLI, status notices). */
export function describeRepair(r: RepairResult): string {
  if (r.removed) return `removed ${r.path} and its sidecars: it was cut off before its first whole second (${r.bytesDropped} bytes, no data to keep)`;
  return r.repaired
    ? `repaired ${r.path}: kept ${r.recordsKept} records (${r.durationSec.toFixed(0)} s) and ${r.events} annotations; dropped ${r.bytesDropped} bytes of an unfinished record`
    : `${r.path} was already complete (${r.recordsKept} records, ${r.durationSec.toFixed(0)} s)`;
}

/** Completes every unfinished recording under the data folder (run at each start of a host). */
export function recoverUnfinished(dataDir: string): { recovered: RepairResult[]; failed: { path: string; reason: string }[] } {
  const recovered: RepairResult[] = [];
  const failed: { path: string; reason: string }[] = [];
  for (const path of findUnfinishedRecordings(dataDir)) {
    try {
      recovered.push(repairRecording(path));
    } catch (error) {
      failed.push({ path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { recovered, failed };
}
