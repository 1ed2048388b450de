// A recording in progress: picks the BIDS name (never overwriting), writes the session file and
// channels.tsv at the start, runs the recorder worker, collects markers as events, and at stop
// writes events.tsv, eeg.json and the data file's SHA-256. events.tsv lists exactly the file's
// annotations: the events sent into the file, placed as the recorder placed them (one after the
// last sample at the end, with its true time), and the annotations the recorder made itself
// (gaps, clipping, the end).

import { EngineError } from '../../common/contract/failure.js';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import type { RingBuffer } from '../../common/ring-buffer.js';
import { bidsFolder, bidsStem, channelsTsv, coordsystemJson, eegJson, electrodesTsv, eventsTsv, type BidsEvent } from '../../common/formats/bids.js';
import { headerLabel, type Montage } from '../../common/contract/montage.js';
import { placeEvent } from '../../common/formats/recording-events.js';
import type { RecordingOptions } from '../../common/contract/session.js';
import type { EthicsCheck } from '../../common/contract/ethics.js';
import type { RecorderSummary } from '../../common/contract/recorder-messages.js';
import { RecorderHost } from './recorder-host.js';
import { ensureRecordingFolder } from './data-folder.js';

/**
 * Bytes kept free beside a recording while it runs (a hidden file, deleted at stop): the sidecars
 * and the checksum written at stop still fit when the data filled the disk.
 */
export const SIDECAR_RESERVE_BYTES = 64 * 1024;

/** The reserve file beside a data file (see SIDECAR_RESERVE_BYTES). */
export function reservePath(dataPath: string): string {
  return join(dirname(dataPath), `.${basename(dataPath)}.reserve`);
}

/** Writes a file whole or not at all (a full disk leaves no empty or half sidecar). */
export function writeFileAtomic(path: string, content: string): void {
  const temp = `${path}.partial`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function ioSentence(error: unknown, what: string): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `the disk is full: ${what} could not be written; free some space`;
  return `${what} could not be written (${error instanceof Error ? error.message : String(error)})`;
}

export function defaultDataDir(): string {
  return process.env.BCI_DATA_DIR ?? join(homedir(), 'BCI-Workstation', 'data');
}

export interface RecordingInfo {
  readonly path: string;
  readonly startedSampleIndex: number;
  readonly startTimeMs: number;
}

export interface RecordingResult extends RecorderSummary {
  readonly sidecars: string[];
  readonly events: number;
}

/** Files beside a data file: sub-…_eeg.bdf → sub-…_channels.tsv etc. */
export function siblingPath(dataPath: string, suffix: string): string {
  const base = basename(dataPath).replace(/_eeg\.(bdf|edf)$/i, '').replace(/\.(bdf|edf)$/i, '');
  return join(dirname(dataPath), `${base}_${suffix}`);
}

function choosePath(options: RecordingOptions): string {
  if (options.path) {
    const path = resolve(options.path);
    ensureRecordingFolder(dirname(path), 'the folder of');
    if (existsSync(path)) throw new EngineError('invalid-request', `${path} already exists: recordings are never overwritten; choose another name`);
    return path;
  }
  // the data folder first: a pseudo file system or a read-only disk is refused before any work
  const folder = ensureRecordingFolder(join(options.dataDir ?? defaultDataDir(), bidsFolder(options.session)));
  const ext = options.format;
  if (options.session.run !== undefined) {
    const path = join(folder, `${bidsStem(options.session, options.session.run)}_eeg.${ext}`);
    if (existsSync(path)) throw new EngineError('invalid-request', `${path} already exists: choose another run number, or leave it out to take the next free one`);
    return path;
  }
  for (let run = 1; run <= 99; run++) {
    const path = join(folder, `${bidsStem(options.session, run)}_eeg.${ext}`);
    if (!existsSync(path)) return path;
  }
  throw new EngineError('invalid-request', `runs 01-99 of ${bidsStem(options.session, 1)} all exist: use another session or task label`);
}

/** A safety event logged with its recording (an alert raised or acknowledged, a checklist override). */
export interface SafetyLogEntry {
  readonly at: string;
  readonly sampleIndex: number;
  readonly kind: string;
  readonly [key: string]: unknown;
}

