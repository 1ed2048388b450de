// BrainFlow CSV (DataFilter.write_file, or the file streamer): tab-separated, no header, one line
// per sample and one column per row of BrainFlow's data array, so it needs the board layout
// (brainflow-layouts.ts) to tell EXG from accelerometer, counter, timestamp (unix seconds) and
// marker columns. The layout comes from the caller (board option) or, failing that, from the column
// count (24 Cyton, 32 Cyton+Daisy, 15 Ganglion), with a note saying so.
//
// Also here: CSV with a header row and a timestamp column (e.g. the eeg-notebooks Muse files,
// "timestamps,TP9,AF7,AF8,TP10,Right AUX,Marker0"): numeric columns are channels, "Marker…"
// columns are events (non-zero values), and the rate is estimated from the timestamps.

import { BRAINFLOW_LAYOUTS, layoutByColumns, type BrainflowBoardId, type BrainflowLayout } from './brainflow-layouts.js';
import { RecordingFormatError, type RecordingChannelType } from './recording.js';
import type { ByteSource } from './source.js';
import { TableRecordingReader, type TableChannelSpec } from './table-recording.js';
import { decodeUtf8 } from './text-decode.js';
import { parseFields } from './text-table.js';

const HEAD_BYTES = 64 * 1024;

function firstLine(head: Uint8Array): { text: string; end: number; next: number } {
  let nl = head.indexOf(0x0a);
  if (nl < 0) nl = head.length;
  return { text: decodeUtf8(head, 0, nl).replace(/\r$/, ''), end: nl, next: nl + 1 };
}

/** A BrainFlow CSV: the first line is all numbers, separated by tabs. */
export function looksLikeBrainflowCsv(head: Uint8Array): boolean {
  const { end } = firstLine(head);
  if (end === 0) return false;
  const values = new Float64Array(256);
  const fields = parseFields(head, 0, end, 0x09, values);
  if (fields < 4) return false;
  for (let i = 0; i < Math.min(fields, values.length); i++) if (Number.isNaN(values[i])) return false;
  return true;
}

/** A CSV whose first line names its columns, one of which is a time column. */
export function looksLikeHeaderCsv(head: Uint8Array): boolean {
  const { text } = firstLine(head);
  const d = pickDelimiter(text);
  if (!d) return false;
  const names = text.split(d.char).map((s) => s.trim());
  return names.length >= 2 && names.some((n) => TIME_NAME.test(n)) && names.some((n) => /[A-Za-z]/.test(n));
}

export async function openBrainflowCsv(source: ByteSource, board?: BrainflowBoardId): Promise<TableRecordingReader> {
  const head = await source.read(0, Math.min(source.size, HEAD_BYTES));
  const { end } = firstLine(head);
  const probe = new Float64Array(1024);
  const columns = parseFields(head, 0, end, 0x09, probe);
  if (columns < 2) throw new RecordingFormatError('BrainFlow CSV: the first line has no tab-separated columns: is this a BrainFlow file?');
  const notes: string[] = [];
  let layout: BrainflowLayout;
  if (board) {
    layout = BRAINFLOW_LAYOUTS[board];
    if (!layout) throw new RecordingFormatError(`BrainFlow CSV: unknown board "${board}" (cyton, cyton-daisy or ganglion)`);
    if (layout.rows !== columns) {
      const guess = layoutByColumns(columns);
      throw new RecordingFormatError(`BrainFlow CSV: the file has ${columns} columns but a ${layout.name} file has ${layout.rows}${guess ? `: it looks like a ${guess.name} file (board ${guess.id})` : ''}`);
    }
  } else {
    const guess = layoutByColumns(columns);
    if (!guess) {
      const known = Object.values(BRAINFLOW_LAYOUTS).map((l) => `${l.rows} for ${l.id}`).join(', ');
      throw new RecordingFormatError(`BrainFlow CSV: ${columns} columns match no known board layout (${known}): this board is not supported`);
    }
    layout = guess;
    notes.push(`Board layout taken from the column count (${columns}: ${layout.name}); pass the board to override.`);
  }
  const channels: TableChannelSpec[] = [];
  layout.exg.forEach((col, k) => channels.push({ column: col, label: `EXG Channel ${k}`, type: 'eeg', unit: 'uV' }));
  layout.accel.forEach((col, k) => channels.push({ column: col, label: `Accel Channel ${k}`, type: 'accel', unit: 'g' }));
  layout.analog.forEach((col, k) => channels.push({ column: col, label: `Analog Channel ${k}`, type: 'aux', unit: '', optional: true }));
  return TableRecordingReader.open(source, {
    format: 'brainflow-csv',
    what: 'BrainFlow CSV',
    delimiter: 0x09,
    dataStart: 0,
    firstLine: 1,
    columns,
    channels,
    sampleRateHz: layout.sampleRateHz,
    counterColumn: layout.packageColumn,
    timestampColumn: layout.timestampColumn,
    markerColumns: [layout.markerColumn],
    notes,
  });
}

