// OpenBCI GUI text recordings ("OpenBCI-RAW-….txt"), three generations:
//   v4  '%Number of channels = 8', '%Sample Rate = 250.0 Hz', '%First Column = SampleIndex', then
//       rows: sample index, N EXG (µV), 3 accelerometer (g; all three 0.000 when the packet carried
//       no new reading), time HH:MM:SS.mmm, epoch ms
//   v5  '%Board = OpenBCI_GUI$BoardCytonSerial', then rows without a names line: BrainFlow's data
//       rows 0-22 (counter, EXG, accel, other, analog, epoch-ms timestamp) then the formatted time;
//       the GUI wrote one row of zeros first
//   v6  like v5 plus a names line ("Sample Index, EXG Channel 0, …, Timestamp, Marker Channel,
//       Timestamp (Formatted)") and the marker column
// The EXG channels are EEG in µV, the accelerometer in g; the analog pins are kept as aux only
// when used; digital pins, counters, timestamps and markers are not channels (markers → events,
// counter jumps → discontinuities). The same recording saved by all three gives identical rows.

import { BRAINFLOW_LAYOUTS, layoutByExgCount, type BrainflowLayout } from './brainflow-layouts.js';
import { RecordingFormatError } from './recording.js';
import type { ByteSource } from './source.js';
import { TableRecordingReader, type TableChannelSpec } from './table-recording.js';
import { decodeLatin1 } from './text-decode.js';
import { parseFields } from './text-table.js';

const HEADER_BYTES = 64 * 1024;

export function looksLikeOpenbciTxt(head: Uint8Array): boolean {
  const text = decodeLatin1(head, 0, Math.min(head.length, 256));
  return /^%OpenBCI Raw (EEG|EXG|Aux)? ?Data/i.test(text) || /^%OpenBCI/i.test(text);
}

interface HeaderLines {
  keys: Map<string, string>;
  /** First line that is not a '%' header line. */
  firstDataOffset: number;
  firstDataLine: number;
  firstDataText: string;
  /** Offset and line of the line after it. */
  nextOffset: number;
}

/** The bytes of a line (no CR/LF) from its start to the next line's start. */
function lineBytes(head: Uint8Array, start: number, next: number): Uint8Array {
  let end = Math.min(next, head.length);
  while (end > start && (head[end - 1] === 0x0a || head[end - 1] === 0x0d)) end--;
  return head.slice(start, end);
}

function readHeader(head: Uint8Array): HeaderLines {
  const keys = new Map<string, string>();
  let offset = 0;
  let line = 1;
  while (offset < head.length) {
    let nl = head.indexOf(0x0a, offset);
    if (nl < 0) nl = head.length;
    const text = decodeLatin1(head, offset, nl).replace(/\r$/, '');
    if (text.startsWith('%')) {
      const m = /^%\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(text);
      if (m) keys.set(m[1].toLowerCase(), m[2]);
    } else if (text.trim() !== '') {
      return { keys, firstDataOffset: offset, firstDataLine: line, firstDataText: text, nextOffset: nl + 1 };
    }
    offset = nl + 1;
    line++;
  }
  throw new RecordingFormatError('OpenBCI GUI file: no data rows after the header');
}

