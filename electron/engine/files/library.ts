// The recordings library: the data folder's recordings, each with what an operator looks for
// (subject, session, task, run, date, duration, channels, events, checksum, finished or not), the
// sidecars beside it, a checksum check and a repair. Ours are described from their session file,
// their BDF/EDF header and their events.tsv (no data is read); another tool's recording is opened
// with the readers once and its description kept while its size and time stay the same. Hashing
// a whole file is streamed, so the engine keeps streaming while a 5 GB recording is verified.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EngineError } from '../../common/contract/failure.js';
import { LIBRARY_EXTENSIONS, type ChecksumState, type LibraryEntry, type LibraryListing, type SidecarText } from '../../common/contract/library.js';
import { EDF_FIXED_HEADER_BYTES, parseEdfHeader, parseEdfPrelude } from '../../common/formats/edf-header.js';
import { pseudoFileSystemOf } from '../recording/data-folder.js';
import { siblingPath } from '../recording/recording.js';
import { describeRepair, repairRecordingData, unfinishedReason, validChecksumFile, writeChecksumFile } from '../recording/repair.js';
import { openRecording } from './open-recording.js';

/** Folders below the data folder that are looked into (sub-XX/ses-YY/eeg is three). */
const MAX_DEPTH = 6;
/** Recordings listed at most (a note says when there are more). */
const MAX_ENTRIES = 5000;
/** Sidecar text shown at most, per file. */
const MAX_SIDECAR_BYTES = 64 * 1024;
/** The sidecars of ours, by suffix (siblingPath). */
const SIDECAR_SUFFIXES = ['session.json', 'channels.tsv', 'electrodes.tsv', 'events.tsv', 'eeg.json'] as const;

const extensionOf = (path: string): string => extname(path).slice(1).toLowerCase();
const isLibraryFile = (name: string): boolean => (LIBRARY_EXTENSIONS as readonly string[]).includes(extensionOf(name)) && !name.startsWith('.');

/** What the library reads from a recording (the rest of an entry comes from the file system). */
type Described = Pick<LibraryEntry, 'subject' | 'session' | 'task' | 'run' | 'mode' | 'protocolId' | 'startTime' | 'durationSec' | 'channels' | 'sampleRateHz' | 'events' | 'format' | 'problem'>;

interface Stamped<T> {
  readonly size: number;
  readonly mtimeMs: number;
  readonly value: T;
}

const NOTHING: Omit<Described, 'format'> = { subject: null, session: null, task: null, run: null, mode: null, protocolId: null, startTime: null, durationSec: null, channels: null, sampleRateHz: null, events: null, problem: null };

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** A recording's path as a request names it: absolute, an existing regular file the library lists. */
async function checkedPath(path: string): Promise<{ path: string; size: number; mtimeMs: number }> {
  if (!isAbsolute(path)) throw new EngineError('invalid-request', `${path} is not an absolute path: pick the recording from the library`);
  const absolute = resolve(path);
  if (!isLibraryFile(basename(absolute))) throw new EngineError('invalid-request', `${basename(absolute)} is not a recording the library handles (${LIBRARY_EXTENSIONS.map((e) => `.${e}`).join(', ')})`);
  if (pseudoFileSystemOf(absolute)) throw new EngineError('invalid-request', `${absolute} is on a kernel pseudo file system, not a recording`);
  let st;
  try {
    st = await stat(absolute);
  } catch {
    throw new EngineError('invalid-request', `${absolute} does not exist (any more): refresh the library`);
  }
  if (!st.isFile()) throw new EngineError('invalid-request', `${absolute} is not a regular file`);
  return { path: absolute, size: st.size, mtimeMs: st.mtimeMs };
}

/** SHA-256 of a file, read in a stream (the event loop runs between chunks). */
export async function sha256OfFileStreamed(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The count of data rows in a TSV file (lines after the header that are not empty). */
async function tsvRows(path: string): Promise<number | null> {
  try {
    const text = await readFile(path, 'utf8');
    let rows = 0;
    let start = text.indexOf('\n') + 1;
    if (start === 0) return 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start && text.slice(start, end).trim() !== '') rows++;
      start = end + 1;
    }
    return rows;
  } catch {
    return null;
  }
}