export class Recording {
  private readonly events: BidsEvent[] = [];
  /** The session file's content: the form, the board, the ethics check, the safety log. */
  private readonly sessionFile: Record<string, unknown> & { safety: SafetyLogEntry[] };
  /** Sidecars written at the start beside session.json and channels.tsv (electrodes.tsv and coordsystem.json with a montage). */
  private readonly startSidecars: string[] = [];

  private constructor(
    readonly info: RecordingInfo,
    private readonly options: RecordingOptions,
    private readonly board: BoardDescriptor,
    private readonly host: RecorderHost,
    sessionFile: Record<string, unknown>,
  ) {
    this.sessionFile = { ...sessionFile, safety: [] };
  }

  static async start(
    ring: RingBuffer,
    board: BoardDescriptor,
    startSampleIndex: number,
    options: RecordingOptions,
    onError: (message: string) => void,
    ethics?: EthicsCheck,
    montage?: Montage,
  ): Promise<Recording> {
    const path = choosePath(options);
    const startTimeMs = Date.now();
    const s = options.session;
    const host = await RecorderHost.start(
      ring,
      {
        firstSampleIndex: startSampleIndex,
        path,
        variant: options.format,
        subjectCode: s.subject,
        technician: s.operator,
        equipment: `BCI_Workstation_${board.id}`,
        startTimeMs,
        sampleRateHz: board.sampleRateHz,
        // with a montage, EOG/EMG/ECG/misc channels are labelled as EDF+ says ("EOG HEOG"): readers see the type
        signals: board.channels.map((c) => ({ label: montage ? headerLabel(c) : c.label, unit: c.unit, physicalMin: c.physicalMin, physicalMax: c.physicalMax })),
        fsyncIntervalMs: 0, // every record: once a second while live
      },
      onError,
    );
    const sessionFile = {
      ...s,
      mode: options.mode,
      board: board.id,
      startTime: new Date(startTimeMs).toISOString(),
      dataFile: basename(path),
      ...(ethics && { ethicsCheck: ethics }),
      // the montage as applied (a later edit of the saved one does not change what this file was)
      ...(montage && { montageChannels: montage.channels, ...(montage.savedAt !== undefined && { montageSavedAt: montage.savedAt }) }),
    };
    const recording = new Recording({ path, startedSampleIndex: startSampleIndex, startTimeMs }, options, board, host, sessionFile);
    try {
      // written first, so that even a recording cut off by a crash carries its metadata
      recording.writeSessionFile();
      writeFileAtomic(siblingPath(path, 'channels.tsv'), channelsTsv(board));
      const electrodes = montage ? electrodesTsv(board) : null;
      if (electrodes !== null) {
        writeFileAtomic(siblingPath(path, 'electrodes.tsv'), electrodes);
        writeFileAtomic(siblingPath(path, 'coordsystem.json'), coordsystemJson());
        recording.startSidecars.push(siblingPath(path, 'electrodes.tsv'), siblingPath(path, 'coordsystem.json'));
      }
      writeFileSync(reservePath(path), new Uint8Array(SIDECAR_RESERVE_BYTES));
    } catch (error) {
      // nothing was recorded yet: end the worker and leave no file behind that would take the run number
      await host.terminate();
      for (const p of [path, siblingPath(path, 'session.json'), siblingPath(path, 'channels.tsv'), siblingPath(path, 'electrodes.tsv'), siblingPath(path, 'coordsystem.json'), reservePath(path)]) rmSync(p, { force: true });
      const code = (error as { code?: string }).code;
      throw new EngineError(
        'io',
        code === 'ENOSPC' || code === 'EDQUOT'
          ? `the disk holding ${dirname(path)} is full: nothing was recorded; free some space or choose another folder`
          : `cannot start recording in ${dirname(path)}: ${ioSentence(error, 'the session files')}`,
      );
    }
    // short: a data record has 240 bytes of annotations (the full check is in the session file)
    // (a recording under no protocol, where none is required, says so in its session file only: its
    // events stay the experiment's)
    if (ethics && ethics.outcome === 'approved') recording.addEvent(startSampleIndex, `ethics: approved ${ethics.protocolId} (${ethics.approval?.approvalNumber ?? ''})`.slice(0, 100), 0, 'ethics');
    return recording;
  }

  private writeSessionFile(): void {
    writeFileAtomic(siblingPath(this.info.path, 'session.json'), JSON.stringify(this.sessionFile, null, 2) + '\n');
  }

