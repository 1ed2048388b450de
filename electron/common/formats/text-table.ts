// Delimited numeric text (OpenBCI GUI files, BrainFlow CSV, CSV with a header row) read in chunks
// of the file: lines are split and their fields parsed straight from the bytes, one row at a time,
// into a reused Float64Array (NaN where a field is not a number, e.g. "12:00:53.329"). Blank lines,
// '%' comment lines and lines repeating the header line (counted) are skipped. A line longer than MAX_LINE_BYTES is refused (not a text
// recording), a data line with the wrong number of fields is an error naming the line, except an
// incomplete last line (a recording cut off mid-write), which is dropped and reported.

import { RecordingFormatError } from './recording.js';
import { parseDecimal } from './text-decode.js';
import type { ByteSource } from './source.js';

export const MAX_LINE_BYTES = 1 << 20;
const CHUNK_BYTES = 1 << 20;

export interface RowVisit {
  /** The row's fields (length = columns; reused between calls). */
  readonly values: Float64Array;
  /** Data row number from the start position (0-based). */
  readonly row: number;
  /** Byte offset of the row's line. */
  readonly offset: number;
  /** 1-based line number in the file (when the start line number was given). */
  readonly line: number;
}

export interface RowScanResult {
  rows: number;
  /** Lines equal to the header line (a header written twice) that were skipped, and the first one's number. */
  repeatedHeaders: number;
  firstRepeatedHeaderLine: number;
  /** Why the last line was dropped (it ended the file without a newline and had the wrong field count), or null. */
  droppedTail: string | null;
  /** Byte offset just past the last row read. */
  end: number;
}

/** Splits `line` bytes into fields by `delimiter` and parses them into values; returns the field count. */
export function parseFields(bytes: Uint8Array, start: number, end: number, delimiter: number, values: Float64Array): number {
  // trailing spaces / CR, then one trailing delimiter (BrainFlow ends rows with a tab), are not a field
  while (end > start && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20 || (delimiter !== 0x09 && bytes[end - 1] === 0x09))) end--;
  if (end > start && bytes[end - 1] === delimiter) end--;
  let fields = 0;
  let fieldStart = start;
  const columns = values.length;
  for (let i = start; i <= end; i++) {
    if (i === end || bytes[i] === delimiter) {
      if (fields < columns) values[fields] = parseDecimal(bytes, fieldStart, i);
      fields++;
      fieldStart = i + 1;
    }
  }
  return fields;
}

/** Is bytes[start, end) (a trailing CR aside) exactly `line`? */
function isLine(bytes: Uint8Array, start: number, end: number, line: Uint8Array): boolean {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  if (end - start !== line.length) return false;
  for (let k = 0; k < line.length; k++) if (bytes[start + k] !== line[k]) return false;
  return true;
}

function isSkippable(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0d)) i++;
  return i === end || bytes[i] === 0x25; // blank, or a '%' comment
}

/**
 * Visits the data rows from byte `start`: onRow returns false to stop early. `maxRows` bounds the
 * visit as well. Reads the file CHUNK_BYTES at a time; never holds more than a chunk and one line.
 */
export async function forEachRow(
  source: ByteSource,
  start: number,
  delimiter: number,
  columns: number,
  onRow: (visit: RowVisit) => boolean | void,
  options: { firstLine?: number; maxRows?: number; what?: string; chunkBytes?: number; headerLine?: Uint8Array } = {},
): Promise<RowScanResult> {
  const values = new Float64Array(columns);
  const what = options.what ?? 'text file';
  const maxRows = options.maxRows ?? Infinity;
  let chunkBytes = Math.max(256, Math.min(options.chunkBytes ?? CHUNK_BYTES, CHUNK_BYTES));
  let row = 0;
  let line = options.firstLine ?? 1;
  let pos = start; // offset of the first byte not yet consumed
  let droppedTail: string | null = null;
  let repeatedHeaders = 0;
  let firstRepeatedHeaderLine = 0;
  const header = options.headerLine && options.headerLine.length > 0 ? options.headerLine : null;
  let stopped = false;
  const visit = { values, row: 0, offset: 0, line: 0 };
  while (pos < source.size && !stopped && row < maxRows) {
    const bytes = await source.read(pos, Math.min(chunkBytes, source.size - pos));
    if (bytes.length === 0) break;
    const atEof = pos + bytes.length >= source.size;
    let i = 0;
    for (;;) {
      if (row >= maxRows) {
        stopped = true;
        break;
      }
      let nl = bytes.indexOf(0x0a, i);
      if (nl < 0) {
        if (!atEof) break; // read on from the start of this line
        if (i >= bytes.length) break;
        nl = bytes.length; // last line without a newline
      }
      if (nl - i > MAX_LINE_BYTES) throw new RecordingFormatError(`${what}: line ${line} is longer than ${MAX_LINE_BYTES} bytes: this is not a text recording`);
      if (header && isLine(bytes, i, nl, header)) {
        if (repeatedHeaders++ === 0) firstRepeatedHeaderLine = line;
      } else if (!isSkippable(bytes, i, nl)) {
        const fields = parseFields(bytes, i, nl, delimiter, values);
        if (fields !== columns) {
          if (atEof && nl >= bytes.length) {
            droppedTail = `The last line (${line}) is incomplete (${fields} of ${columns} fields): it was dropped.`;
            i = nl + 1;
            break;
          }
          throw new RecordingFormatError(`${what}: line ${line} has ${fields} fields, expected ${columns}: the file is corrupt or not in the expected layout`);
        }
        visit.row = row;
        visit.offset = pos + i;
        visit.line = line;
        const more = onRow(visit);
        row++;
        if (more === false) {
          stopped = true;
          i = nl + 1;
          break;
        }
      }
      line++;
      i = nl + 1;
      if (i >= bytes.length) break;
    }
    if (i === 0 && !stopped) {
      // not one whole line in the chunk: read more at once (a line may be up to MAX_LINE_BYTES)
      if (bytes.length > MAX_LINE_BYTES) throw new RecordingFormatError(`${what}: line ${line} is longer than ${MAX_LINE_BYTES} bytes: this is not a text recording`);
      chunkBytes = Math.min(chunkBytes * 4, MAX_LINE_BYTES + 2);
      continue;
    }
    pos += Math.min(i, bytes.length);
    if (atEof && i >= bytes.length) break;
    chunkBytes = Math.min(chunkBytes * 2, CHUNK_BYTES);
  }
  return { rows: row, repeatedHeaders, firstRepeatedHeaderLine, droppedTail, end: pos };
}
