// Picks the reader for a recording: from the caller's format if given, else from the first bytes
// (BDF/EDF version field, "GDF ", "XDF:", "%OpenBCI", the BrainVision header line, a tab-separated numeric
// line, a CSV header row with a time column), else from the file name's extension.

import type { BrainflowBoardId } from './brainflow-layouts.js';
import { looksLikeBrainflowCsv, looksLikeHeaderCsv, openBrainflowCsv, openHeaderCsv } from './brainflow-csv.js';
import { looksLikeBrainVisionHeader, openBrainVision } from './brainvision.js';
import { detectEdfVariant } from './edf-header.js';
import { openEdf } from './edf-reader.js';
import { looksLikeGdf, openGdf } from './gdf.js';
import { looksLikeOpenbciTxt, openOpenbciTxt } from './openbci-txt.js';
import { RecordingFormatError, type RecordingFormat, type RecordingReader } from './recording.js';
import type { ByteSource, SiblingResolver } from './source.js';
import { openXdf } from './xdf.js';

export interface OpenSourceOptions {
  /** Skip detection. */
  format?: RecordingFormat;
  /** BrainFlow CSV board layout (else taken from the column count). */
  board?: BrainflowBoardId;
  /** The file's name, for extension-based detection and for BrainVision's fallback sibling names. */
  fileName?: string;
  /** Opens files beside this one (BrainVision .eeg/.vmrk). */
  sibling?: SiblingResolver;
}

const HEAD_BYTES = 4096;

const EXTENSIONS: Record<string, RecordingFormat> = {
  bdf: 'bdf',
  edf: 'edf',
  gdf: 'gdf',
  xdf: 'xdf',
  vhdr: 'brainvision',
  ahdr: 'brainvision',
  txt: 'openbci-txt',
  tsv: 'brainflow-csv',
  csv: 'csv',
};

function extension(name: string | undefined): string {
  const m = /\.([^./\\]+)$/.exec(name ?? '');
  return m ? m[1].toLowerCase() : '';
}

/** The format the first bytes (and the file name) suggest, or null. */
export function detectFormat(head: Uint8Array, fileName?: string): RecordingFormat | null {
  const edf = detectEdfVariant(head);
  if (edf) return edf;
  if (looksLikeGdf(head)) return 'gdf';
  if (head.length >= 4 && head[0] === 0x58 && head[1] === 0x44 && head[2] === 0x46 && head[3] === 0x3a) return 'xdf';
  if (looksLikeBrainVisionHeader(head)) return 'brainvision';
  if (looksLikeOpenbciTxt(head)) return 'openbci-txt';
  if (looksLikeBrainflowCsv(head)) return 'brainflow-csv';
  if (looksLikeHeaderCsv(head)) return 'csv';
  return EXTENSIONS[extension(fileName)] ?? null;
}

export async function openRecordingSource(source: ByteSource, options: OpenSourceOptions = {}): Promise<RecordingReader> {
  const ext = extension(options.fileName);
  if (!options.format && (ext === 'eeg' || ext === 'vmrk' || ext === 'amrk')) {
    throw new RecordingFormatError(`a .${ext} file is part of a BrainVision recording: open its ${ext === 'amrk' ? '.ahdr' : '.vhdr'} header file instead`);
  }
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  if (source.size === 0) throw new RecordingFormatError('the file is empty');
  const format = options.format ?? detectFormat(head, options.fileName);
  if (!format) {
    throw new RecordingFormatError(
      'unknown recording format (readable: BDF/EDF(+), GDF 1/2, XDF, BrainVision .vhdr/.ahdr, OpenBCI GUI .txt, BrainFlow CSV, CSV with a header row)',
    );
  }
  switch (format) {
    case 'bdf':
    case 'edf': {
      const reader = await openEdf(source);
      if (reader.info.format !== format) reader.info.notes.push(`Opened as ${format.toUpperCase()} but the file is ${reader.info.format.toUpperCase()}.`);
      return reader;
    }
    case 'gdf':
      return openGdf(source);
    case 'xdf':
      return openXdf(source);
    case 'brainvision':
      return openBrainVision(source, options.sibling, options.fileName);
    case 'openbci-txt':
      return openOpenbciTxt(source);
    case 'brainflow-csv':
      return openBrainflowCsv(source, options.board);
    case 'csv':
      return openHeaderCsv(source);
  }
}
