// EDF/EDF+ and BDF/BDF+ header parsing and validation (pure, over the header bytes).
//
// Layout (EDF spec; EDF+ and BioSemi BDF keep it):
//   fixed part, 256 bytes, ASCII: version (8: "0       ", or 0xFF "BIOSEMI" for BDF) | patient (80)
//     | recording (80; EDF+ "Startdate dd-MMM-yyyy …") | start date dd.mm.yy (8) | start time
//     hh.mm.ss (8) | header bytes (8) | reserved (44: "EDF+C", "EDF+D", "BDF+C", "24BIT", …)
//     | data records (8; -1 = unknown, still recording) | record duration s (8) | signal count (4)
//   then per signal, each field for all signals in turn: label 16 | transducer 80 | physical
//     dimension 8 | physical min 8 | physical max 8 | digital min 8 | digital max 8 | prefiltering
//     80 | samples per record 8 | reserved 32
//   data records follow: per signal, its samples, little-endian two's complement, 2 bytes (EDF) or
//     3 bytes (BDF). physical = (digital − digMin) × (physMax − physMin) / (digMax − digMin) + physMin.
//
// Every number is validated before it is used; the header must fit in the file and its size field
// must match the signal count, so a header that declares 100000 signals or 2^31 records is refused
// (or, for records, capped by what the file holds) before anything is allocated.

import { RecordingFormatError } from './recording.js';
import { decodeLatin1, parseNumberText } from './text-decode.js';

export const EDF_FIXED_HEADER_BYTES = 256;
export const EDF_SIGNAL_HEADER_BYTES = 256;
/** Longer data records than this (a day) are a corrupt header, not a recording. */
export const MAX_RECORD_DURATION_SEC = 86_400;
/** No EEG/ExG amplifier samples faster (intracranial systems top out near 50 kHz). */
export const MAX_SAMPLE_RATE_HZ = 200_000;
/** A recording longer than ten years is a corrupt header. */
const MAX_RECORDING_SEC = 10 * 365 * 86_400;

export interface EdfSignal {
  readonly index: number;
  readonly label: string;
  readonly transducer: string;
  readonly unit: string;
  readonly physicalMin: number;
  readonly physicalMax: number;
  readonly digitalMin: number;
  readonly digitalMax: number;
  readonly prefiltering: string;
  readonly samplesPerRecord: number;
  /** physical = digital × gain + offset */
  readonly gain: number;
  readonly offset: number;
  /** Byte offset of this signal's first sample inside a data record. */
  readonly recordOffset: number;
  /** An "EDF Annotations" / "BDF Annotations" signal (TALs, not samples). */
  readonly isAnnotations: boolean;
}

export interface EdfHeader {
  readonly variant: 'edf' | 'bdf';
  /** 'C' continuous, 'D' discontinuous (EDF+/BDF+), null for plain EDF/BDF. */
  readonly plus: 'C' | 'D' | null;
  readonly bytesPerSample: 2 | 3;
  readonly patient: string;
  readonly recording: string;
  readonly reserved: string;
  /** Start date and time as written (local clock of the recorder, taken as UTC), or null when unreadable. */
  readonly startTime: Date | null;
  readonly headerBytes: number;
  /** The count written in the header (-1 = unknown). */
  readonly declaredRecords: number;
  /** Whole records the file actually holds, capped by the declared count when there is one. */
  readonly records: number;
  readonly recordDurationSec: number;
  readonly recordBytes: number;
  readonly signals: readonly EdfSignal[];
  readonly notes: string[];
}

function field(bytes: Uint8Array, offset: number, width: number): string {
  return decodeLatin1(bytes, offset, offset + width).replace(/\0/g, ' ').trim();
}

/** The signal count and header size from the fixed 256-byte part (to know how much more to read). */
export function parseEdfPrelude(fixed: Uint8Array, fileSize: number): { variant: 'edf' | 'bdf'; signalCount: number; headerBytes: number } {
  if (fixed.length < EDF_FIXED_HEADER_BYTES) {
    throw new RecordingFormatError(`not an EDF/BDF file: it is ${fixed.length} bytes long, shorter than the 256-byte header`);
  }
  const variant = detectEdfVariant(fixed);
  if (!variant) throw new RecordingFormatError('not an EDF/BDF file: the version field is neither "0" (EDF) nor 0xFF "BIOSEMI" (BDF)');
  const nsText = field(fixed, 252, 4);
  const signalCount = strictInteger(nsText);
  if (!Number.isSafeInteger(signalCount) || signalCount < 1) {
    throw new RecordingFormatError(`EDF header: the number of signals "${nsText}" is not a positive integer`);
  }
  const hbText = field(fixed, 184, 8);
  const headerBytes = strictInteger(hbText);
  const expected = EDF_FIXED_HEADER_BYTES * (signalCount + 1);
  if (headerBytes !== expected) {
    throw new RecordingFormatError(`EDF header: the header size field says "${hbText}" bytes but ${signalCount} signals need ${expected}: the header is corrupt`);
  }
  if (expected > fileSize) {
    throw new RecordingFormatError(`EDF header declares ${signalCount} signals (a ${expected}-byte header) but the file has only ${fileSize} bytes: the file is truncated or the signal count is corrupt`);
  }
  return { variant, signalCount, headerBytes };
}