const TIME_NAME = /^(timestamps?|time|time_s|unix_time_s|time ?stamps?|lsl[ _]?time(stamps?)?|time ?\(s\)|unix ?time)$/i;
/** The workstation's own CSV (bci stream / convert / replay): sample_index, time_s (unix_time_s from stream), <label>_<unit>… */
const INDEX_NAME = /^sample_index$/i;
const LABEL_UNIT = /^(.+)_(uV|mV|V|g|counts|x)$/;
const MARKER_NAME = /^(marker|event|trigger|stim)/i;

function pickDelimiter(line: string): { char: string; byte: number } | null {
  const counts = [',', '\t', ';'].map((c) => ({ c, n: line.split(c).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  if (counts[0].n === 0) return null;
  return { char: counts[0].c, byte: counts[0].c.charCodeAt(0) };
}

function channelType(name: string): RecordingChannelType {
  if (/aux/i.test(name)) return 'aux';
  if (/^acc/i.test(name)) return 'accel';
  if (/^(ecg|ekg)/i.test(name)) return 'ecg';
  if (/^eog/i.test(name)) return 'eog';
  if (/^emg/i.test(name)) return 'emg';
  return 'eeg';
}

export async function openHeaderCsv(source: ByteSource): Promise<TableRecordingReader> {
  const head = await source.read(0, Math.min(source.size, HEAD_BYTES));
  const { text, next, end } = firstLine(head);
  const d = pickDelimiter(text);
  if (!d) throw new RecordingFormatError('CSV: the first line has no separators: expected a header row naming the columns');
  const headerLine = head.slice(0, end > 0 && head[end - 1] === 0x0d ? end - 1 : end);
  const names = text.split(d.char).map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
  const timeColumn = names.findIndex((n) => TIME_NAME.test(n));
  if (timeColumn < 0) throw new RecordingFormatError(`CSV: no timestamp column among "${names.join('", "')}": the sampling rate cannot be known`);
  const channels: TableChannelSpec[] = [];
  const markerColumns: number[] = [];
  const own = names.some((n) => INDEX_NAME.test(n));
  names.forEach((name, col) => {
    if (col === timeColumn || INDEX_NAME.test(name)) return;
    if (MARKER_NAME.test(name)) markerColumns.push(col);
    else {
      const labelled = own ? LABEL_UNIT.exec(name) : null;
      const label = labelled ? labelled[1] : name;
      const type = labelled?.[2] === 'g' ? 'accel' : channelType(label);
      const unit = labelled && labelled[2] !== 'x' ? labelled[2] : type === 'accel' ? 'g' : 'uV';
      channels.push({ column: col, label: label || `Column ${col + 1}`, type, unit });
    }
  });
  if (channels.length === 0) throw new RecordingFormatError('CSV: no data columns besides the time and marker columns');
  return TableRecordingReader.open(source, {
    format: 'csv',
    what: 'CSV file',
    delimiter: d.byte,
    dataStart: next,
    firstLine: 2,
    columns: names.length,
    channels,
    sampleRateHz: null,
    timestampColumn: timeColumn,
    markerColumns,
    headerLine,
    notes: ['CSV with a header row: units are not stated in the file; EEG columns are taken as µV.'],
  });
}
