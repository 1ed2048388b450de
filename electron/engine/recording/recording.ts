// A recording in progress: picks the BIDS name (never overwriting), writes the session file and
// channels.tsv at the start, runs the recorder worker, collects markers as events, and at stop
// writes events.tsv, eeg.json and the data file's SHA-256. events.tsv lists exactly the file's
// annotations: the events sent into the file, placed as the recorder placed them (one after the
// last sample at the end, with its true time), and the annotations the recorder made itself
// (gaps, clipping, the end).

import { EngineError } from '../../common/contract/failure.js';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import type { RingBuffer } from '../../common/ring-buffer.js';
import { bidsFolder, bidsStem, channelsTsv, eegJson, eventsTsv, type BidsEvent } from '../../common/formats/bids.js';
import { placeEvent } from '../../common/formats/recording-events.js';
import type { RecordingOptions } from '../../common/contract/session.js';
import type { RecorderSummary } from '../../common/contract/recorder-messages.js';
import { RecorderHost } from './recorder-host.js';

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

/** Why a folder cannot be made, in words (recursive mkdir says ENOENT on a read-only file system). */
function describeFolderError(folder: string, error: unknown): string {
  let code = (error as { code?: string }).code;
  if (code === 'ENOENT') {
    let existing = folder;
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    try {
      accessSync(existing, constants.W_OK);
    } catch (access) {
      code = (access as { code?: string }).code;
    }
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `no permission to create ${folder}${code === 'EROFS' ? ' (a read-only file system)' : ''}: choose a folder you can write to`;
  return `cannot create ${folder}: ${(error as Error).message}`;
}

function choosePath(options: RecordingOptions): string {
  if (options.path) {
    const path = resolve(options.path);
    if (existsSync(path)) throw new EngineError('invalid-request', `${path} already exists: recordings are never overwritten; choose another name`);
    return path;
  }
  const folder = join(options.dataDir ?? defaultDataDir(), bidsFolder(options.session));
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

export class Recording {
  private readonly events: BidsEvent[] = [];

  private constructor(
    readonly info: RecordingInfo,
    private readonly options: RecordingOptions,
    private readonly board: BoardDescriptor,
    private readonly host: RecorderHost,
  ) {}

  static async start(
    ring: RingBuffer,
    board: BoardDescriptor,
    startSampleIndex: number,
    options: RecordingOptions,
    onError: (message: string) => void,
  ): Promise<Recording> {
    const path = choosePath(options);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new EngineError('io', describeFolderError(dirname(path), error));
    }
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
        signals: board.channels.map((c) => ({ label: c.label, unit: c.unit, physicalMin: c.physicalMin, physicalMax: c.physicalMax })),
        fsyncIntervalMs: 0, // every record: once a second while live
      },
      onError,
    );
    const recording = new Recording({ path, startedSampleIndex: startSampleIndex, startTimeMs }, options, board, host);
    // written first, so that even a recording cut off by a crash carries its metadata
    writeFileSync(siblingPath(path, 'session.json'), JSON.stringify({ ...s, board: board.id, startTime: new Date(startTimeMs).toISOString(), dataFile: basename(path) }, null, 2) + '\n');
    writeFileSync(siblingPath(path, 'channels.tsv'), channelsTsv(board));
    return recording;
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
    writeFileSync(sidecars[0], eventsTsv(events));
    writeFileSync(
      sidecars[1],
      eegJson({ session: this.options.session, board: this.board, powerLineHz: this.options.powerLineHz, softwareFilters, recordingDurationSec: summary.durationSec, manufacturer: manufacturerOf(this.board) }),
    );
    if (summary.sha256) writeFileSync(sidecars[2], `${summary.sha256}  ${basename(path)}\n`);
    return { ...summary, sidecars: [siblingPath(path, 'session.json'), siblingPath(path, 'channels.tsv'), ...sidecars], events: events.length };
  }
}

/** The eeg.json Manufacturer: OpenBCI for the Cyton, the board through BrainFlow for BrainFlow's boards, the workstation for its simulations. */
function manufacturerOf(board: BoardDescriptor): string {
  if (board.id.startsWith('cyton')) return 'OpenBCI';
  if (board.id === 'brainflow:synthetic') return 'BrainFlow (simulated)';
  if (board.id.startsWith('brainflow:')) return board.name;
  return 'BCI Workstation (simulated)';
}