export async function openOpenbciTxt(source: ByteSource): Promise<TableRecordingReader> {
  const head = await source.read(0, Math.min(source.size, HEADER_BYTES));
  if (!looksLikeOpenbciTxt(head)) throw new RecordingFormatError('not an OpenBCI GUI file: it does not start with "%OpenBCI"');
  const h = readHeader(head);
  const notes: string[] = [];
  const nText = h.keys.get('number of channels');
  const rateText = h.keys.get('sample rate');
  const board = h.keys.get('board') ?? '';
  const declaredN = nText !== undefined ? Number(nText) : NaN;
  if (nText !== undefined && !(Number.isInteger(declaredN) && declaredN > 0 && declaredN <= 1024)) {
    throw new RecordingFormatError(`OpenBCI GUI file: "%Number of channels = ${nText}" is not a channel count`);
  }
  const declaredRate = rateText !== undefined ? Number(/^([\d.]+)/.exec(rateText)?.[1] ?? NaN) : NaN;
  if (rateText !== undefined && !(declaredRate > 0 && declaredRate < 1e6)) {
    throw new RecordingFormatError(`OpenBCI GUI file: "%Sample Rate = ${rateText}" is not a sampling rate`);
  }
  let layout = boardLayout(board, declaredN);
  let inferred = false;
  const hasNames = /[a-df-zA-DF-Z]/.test(h.firstDataText.replace(/\d+(\.\d+)?[eE][+-]?\d+/g, ''));
  const channels: TableChannelSpec[] = [];
  let counterColumn: number | undefined;
  let timestampColumn: number | undefined;
  const markerColumns: number[] = [];
  const holdZeroGroups: number[][] = [];
  let columns: number;
  let dataStart: number;
  let firstLine: number;
  let version: string;
  let skipLeadingZeroRows = false;
  let headerLine: Uint8Array | undefined;

  if (hasNames) {
    // v6: named columns
    version = 'v6';
    const names = h.firstDataText.split(',').map((s) => s.trim());
    columns = names.length;
    headerLine = lineBytes(head, h.firstDataOffset, h.nextOffset);
    dataStart = h.nextOffset;
    firstLine = h.firstDataLine + 1;
    names.forEach((name, col) => {
      let m: RegExpExecArray | null;
      if (/^sample ?index$/i.test(name)) counterColumn = col;
      else if ((m = /^EXG Channel (\d+)$/i.exec(name))) channels.push({ column: col, label: `EXG Channel ${m[1]}`, type: 'eeg', unit: 'uV' });
      else if ((m = /^Accel Channel (\d+)$/i.exec(name))) channels.push({ column: col, label: `Accel Channel ${m[1]}`, type: 'accel', unit: 'g' });
      else if ((m = /^Analog Channel (\d+)$/i.exec(name))) channels.push({ column: col, label: `Analog Channel ${m[1]}`, type: 'aux', unit: '', optional: true });
      else if (/^timestamp$/i.test(name)) timestampColumn = col;
      else if (/^marker( channel)?$/i.test(name)) markerColumns.push(col);
    });
    if (!channels.some((c) => c.type === 'eeg')) throw new RecordingFormatError('OpenBCI GUI file: the names line has no "EXG Channel" columns');
  } else {
    const first = new Float64Array(4096);
    const fields = parseFields(head, h.firstDataOffset, Math.min(head.length, head.indexOf(0x0a, h.firstDataOffset) < 0 ? head.length : head.indexOf(0x0a, h.firstDataOffset)), 0x2c, first);
    columns = fields;
    dataStart = h.firstDataOffset;
    firstLine = h.firstDataLine;
    let n = Number.isFinite(declaredN) ? declaredN : layout?.exg.length ?? NaN;
    if (!Number.isFinite(n)) {
      n = channelsFromLayout(first, fields);
      if (!Number.isFinite(n)) {
        throw new RecordingFormatError(`OpenBCI GUI file: the header does not say the number of channels and rows of ${fields} columns match no OpenBCI layout (sample index, 4, 8 or 16 channels, 3 accelerometer values, then the time)`);
      }
      inferred = true;
      layout ??= layoutByExgCount(n);
      notes.push(`The header does not say the number of channels (OpenBCI GUI v2/v3): ${n} channels inferred from the ${fields} columns of each row (sample index, ${n} EXG, 3 accelerometer${fields > 1 + n + 3 ? ', time' : ''}).`);
    }
    if (board && layout && fields === layout.rows) {
      // v5: BrainFlow rows 0-22, then the formatted time
      version = 'v5';
      skipLeadingZeroRows = true;
      counterColumn = layout.packageColumn;
      layout.exg.forEach((col, k) => channels.push({ column: col, label: `EXG Channel ${k}`, type: 'eeg', unit: 'uV' }));
      layout.accel.forEach((col, k) => channels.push({ column: col, label: `Accel Channel ${k}`, type: 'accel', unit: 'g' }));
      layout.analog.forEach((col, k) => channels.push({ column: col, label: `Analog Channel ${k}`, type: 'aux', unit: '', optional: true }));
      timestampColumn = layout.timestampColumn;
    } else {
      // v4 (and older): index, N EXG, 3 accelerometer, [formatted time, epoch ms]
      version = inferred ? 'v2/v3' : 'v4';
      if (fields < 1 + n) throw new RecordingFormatError(`OpenBCI GUI file: rows have ${fields} columns, fewer than the sample index and ${n} channels`);
      counterColumn = 0;
      for (let k = 0; k < n; k++) channels.push({ column: 1 + k, label: `EXG Channel ${k}`, type: 'eeg', unit: 'uV' });
      if (fields >= 1 + n + 3) {
        const accel = [n + 1, n + 2, n + 3];
        accel.forEach((col, k) => channels.push({ column: col, label: `Accel Channel ${k}`, type: 'accel', unit: 'g' }));
        holdZeroGroups.push(accel);
      }
      for (let col = 1 + n + 3; col < fields; col++) if (first[col] > 1e11) timestampColumn = col;
    }
  }
  const rate = Number.isFinite(declaredRate) ? declaredRate : layout?.sampleRateHz ?? null;
  if (!Number.isFinite(declaredRate)) notes.push(rate ? `The header does not say the sampling rate: ${rate} Hz assumed for the ${layout?.name}.` : 'The header does not say the sampling rate: estimated from the timestamps.');
  notes.unshift(`OpenBCI GUI ${version} file${layout ? ` (${layout.name})` : ''}.`);
  return TableRecordingReader.open(source, {
    format: 'openbci-txt',
    what: 'OpenBCI GUI file',
    delimiter: 0x2c,
    dataStart,
    firstLine,
    columns,
    channels,
    sampleRateHz: rate,
    counterColumn,
    timestampColumn,
    markerColumns,
    holdZeroGroups,
    skipLeadingZeroRows,
    headerLine,
    notes,
  });
}

/**
 * The EXG channel count of an OpenBCI GUI v2/v3 row (no channel count in the header): sample index,
 * N channels, 3 accelerometer values, then optionally the formatted time (not a number) and the
 * epoch milliseconds. N is 4 (Ganglion), 8 (Cyton) or 16 (Cyton+Daisy); NaN when nothing fits.
 */
function channelsFromLayout(first: Float64Array, fields: number): number {
  let end = fields;
  // trailing time columns: "12:00:53.329" (not a number), epoch milliseconds
  while (end > 0 && (Number.isNaN(first[end - 1]) || first[end - 1] > 1e11)) end--;
  const n = end - 1 - 3;
  if (fields - end > 2) return NaN;
  for (let k = 0; k < end; k++) if (Number.isNaN(first[k])) return NaN;
  return n === 4 || n === 8 || n === 16 ? n : NaN;
}

function boardLayout(board: string, channels: number): BrainflowLayout | null {
  const b = board.toLowerCase();
  if (b.includes('daisy')) return BRAINFLOW_LAYOUTS['cyton-daisy'];
  if (b.includes('ganglion')) return BRAINFLOW_LAYOUTS.ganglion;
  if (b.includes('cyton')) return BRAINFLOW_LAYOUTS.cyton;
  return Number.isFinite(channels) ? layoutByExgCount(channels) : null;
}