  /**
   * Logs a safety event with this recording: into the session file's `safety` list (rewritten at
   * once) and, with `label`, as an annotation at its sample. A session file that cannot be
   * rewritten (a full disk) is said through onError by the caller, never silently.
   */
  logSafety(entry: SafetyLogEntry, label?: string): void {
    this.sessionFile.safety.push(entry);
    if (label !== undefined) this.addEvent(Math.max(entry.sampleIndex, this.info.startedSampleIndex), label, 0, entry.kind);
    this.writeSessionFile();
  }

  get progress(): RecorderHost['progress'] {
    return this.host.progress;
  }

  get error(): string | null {
    return this.host.error;
  }

  /**
   * A marker or paradigm event at a sample index (written into the file and events.tsv). With
   * intoFile false (a device gap, which the recorder sees and annotates itself), nothing is added:
   * the recorder's own annotation is the one both the file and events.tsv carry.
   */
  addEvent(sampleIndex: number, label: string, durationSec = 0, trialType = 'marker', intoFile = true): void {
    if (sampleIndex < this.info.startedSampleIndex || !intoFile) return;
    this.host.annotate(sampleIndex, durationSec, label);
    const sample = sampleIndex - this.info.startedSampleIndex;
    this.events.push({ onsetSec: sample / this.board.sampleRateHz, durationSec, trialType, value: label, sample });
  }

  async stop(untilSampleIndex: number, softwareFilters: string): Promise<RecordingResult> {
    const summary = await this.host.stop(untilSampleIndex);
    const path = this.info.path;
    // the space kept free for what follows (a full disk still gets its sidecars and checksum)
    rmSync(reservePath(path), { force: true });
    // what is written after the stop describes what is in the file: an event after its last sample is
    // placed at the end with its true time in its label (recording-events.ts), as the file has it
    const rate = this.board.sampleRateHz;
    const events: BidsEvent[] = this.events.map((e) => {
      const placed = placeEvent({ onsetSec: e.onsetSec, durationSec: e.durationSec, label: e.value }, summary.durationSec);
      return { ...e, onsetSec: placed.onsetSec, durationSec: placed.durationSec, value: placed.label, sample: Math.round(placed.onsetSec * rate) };
    });
    for (const a of summary.ownAnnotations) {
      const trialType = a.label.startsWith('gap') ? 'gap' : a.label.startsWith('clipped') ? 'clipped' : 'end';
      events.push({ onsetSec: a.onsetSec, durationSec: a.durationSec, trialType, value: a.label, sample: Math.round(a.onsetSec * rate) });
    }
    const sidecars = [siblingPath(path, 'events.tsv'), siblingPath(path, 'eeg.json'), `${path}.sha256`];
    const problems: string[] = [];
    const write = (file: string, content: string, what: string) => {
      try {
        writeFileAtomic(file, content);
      } catch (error) {
        problems.push(ioSentence(error, what));
      }
    };
    write(sidecars[0], eventsTsv(events), basename(sidecars[0]));
    write(
      sidecars[1],
      eegJson({ session: this.options.session, board: this.board, powerLineHz: this.options.powerLineHz, softwareFilters, recordingDurationSec: summary.durationSec, manufacturer: manufacturerOf(this.board) }),
      basename(sidecars[1]),
    );
    if (summary.sha256) write(sidecars[2], `${summary.sha256}  ${basename(path)}\n`, basename(sidecars[2]));
    else problems.push(`no checksum: run \`bci repair ${path}\` to complete the file and write it`);
    const error = [summary.error, ...problems].filter((e): e is string => !!e).join('; ') || null;
    return { ...summary, error, sidecars: [siblingPath(path, 'session.json'), siblingPath(path, 'channels.tsv'), ...this.startSidecars, ...sidecars], events: events.length };
  }
}

/** The eeg.json Manufacturer: OpenBCI for the Cyton, the board through BrainFlow for BrainFlow's boards, the workstation for its simulations. */
function manufacturerOf(board: BoardDescriptor): string {
  if (board.id.startsWith('cyton')) return 'OpenBCI';
  if (board.id === 'brainflow:synthetic') return 'BrainFlow (simulated)';
  if (board.id.startsWith('brainflow:')) return board.name;
  return 'BCI Workstation (simulated)';
}