export function detectEdfVariant(head: Uint8Array): 'edf' | 'bdf' | null {
  if (head.length < 8) return null;
  if (head[0] === 0xff && decodeLatin1(head, 1, 8) === 'BIOSEMI') return 'bdf';
  if (head[0] === 0x30 && head.subarray(1, 8).every((b) => b === 0x20)) return 'edf';
  return null;
}

function strictInteger(text: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return NaN;
  return Number(t);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function parseStartTime(dateText: string, timeText: string, recording: string, notes: string[]): Date | null {
  const d = /^(\d{1,2})[.:\-/ ](\d{1,2})[.:\-/ ](\d{2})$/.exec(dateText.trim());
  const t = /^(\d{1,2})[.:\- ](\d{1,2})[.:\- ](\d{1,2})$/.exec(timeText.trim());
  if (!d || !t) {
    notes.push(`The start date/time "${dateText} ${timeText}" is unreadable: start time unknown.`);
    return null;
  }
  let year = Number(d[3]);
  year += year >= 85 ? 1900 : 2000;
  // EDF+ writes the 4-digit year in the recording field: "Startdate 02-JUN-2015 …"
  const plus = /^Startdate\s+(\d{1,2})-([A-Za-z]{3})-(\d{4})/.exec(recording);
  if (plus && MONTHS.includes(plus[2].toUpperCase())) year = Number(plus[3]);
  const month = Number(d[2]);
  const day = Number(d[1]);
  const hh = Number(t[1]);
  const mm = Number(t[2]);
  const ss = Number(t[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) {
    notes.push(`The start date/time "${dateText} ${timeText}" is out of range: start time unknown.`);
    return null;
  }
  return new Date(Date.UTC(year, month - 1, day, hh, mm, ss));
}

/**
 * Parses and validates the full header (`bytes` holds at least headerBytes bytes). `fileSize`
 * caps the record count: a header that claims more records than the file holds is read as far
 * as the file goes (with a note), "-1" (still recording) is resolved from the size.
 */
export function parseEdfHeader(bytes: Uint8Array, fileSize: number): EdfHeader {
  const { variant, signalCount: ns, headerBytes } = parseEdfPrelude(bytes, fileSize);
  if (bytes.length < headerBytes) throw new RecordingFormatError(`EDF header: needs ${headerBytes} bytes, got ${bytes.length}`);
  const notes: string[] = [];
  const bytesPerSample = variant === 'bdf' ? 3 : 2;
  const patient = field(bytes, 8, 80);
  const recording = field(bytes, 88, 80);
  const reserved = field(bytes, 192, 44);
  const plusMatch = /^(EDF|BDF)\+([CD])/.exec(reserved);
  const plus = plusMatch ? (plusMatch[2] as 'C' | 'D') : null;
  const startTime = parseStartTime(field(bytes, 168, 8), field(bytes, 176, 8), recording, notes);

  const recordsText = field(bytes, 236, 8);
  const declaredRecords = strictInteger(recordsText);
  if (!Number.isSafeInteger(declaredRecords) || declaredRecords < -1) {
    throw new RecordingFormatError(`EDF header: the number of data records "${recordsText}" is not an integer ≥ -1`);
  }
  const durationText = field(bytes, 244, 8);
  const recordDurationSec = parseNumberText(durationText);
  if (!Number.isFinite(recordDurationSec) || recordDurationSec < 0) {
    throw new RecordingFormatError(`EDF header: the data record duration "${durationText}" is not a number of seconds ≥ 0`);
  }

  const base = EDF_FIXED_HEADER_BYTES;
  const at = (fieldOffset: number, width: number, i: number): string => field(bytes, base + fieldOffset * ns + width * i, width);
  // field offsets, in units of ns bytes, of each per-signal field
  const F = { label: 0, transducer: 16, unit: 96, physMin: 104, physMax: 112, digMin: 120, digMax: 128, prefilter: 136, samples: 216 };
  const digitalLimit = variant === 'bdf' ? 8388608 : 32768;
  const signals: EdfSignal[] = [];
  let recordBytes = 0;
  for (let i = 0; i < ns; i++) {
    const label = at(F.label, 16, i);
    const name = `signal ${i + 1}${label ? ` (${label})` : ''}`;
    const isAnnotations = label === 'EDF Annotations' || label === 'BDF Annotations';
    const num = (fo: number, what: string): number => {
      const text = at(fo, 8, i);
      const v = parseNumberText(text);
      if (!Number.isFinite(v)) throw new RecordingFormatError(`EDF header: ${name}: the ${what} "${text}" is not a number`);
      return v;
    };
    const samplesText = at(F.samples, 8, i);
    const samplesPerRecord = strictInteger(samplesText);
    if (!Number.isSafeInteger(samplesPerRecord) || samplesPerRecord < 1) {
      throw new RecordingFormatError(`EDF header: ${name}: the number of samples per record "${samplesText}" is not a positive integer`);
    }
    const physicalMin = num(F.physMin, 'physical minimum');
    const physicalMax = num(F.physMax, 'physical maximum');
    const digitalMin = num(F.digMin, 'digital minimum');
    const digitalMax = num(F.digMax, 'digital maximum');
    let gain = 1;
    let offset = 0;
    if (!isAnnotations) {
      if (digitalMin < -digitalLimit || digitalMax > digitalLimit - 1) {
        notes.push(`${name}: digital range ${digitalMin}..${digitalMax} exceeds the ${bytesPerSample * 8}-bit range of the file.`);
      }
      if (digitalMax > digitalMin && physicalMax !== physicalMin) {
        gain = (physicalMax - physicalMin) / (digitalMax - digitalMin);
        offset = physicalMin - digitalMin * gain;
      } else {
        notes.push(`${name}: degenerate range (physical ${physicalMin}..${physicalMax}, digital ${digitalMin}..${digitalMax}): values are given as digital counts.`);
      }
    }
    signals.push({
      index: i,
      label,
      transducer: at(F.transducer, 80, i),
      unit: at(F.unit, 8, i),
      physicalMin,
      physicalMax,
      digitalMin,
      digitalMax,
      prefiltering: at(F.prefilter, 80, i),
      samplesPerRecord,
      gain,
      offset,
      recordOffset: recordBytes,
      isAnnotations,
    });
    recordBytes += samplesPerRecord * bytesPerSample;
    if (recordBytes > Number.MAX_SAFE_INTEGER / 4) throw new RecordingFormatError(`EDF header: ${name}: the data record size is absurd (${samplesText} samples)`);
  }
  if (recordDurationSec === 0 && signals.some((s) => !s.isAnnotations)) {
    throw new RecordingFormatError('EDF header: the data record duration is 0 but the file has signals: the header is corrupt');
  }
  // values no real recording has: refused before anything is sized from them
  if (recordDurationSec > MAX_RECORD_DURATION_SEC) {
    throw new RecordingFormatError(`EDF header: the data record duration "${durationText}" s is absurd (no recording has records longer than ${MAX_RECORD_DURATION_SEC} s): the header is corrupt`);
  }
  for (const s of signals) {
    if (s.isAnnotations || recordDurationSec === 0) continue;
    const rateHz = s.samplesPerRecord / recordDurationSec;
    if (rateHz > MAX_SAMPLE_RATE_HZ) {
      throw new RecordingFormatError(
        `EDF header: signal ${s.index + 1}${s.label ? ` (${s.label})` : ''} would be sampled at ${rateHz.toPrecision(4)} Hz (${s.samplesPerRecord} samples per ${durationText} s record), beyond any EEG amplifier's ${MAX_SAMPLE_RATE_HZ / 1000} kHz: the record duration or sample count is corrupt`,
      );
    }
  }

  const dataBytes = fileSize - headerBytes;
  const available = Math.floor(dataBytes / recordBytes);
  let records: number;
  if (declaredRecords === -1) {
    records = available;
    notes.push(`The header says the number of data records is unknown (-1: the recording was not closed); ${available} whole records read from the file size.`);
  } else if (declaredRecords > available) {
    records = available;
    notes.push(`The header declares ${declaredRecords} data records but the file holds only ${available}: the file is truncated; reading what is there.`);
  } else {
    records = declaredRecords;
    const extra = dataBytes - declaredRecords * recordBytes;
    if (extra > 0) notes.push(`${extra} bytes after the last declared data record are ignored.`);
  }
  if (declaredRecords === -1 && dataBytes % recordBytes !== 0) {
    notes.push(`${dataBytes % recordBytes} bytes of an incomplete last data record are ignored.`);
  }
  if (records * recordDurationSec > MAX_RECORDING_SEC) {
    throw new RecordingFormatError(`EDF header: ${records} data records of ${durationText} s make ${(records * recordDurationSec / 86400 / 365).toPrecision(3)} years: the header is corrupt`);
  }
  return {
    variant,
    plus,
    bytesPerSample,
    patient,
    recording,
    reserved,
    startTime,
    headerBytes,
    declaredRecords,
    records,
    recordDurationSec,
    recordBytes,
    signals,
    notes,
  };
}
