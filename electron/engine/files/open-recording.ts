// Opens a recording file for reading (replay, conversion, `bci info`): a file handle wrapped as a
// ByteSource, the format detected from content and extension (electron/common/formats/open-source.ts),
// and for BrainVision the sibling .eeg/.vmrk files opened from the same folder. close() releases
// every handle. A CSV's events are read from the `_events.tsv` beside it when there is one (where
// `bci convert`, `bci replay` and `bci stream` put them). Errors are one line: a RecordingFormatError for a bad file, a plain Error naming the
// path for one that cannot be opened.

import { basename, dirname, isAbsolute, join } from 'node:path';
import type { BrainflowBoardId } from '../../common/formats/brainflow-layouts.js';
import { openRecordingSource } from '../../common/formats/open-source.js';
import { RecordingFormatError, sortEvents, type RecordingFormat, type RecordingInfo, type RecordingReader } from '../../common/formats/recording.js';
import { parseEventsTsv } from '../../common/formats/bids.js';
import { readFile, stat } from 'node:fs/promises';
import type { ByteSource } from '../../common/formats/source.js';
import { fileSource, openFileSource } from './file-source.js';

export { fileSource };

export interface OpenRecordingOptions {
  format?: RecordingFormat;
  /** BrainFlow CSV board layout; without it the layout is taken from the column count (with a note). */
  board?: BrainflowBoardId;
}

export type OpenedRecording = RecordingReader & { close(): Promise<void> };

function describeOpenError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new Error(`cannot open ${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new Error(`cannot open ${path}: permission denied (check the file's permissions)`);
  if (code === 'EISDIR') return new Error(`cannot open ${path}: it is a folder, not a recording`);
  return new Error(`cannot open ${path}: ${(error as Error)?.message ?? String(error)}`);
}

export async function openRecording(path: string, options: OpenRecordingOptions = {}): Promise<OpenedRecording> {
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async (): Promise<void> => {
    const all = opened.splice(0);
    await Promise.allSettled(all.map((f) => f.close()));
  };
  let main: ByteSource & { close(): Promise<void> };
  try {
    main = await openFileSource(path);
  } catch (error) {
    throw describeOpenError(path, error);
  }
  opened.push(main);
  const folder = dirname(path);
  const sibling = async (name: string): Promise<ByteSource> => {
    // header-relative names only: a header cannot reach outside its folder
    const clean = name.replace(/\\/g, '/');
    if (clean === '' || isAbsolute(clean) || clean.split('/').includes('..')) throw new Error(`refusing sibling path ${name}`);
    const f = await openFileSource(join(folder, clean));
    opened.push(f);
    return f;
  };
  try {
    const reader = await openRecordingSource(main, { format: options.format, board: options.board, fileName: basename(path), sibling });
    if (reader.info.format === 'csv') await addSidecarEvents(path, reader.info);
    return {
      info: reader.info,
      readRows: (start, count, out) => reader.readRows(start, count, out),
      readChannel: (channel, start, count, out) => reader.readChannel(channel, start, count, out),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    if (error instanceof RecordingFormatError) throw new RecordingFormatError(`${basename(path)}: ${error.message}`);
    throw error;
  }
}

/** Sidecars larger than this are not read (a note says so). */
const MAX_SIDECAR_BYTES = 64 << 20;

/** The events of `x_events.tsv` beside `x.csv`, added to the recording's (with a note). */
async function addSidecarEvents(path: string, info: RecordingInfo): Promise<void> {
  const sidecar = path.replace(/\.csv$/i, '') + '_events.tsv';
  let size: number;
  try {
    size = (await stat(sidecar)).size;
  } catch {
    return; // none beside it
  }
  if (size > MAX_SIDECAR_BYTES) {
    info.notes.push(`${basename(sidecar)} is larger than ${MAX_SIDECAR_BYTES >> 20} MB: its events were not read.`);
    return;
  }
  const events = parseEventsTsv(await readFile(sidecar, 'utf8'));
  info.events.push(...events);
  sortEvents(info.events);
  info.notes.push(`${events.length} events read from ${basename(sidecar)} beside the file.`);
}