/** Ours: the session file, the BDF/EDF header (no data read) and events.tsv. */
async function describeOurs(path: string, size: number): Promise<Described> {
  const format = extensionOf(path);
  let session: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(await readFile(siblingPath(path, 'session.json'), 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object') session = parsed as Record<string, unknown>;
  } catch {
    // a damaged session file: the header still describes the data
  }
  // the run is in the file name when the engine chose it (the next free one)
  const run = Number(session.run ?? /_run-(\d+)_/.exec(basename(path))?.[1]);
  const base: Described = {
    ...NOTHING,
    format,
    subject: stringOrNull(session.subject),
    session: stringOrNull(session.session),
    task: stringOrNull(session.task),
    run: Number.isInteger(run) && run > 0 ? run : null,
    mode: stringOrNull(session.mode),
    protocolId: stringOrNull(session.protocolId),
    startTime: stringOrNull(session.startTime),
    events: await tsvRows(siblingPath(path, 'events.tsv')),
  };
  try {
    return { ...base, ...(await describeEdfHeader(path, size)) };
  } catch (error) {
    return { ...base, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Channels, rate and duration from a BDF/EDF header alone. */
async function describeEdfHeader(path: string, size: number): Promise<Pick<Described, 'channels' | 'sampleRateHz' | 'durationSec'>> {
  const handle = await open(path, 'r');
  try {
    const fixed = new Uint8Array(EDF_FIXED_HEADER_BYTES);
    await handle.read(fixed, 0, fixed.length, 0);
    const { headerBytes } = parseEdfPrelude(fixed, size);
    const bytes = new Uint8Array(headerBytes);
    await handle.read(bytes, 0, headerBytes, 0);
    const header = parseEdfHeader(bytes, size);
    const data = header.signals.filter((s) => !s.isAnnotations);
    return {
      channels: data.length,
      sampleRateHz: data.length > 0 && header.recordDurationSec > 0 ? data[0].samplesPerRecord / header.recordDurationSec : null,
      durationSec: header.records * header.recordDurationSec,
    };
  } finally {
    await handle.close();
  }
}

/** Another tool's recording: opened with the readers (their header and events). */
async function describeForeign(path: string): Promise<Described> {
  const format = extensionOf(path);
  try {
    const reader = await openRecording(path);
    try {
      const info = reader.info;
      return {
        ...NOTHING,
        format: info.format,
        startTime: info.startTime ? info.startTime.toISOString() : null,
        durationSec: info.durationSec,
        channels: info.channels.length,
        sampleRateHz: info.sampleRateHz,
        events: info.events.length,
      };
    } finally {
      await reader.close();
    }
  } catch (error) {
    return { ...NOTHING, format, problem: error instanceof Error ? error.message : String(error) };
  }
}

export class RecordingsLibrary {
  private readonly described = new Map<string, Stamped<Described>>();
  private readonly verified = new Map<string, Stamped<{ state: ChecksumState; detail: string | null }>>();

  /**
   * The data folder's recordings, newest first. `activePath` is the file this engine is writing
   * (shown as recording, never as unfinished).
   */
  async list(dataDir: string, activePath?: string): Promise<LibraryListing> {
    const root = resolve(dataDir);
    const notes: string[] = [];
    const pseudo = pseudoFileSystemOf(root);
    if (pseudo) throw new EngineError('invalid-request', `${root} is on the ${pseudo} pseudo file system (kernel information, not storage): choose the data folder on a disk`);
    let rootStat;
    try {
      rootStat = await stat(root);
    } catch {
      return { dataDir: root, entries: [], notes: [`the data folder ${root} does not exist yet: recordings made here will be listed`] };
    }
    if (!rootStat.isDirectory()) throw new EngineError('invalid-request', `${root} is not a folder: choose the data folder`);
    const files: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (files.length >= MAX_ENTRIES) return;
      let names;
      try {
        names = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        notes.push(`${dir} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): its recordings are not listed`);
        return;
      }
      names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of names) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (depth < MAX_DEPTH) await walk(path, depth + 1);
        } else if (entry.isFile() && isLibraryFile(entry.name)) {
          if (files.length >= MAX_ENTRIES) {
            notes.push(`more than ${MAX_ENTRIES} recordings: the first ${MAX_ENTRIES} by folder are listed; open the others by path`);
            return;
          }
          files.push(path);
        }
      }
    };
    await walk(root, 0);
    const entries: LibraryEntry[] = [];
    for (const path of files) {
      try {
        entries.push(await this.entry(path, root, activePath));
      } catch (error) {
        notes.push(`${relative(root, path)} could not be described (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    entries.sort((a, b) => (b.startTime ?? b.modifiedAt).localeCompare(a.startTime ?? a.modifiedAt));
    return { dataDir: root, entries, notes };
  }

  /** One recording's entry (after a verify or a repair). */
  async entry(path: string, root: string, activePath?: string): Promise<LibraryEntry> {
    const st = await stat(path);
    const ours = /\.(bdf|edf)$/i.test(path) && (await exists(siblingPath(path, 'session.json')));
    const recordingNow = activePath !== undefined && resolve(activePath) === path;
    const described = await this.describe(path, st.size, st.mtimeMs, ours, recordingNow);
    const unfinished = recordingNow ? null : unfinishedReason(path);
    const checksum = recordingNow ? { state: 'missing' as const, detail: null } : this.checksumOf(path, st.size, st.mtimeMs);
    const state = recordingNow ? 'recording' : unfinished ? 'unfinished' : described.problem ? 'unreadable' : 'complete';
    return {
      path,
      relativePath: relative(root, path).split(sep).join('/'),
      format: described.format,
      sizeBytes: st.size,
      modifiedAt: new Date(st.mtimeMs).toISOString(),
      ours,
      subject: described.subject,
      session: described.session,
      task: described.task,
      run: described.run,
      mode: described.mode,
      protocolId: described.protocolId,
      startTime: described.startTime,
      durationSec: described.durationSec,
      channels: described.channels,
      sampleRateHz: described.sampleRateHz,
      events: described.events,
      checksum: checksum.state,
      state,
      problem: unfinished ?? described.problem ?? checksum.detail,
      sidecars: await this.sidecarPaths(path).then((paths) => paths.map((p) => basename(p))),
    };
  }

  private async describe(path: string, size: number, mtimeMs: number, ours: boolean, recordingNow: boolean): Promise<Described> {
    const cached = this.described.get(path);
    if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.value;
    // a recording being written grows: its header says -1, its description is its session's
    const value = ours ? await describeOurs(path, size) : recordingNow ? { ...NOTHING, format: extensionOf(path) } : await describeForeign(path);
    if (!recordingNow) this.described.set(path, { size, mtimeMs, value });
    return value;
  }

  private checksumOf(path: string, size: number, mtimeMs: number): { state: ChecksumState; detail: string | null } {
    const cached = this.verified.get(path);
    if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.value;
    return { state: validChecksumFile(`${path}.sha256`) ? 'unverified' : 'missing', detail: null };
  }

  /** Sidecars that exist beside a recording (ours by suffix; the checksum file; another tool's events.tsv). */
  private async sidecarPaths(path: string): Promise<string[]> {
    const candidates = /\.(bdf|edf)$/i.test(path) ? SIDECAR_SUFFIXES.map((s) => siblingPath(path, s)) : [path.replace(/\.[^.]+$/, '') + '_events.tsv'];
    if (/\.(vhdr|ahdr)$/i.test(path)) candidates.push(path.replace(/\.[^.]+$/, '.vmrk'));
    candidates.push(`${path}.sha256`);
    const found: string[] = [];
    for (const c of candidates) if (await exists(c)) found.push(c);
    return found;
  }

  /** Computes the checksum and compares it with the .sha256 file. */
  async verify(requestPath: string, root: string, activePath?: string): Promise<LibraryEntry> {
    const { path, size, mtimeMs } = await checkedPath(requestPath);
    if (activePath !== undefined && resolve(activePath) === path) throw new EngineError('invalid-request', `${basename(path)} is being recorded now: its checksum is written when the recording stops`);
    const sumPath = `${path}.sha256`;
    if (!validChecksumFile(sumPath)) {
      this.verified.set(path, { size, mtimeMs, value: { state: 'missing', detail: null } });
      throw new EngineError('invalid-request', `${basename(path)} has no checksum file (${basename(sumPath)}) to verify against${(await exists(siblingPath(path, 'session.json'))) ? ': repair it to complete it and write one' : ''}`);
    }
    const expected = (await readFile(sumPath, 'latin1')).trim().split(/\s+/)[0];
    const actual = await sha256OfFileStreamed(path);
    const value = actual === expected ? { state: 'verified' as const, detail: null } : { state: 'mismatch' as const, detail: `checksum mismatch: the file changed after it was recorded (expected ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…)` };
    this.verified.set(path, { size, mtimeMs, value });
    return this.entry(path, root, activePath);
  }

  /** The text of each sidecar (the first 64 KB of a larger one, said so). */
  async sidecars(requestPath: string): Promise<SidecarText[]> {
    const { path } = await checkedPath(requestPath);
    const out: SidecarText[] = [];
    for (const sidecar of await this.sidecarPaths(path)) {
      const handle = await open(sidecar, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, MAX_SIDECAR_BYTES);
        const bytes = Buffer.alloc(length);
        await handle.read(bytes, 0, length, 0);
        out.push({ name: basename(sidecar), text: bytes.toString('utf8'), truncated: size > length });
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  /** Completes an unfinished recording (as `bci repair`): one sentence, and its entry (null when it was removed). */
  async repair(requestPath: string, root: string, activePath?: string): Promise<{ message: string; entry: LibraryEntry | null }> {
    const { path } = await checkedPath(requestPath);
    if (activePath !== undefined && resolve(activePath) === path) throw new EngineError('invalid-request', `${basename(path)} is being recorded now: it is completed when the recording stops`);
    const reason = unfinishedReason(path);
    if (reason === null) return { message: `${basename(path)} is complete: nothing to repair`, entry: await this.entry(path, root, activePath) };
    let result;
    try {
      result = repairRecordingData(path);
    } catch (error) {
      throw new EngineError('io', `${basename(path)} could not be repaired (${error instanceof Error ? error.message : String(error)}): copy it aside and try \`bci repair\``);
    }
    this.described.delete(path);
    this.verified.delete(path);
    if (result.removed) return { message: describeRepair({ ...result, sha256: '' }), entry: null };
    const sha256 = await sha256OfFileStreamed(path);
    writeChecksumFile(path, sha256);
    const st = await stat(path);
    this.verified.set(path, { size: st.size, mtimeMs: st.mtimeMs, value: { state: 'verified', detail: null } });
    return { message: describeRepair({ ...result, sha256 }), entry: await this.entry(path, root, activePath) };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
