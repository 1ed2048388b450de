// GDF 1.x and 2.x reader over a ByteSource (the format of BioSig and of the BCI Competition data
// sets, e.g. IV 2a/2b). Little-endian throughout.
//
// Fixed header, 256 bytes:
//   0 version "GDF 1.25" / "GDF 2.51" (8)
//   GDF 1: 8 patient (80) | 88 recording (80) | 168 start "YYYYMMDDhhmmsscc" (16) | 184 header
//          bytes int64 | 192 equipment, lab, technician (3 × 8) | 216 reserved (20)
//   GDF 2: 8 patient (66) | 74 reserved (10) | 84-87 patient codes | 88 recording (64) | 152
//          location (16) | 168 start uint64 (days since year 0 in 2⁻³² units) | 176 birthday |
//          184 header length in 256-byte blocks uint16 | 186-235 equipment, electrodes
//   both:  236 data records int64 (-1 unknown) | 244 record duration: uint32 numerator and
//          denominator (GDF < 2.21), float64 seconds (GDF ≥ 2.21) | 252 signals (uint32 in GDF 1,
//          uint16 in GDF 2)
// Per-signal header, 256 bytes per signal, each field for all signals in turn (offsets in units
// of the signal count): label 0 (16) | transducer 16 (80) | unit 96 (8 text in GDF 1; 6 text + a
// uint16 unit code at 102 in GDF 2) | physical min 104, max 112 (float64) | digital min 120, max
// 128 (int64 in GDF 1, float64 in GDF 2) | filters 136 | samples per record 216 (uint32) | data
// type 220 (uint32) | … GDF 2.1+ may add a tag-length-value header up to the header length; tag 1
// holds the descriptions of user event codes (NUL-terminated strings, code k → string k).
// Data records: per signal its samples, of the signal's type (int8…uint64, float32/64, int24).
// Event table after the last record: mode (1: position and type; bit 2: also channel and
// duration; bit 4: also time stamps), then GDF < 1.94: event rate uint24, count uint32; GDF ≥ 1.94:
// count uint24, event rate float32; then positions uint32 (1-based samples at the event rate),
// types uint16, [channels uint16 (0 = all), durations uint32].
//
// Rows are the channels at the most common rate (as for EDF); others are read with readChannel.
// Event labels are the type codes in decimal (as MNE gives them: "769" is the BCI Competition's
// cue left), or the file's own description of a user code when it has one.

import {
  clampRead,
  normalizeUnit,
  pickRowRate,
  RecordingFormatError,
  sortEvents,
  type RecordingChannel,
  type RecordingEvent,
  type RecordingInfo,
  type RecordingReader,
} from './recording.js';
import { edfChannelType } from './edf-reader.js';
import { MAX_RECORD_DURATION_SEC, MAX_SAMPLE_RATE_HZ } from './edf-header.js';
import { readExact, type ByteSource } from './source.js';
import { decodeLatin1 } from './text-decode.js';

const FIXED = 256;
const READ_BYTES = 4 << 20;
const MAX_EVENTS = 1_000_000;
const MAX_SIGNALS = 65_535;

/** GDF data type code → bytes per sample. */
const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 8, 8: 8, 16: 4, 17: 8, 279: 3, 535: 3 };
const TYPE_NAMES: Record<number, string> = { 1: 'int8', 2: 'uint8', 3: 'int16', 4: 'uint16', 5: 'int32', 6: 'uint32', 7: 'int64', 8: 'uint64', 16: 'float32', 17: 'float64', 279: 'int24', 535: 'uint24' };
/** GDF 2 physical-dimension codes the readers need (ISO 11073-10101 based). */
const UNIT_CODES: Record<number, string> = { 512: '', 4256: 'V', 4274: 'mV', 4275: 'uV', 4276: 'nV' };

export function looksLikeGdf(head: Uint8Array): boolean {
  return head.length >= 8 && head[0] === 0x47 && head[1] === 0x44 && head[2] === 0x46 && head[3] === 0x20 && head[4] >= 0x30 && head[4] <= 0x39;
}

interface GdfSignal {
  label: string;
  unit: string;
  physicalMin: number;
  physicalMax: number;
  samplesPerRecord: number;
  type: number;
  bytes: number;
  gain: number;
  offset: number;
  recordOffset: number;
}

interface GdfHeader {
  version: number;
  headerBytes: number;
  records: number;
  recordDurationSec: number;
  recordBytes: number;
  signals: GdfSignal[];
  startTime: Date | null;
  /** Descriptions of user event codes (tag 1), by code. */
  eventDescriptions: string[];
  eventTableOffset: number;
  notes: string[];
}

function text(bytes: Uint8Array, start: number, width: number): string {
  return decodeLatin1(bytes, start, start + width).replace(/\0.*$/s, '').trim();
}

function int64(view: DataView, at: number): number {
  const lo = view.getUint32(at, true);
  const hi = view.getInt32(at + 4, true);
  return hi * 0x1_0000_0000 + lo;
}

function parseStartV1(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2}|\s*)/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
  const cs = /^\d{2}$/.test(m[7]) ? Number(m[7]) : 0;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, se, cs * 10));
}

/** GDF 2 time: days since 0000-01-00 in units of 2⁻³² day (day 719529 is 1970-01-01). */
function parseStartV2(view: DataView, at: number): Date | null {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi === 0 && lo === 0) return null;
  const days = hi + lo / 0x1_0000_0000;
  const ms = (days - 719529) * 86_400_000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(Math.round(ms));
}

async function readHeader(source: ByteSource): Promise<GdfHeader> {
  if (source.size < FIXED) throw new RecordingFormatError(`not a GDF file: it is ${source.size} bytes long, shorter than the 256-byte header`);
  const fixed = await readExact(source, 0, FIXED, 'GDF header');
  if (!looksLikeGdf(fixed)) throw new RecordingFormatError('not a GDF file: it does not start with "GDF "');
  const versionText = text(fixed, 4, 4);
  const version = Number(versionText);
  if (!Number.isFinite(version) || version < 1 || version >= 4) throw new RecordingFormatError(`GDF header: version "${versionText}" is not GDF 1.x or 2.x`);
  const v2 = version > 1.9;
  const fv = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const notes: string[] = [];
  const ns = v2 ? fv.getUint16(252, true) : fv.getUint32(252, true);
  if (ns < 1 || ns > MAX_SIGNALS) throw new RecordingFormatError(`GDF header: the number of signals (${ns}) is not between 1 and ${MAX_SIGNALS}`);
  const headerBytes = v2 ? fv.getUint16(184, true) * 256 : int64(fv, 184);
  const minHeader = FIXED * (ns + 1);
  if (!Number.isSafeInteger(headerBytes) || headerBytes < minHeader) {
    throw new RecordingFormatError(`GDF header: the header length (${headerBytes} bytes) is shorter than the ${minHeader} bytes ${ns} signals need: the header is corrupt`);
  }
  if (headerBytes > source.size) {
    throw new RecordingFormatError(`GDF header: the header length (${headerBytes} bytes) runs past the end of the file (${source.size} bytes): the file is truncated or corrupt`);
  }
  let recordDurationSec: number;
  if (version >= 2.21) recordDurationSec = fv.getFloat64(244, true);
  else {
    const num = fv.getUint32(244, true);
    const den = fv.getUint32(248, true);
    recordDurationSec = den > 0 ? num / den : NaN;
  }
  if (!(recordDurationSec > 0) || !Number.isFinite(recordDurationSec)) {
    throw new RecordingFormatError(`GDF header: the data record duration (${recordDurationSec} s) is not a positive number of seconds: the header is corrupt`);
  }
  if (recordDurationSec > MAX_RECORD_DURATION_SEC) {
    throw new RecordingFormatError(`GDF header: the data record duration (${recordDurationSec} s) is absurd (no recording has records longer than ${MAX_RECORD_DURATION_SEC} s): the header is corrupt`);
  }
  const declaredRecords = int64(fv, 236);
  if (!Number.isSafeInteger(declaredRecords) || declaredRecords < -1) throw new RecordingFormatError(`GDF header: the number of data records (${declaredRecords}) is not an integer ≥ -1`);
  const startTime = v2 ? parseStartV2(fv, 168) : parseStartV1(text(fixed, 168, 16));

  const h = await readExact(source, 0, headerBytes, 'GDF signal headers');
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const at = (field: number, width: number, i: number): number => FIXED + field * ns + width * i;
  const signals: GdfSignal[] = [];
  let recordBytes = 0;
  for (let i = 0; i < ns; i++) {
    const label = text(h, at(0, 16, i), 16);
    const name = `signal ${i + 1}${label ? ` (${label})` : ''}`;
    let unit: string;
    if (v2) {
      const code = hv.getUint16(at(102, 2, i), true);
      const written = text(h, at(96, 6, i), 6);
      unit = UNIT_CODES[code] ?? written;
    } else unit = text(h, at(96, 8, i), 8);
    const physicalMin = hv.getFloat64(at(104, 8, i), true);
    const physicalMax = hv.getFloat64(at(112, 8, i), true);
    const digitalMin = v2 ? hv.getFloat64(at(120, 8, i), true) : int64(hv, at(120, 8, i));
    const digitalMax = v2 ? hv.getFloat64(at(128, 8, i), true) : int64(hv, at(128, 8, i));
    const samplesPerRecord = hv.getUint32(at(216, 4, i), true);
    const type = hv.getUint32(at(220, 4, i), true);
    const bytes = TYPE_BYTES[type];
    if (!bytes) throw new RecordingFormatError(`GDF header: ${name}: data type ${type} is not one GDF defines for samples (int8…uint64, int24, float32, float64)`);
    if (samplesPerRecord < 1) throw new RecordingFormatError(`GDF header: ${name}: the number of samples per record is 0`);
    const rateHz = samplesPerRecord / recordDurationSec;
    if (rateHz > MAX_SAMPLE_RATE_HZ) {
      throw new RecordingFormatError(`GDF header: ${name} would be sampled at ${rateHz.toPrecision(4)} Hz, beyond any EEG amplifier's ${MAX_SAMPLE_RATE_HZ / 1000} kHz: the record duration or sample count is corrupt`);
    }
    for (const [v, what] of [[physicalMin, 'physical minimum'], [physicalMax, 'physical maximum'], [digitalMin, 'digital minimum'], [digitalMax, 'digital maximum']] as const) {
      if (!Number.isFinite(v)) throw new RecordingFormatError(`GDF header: ${name}: the ${what} (${v}) is not a number`);
    }
    let gain = 1;
    let offset = 0;
    if (digitalMax !== digitalMin && physicalMax !== physicalMin) {
      gain = (physicalMax - physicalMin) / (digitalMax - digitalMin);
      offset = physicalMin - digitalMin * gain;
    } else notes.push(`${name}: degenerate range (physical ${physicalMin}..${physicalMax}, digital ${digitalMin}..${digitalMax}): values are given as stored.`);
    signals.push({ label, unit: normalizeUnit(unit), physicalMin, physicalMax, samplesPerRecord, type, bytes, gain, offset, recordOffset: recordBytes });
    recordBytes += samplesPerRecord * bytes;
    if (recordBytes > Number.MAX_SAFE_INTEGER / 4) throw new RecordingFormatError(`GDF header: ${name}: the data record size is absurd`);
  }

  const eventDescriptions = v2 ? parseTags(h, minHeader, headerBytes, notes) : [];
  const dataBytes = source.size - headerBytes;
  const available = Math.floor(dataBytes / recordBytes);
  let records: number;
  let eventTableOffset: number;
  if (declaredRecords === -1) {
    records = available;
    eventTableOffset = -1;
    notes.push(`The header says the number of data records is unknown (-1): ${available} whole records read from the file size, no event table.`);
  } else if (declaredRecords > available) {
    records = available;
    eventTableOffset = -1;
    notes.push(`The header declares ${declaredRecords} data records but the file holds only ${available}: the file is truncated; reading what is there, without the event table.`);
  } else {
    records = declaredRecords;
    eventTableOffset = headerBytes + records * recordBytes;
  }
  if (records * recordDurationSec > 10 * 365 * 86_400) throw new RecordingFormatError(`GDF header: ${records} records of ${recordDurationSec} s make more than ten years: the header is corrupt`);
  return { version, headerBytes, records, recordDurationSec, recordBytes, signals, startTime, eventDescriptions, eventTableOffset, notes };
}

/** GDF 2 tag-length-value header: tag 1 is the event code descriptions; the rest is skipped. */
function parseTags(h: Uint8Array, start: number, end: number, notes: string[]): string[] {
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  let p = start;
  let descriptions: string[] = [];
  while (p + 4 <= end) {
    const word = view.getUint32(p, true);
    const tag = word & 0xff;
    const length = word >>> 8;
    if (tag === 0) break;
    const body = p + 4;
    if (body + length > end) {
      notes.push(`GDF header: tag ${tag} runs past the header's end: the rest of the tagged header is ignored.`);
      break;
    }
    if (tag === 1) {
      descriptions = [];
      let s = body;
      for (let k = body; k < body + length; k++) {
        if (h[k] === 0) {
          if (k === s && descriptions.length > 0) break; // the terminating empty string
          descriptions.push(decodeLatin1(h, s, k).trim());
          s = k + 1;
        }
      }
    }
    p = body + length;
  }
  return descriptions;
}

function decodeSamples(bytes: Uint8Array, view: DataView, p: number, n: number, s: GdfSignal, out: Float64Array, o: number, stride: number): void {
  const g = s.gain;
  const c = s.offset;
  const b = s.bytes;
  for (let k = 0; k < n; k++, p += b, o += stride) {
    let d: number;
    switch (s.type) {
      case 1: d = view.getInt8(p); break;
      case 2: d = bytes[p]; break;
      case 3: d = view.getInt16(p, true); break;
      case 4: d = view.getUint16(p, true); break;
      case 5: d = view.getInt32(p, true); break;
      case 6: d = view.getUint32(p, true); break;
      case 7: d = view.getInt32(p + 4, true) * 0x1_0000_0000 + view.getUint32(p, true); break;
      case 8: d = view.getUint32(p + 4, true) * 0x1_0000_0000 + view.getUint32(p, true); break;
      case 16: d = view.getFloat32(p, true); break;
      case 17: d = view.getFloat64(p, true); break;
      case 279: d = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8; break;
      default: d = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16); break;
    }
    out[o] = d * g + c;
  }
}

export class GdfReader implements RecordingReader {
  readonly info: RecordingInfo;
  private readonly rowSignals: GdfSignal[];
  private batch: { first: number; count: number; bytes: Uint8Array; view: DataView } | null = null;

  private constructor(
    private readonly source: ByteSource,
    private readonly header: GdfHeader,
    info: RecordingInfo,
  ) {
    this.info = info;
    this.rowSignals = info.rowChannels.map((c) => header.signals[c]);
  }

  static async open(source: ByteSource): Promise<GdfReader> {
    const header = await readHeader(source);
    const notes = [`GDF ${header.version.toFixed(2)} file.`, ...header.notes];
    const dur = header.recordDurationSec;
    const channels: RecordingChannel[] = header.signals.map((s) => ({
      label: s.label,
      type: edfChannelType(s.label, s.unit) === 'stim' ? 'misc' : edfChannelType(s.label, s.unit),
      unit: s.unit,
      sampleRateHz: s.samplesPerRecord / dur,
      physicalMin: Math.min(s.physicalMin, s.physicalMax),
      physicalMax: Math.max(s.physicalMin, s.physicalMax),
    }));
    const { sampleRateHz, rowChannels } = pickRowRate(channels);
    const others = channels.filter((_, i) => !rowChannels.includes(i));
    if (others.length) notes.push(`Mixed sampling rates: rows hold the ${rowChannels.length} channels at ${sampleRateHz} Hz; ${others.map((c) => `${c.label} (${c.sampleRateHz} Hz)`).join(', ')} are read at their own rate.`);
    const types = new Set(header.signals.map((s) => TYPE_NAMES[s.type]));
    notes.push(`Samples stored as ${[...types].join(', ')}.`);
    const rowSpr = header.signals[rowChannels[0]].samplesPerRecord;
    const sampleCount = header.records * rowSpr;
    const events = await readEvents(source, header, channels, sampleRateHz, notes);
    const info: RecordingInfo = {
      format: 'gdf',
      channels,
      sampleRateHz,
      rowChannels,
      sampleCount,
      durationSec: sampleCount / sampleRateHz,
      startTime: header.startTime,
      events,
      discontinuities: [],
      notes,
    };
    return new GdfReader(source, header, info);
  }

  async readRows(start: number, count: number, out: Float64Array): Promise<number> {
    const width = this.rowSignals.length;
    const n = clampRead(this.info.sampleCount, start, count, out, width);
    if (n > 0) await this.readSignals(this.rowSignals, start, n, out);
    return n;
  }

  async readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number> {
    const s = this.header.signals[channel];
    if (!s) throw new RangeError(`channel ${channel} does not exist (the file has ${this.header.signals.length})`);
    const n = clampRead(this.header.records * s.samplesPerRecord, start, count, out, 1);
    if (n > 0) await this.readSignals([s], start, n, out);
    return n;
  }

  private async recordsFrom(rec: number): Promise<{ first: number; count: number; bytes: Uint8Array; view: DataView }> {
    const b = this.batch;
    if (b && rec >= b.first && rec < b.first + b.count) return b;
    const h = this.header;
    const count = Math.max(1, Math.min(h.records - rec, Math.floor(READ_BYTES / h.recordBytes)));
    const bytes = await readExact(this.source, h.headerBytes + rec * h.recordBytes, count * h.recordBytes, `GDF data records ${rec + 1}-${rec + count}`);
    this.batch = { first: rec, count, bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    return this.batch;
  }

  /** Samples [start, start+n) of signals sharing one samples-per-record, interleaved into out. */
  private async readSignals(signals: GdfSignal[], start: number, n: number, out: Float64Array): Promise<void> {
    const h = this.header;
    const spr = signals[0].samplesPerRecord;
    const width = signals.length;
    const end = start + n;
    const firstRec = Math.floor(start / spr);
    const lastRec = Math.floor((end - 1) / spr);
    for (let rec = firstRec; rec <= lastRec; ) {
      const batch = await this.recordsFrom(rec);
      const upto = Math.min(lastRec, batch.first + batch.count - 1);
      for (let r = rec; r <= upto; r++) {
        const lo = Math.max(start, r * spr) - r * spr;
        const hi = Math.min(end, (r + 1) * spr) - r * spr;
        const outBase = (r * spr + lo - start) * width;
        for (let j = 0; j < width; j++) {
          const s = signals[j];
          decodeSamples(batch.bytes, batch.view, (r - batch.first) * h.recordBytes + s.recordOffset + lo * s.bytes, hi - lo, s, out, outBase + j, width);
        }
      }
      rec = upto + 1;
    }
  }
}

async function readEvents(source: ByteSource, h: GdfHeader, channels: RecordingChannel[], rowRateHz: number, notes: string[]): Promise<RecordingEvent[]> {
  const events: RecordingEvent[] = [];
  const at = h.eventTableOffset;
  if (at < 0 || at + 8 > source.size) {
    if (at >= 0 && at < source.size) notes.push(`${source.size - at} bytes after the last data record are too short for an event table: ignored.`);
    return events;
  }
  const head = await readExact(source, at, 8, 'GDF event table');
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const mode = head[0];
  let count: number;
  let rate: number;
  if (h.version < 1.94) {
    rate = head[1] | (head[2] << 8) | (head[3] << 16);
    count = hv.getUint32(4, true);
  } else {
    count = head[1] | (head[2] << 8) | (head[3] << 16);
    rate = hv.getFloat32(4, true);
  }
  if (count === 0) return events;
  if (mode !== 1 && mode !== 3 && mode !== 5 && mode !== 7) {
    notes.push(`The event table has an unknown mode (${mode}): its ${count} events are not read.`);
    return events;
  }
  const full = (mode & 2) !== 0;
  const perEvent = full ? 12 : 6;
  if (at + 8 + count * perEvent > source.size) {
    notes.push(`The event table declares ${count} events but the file ends before them: the events are not read (the file is truncated).`);
    return events;
  }
  if (!(rate > 0) || !Number.isFinite(rate)) {
    notes.push(`The event table's rate (${rate}) is not a positive number: event positions are taken at the signal rate, ${rowRateHz} Hz.`);
    rate = rowRateHz;
  }
  const n = Math.min(count, MAX_EVENTS);
  if (count > n) notes.push(`More than ${MAX_EVENTS} events: the rest were not read.`);
  const pos = await readExact(source, at + 8, 4 * count, 'GDF event positions');
  const typ = await readExact(source, at + 8 + 4 * count, 2 * count, 'GDF event types');
  const chn = full ? await readExact(source, at + 8 + 6 * count, 2 * count, 'GDF event channels') : null;
  const dur = full ? await readExact(source, at + 8 + 8 * count, 4 * count, 'GDF event durations') : null;
  const pv = new DataView(pos.buffer, pos.byteOffset, pos.byteLength);
  const tv = new DataView(typ.buffer, typ.byteOffset, typ.byteLength);
  const cv = chn ? new DataView(chn.buffer, chn.byteOffset, chn.byteLength) : null;
  const dv = dur ? new DataView(dur.buffer, dur.byteOffset, dur.byteLength) : null;
  let described = 0;
  let badChannel = 0;
  for (let k = 0; k < n; k++) {
    const type = tv.getUint16(2 * k, true);
    const description = type < h.eventDescriptions.length ? h.eventDescriptions[type] : '';
    if (description) described++;
    const e: RecordingEvent = {
      // positions are 1-based samples at the event rate
      onsetSec: (pv.getUint32(4 * k, true) - 1) / rate,
      durationSec: dv ? dv.getUint32(4 * k, true) / rate : 0,
      label: description || String(type),
    };
    const c = cv ? cv.getUint16(2 * k, true) : 0;
    if (c > 0) {
      if (c <= channels.length) e.channel = channels[c - 1].label;
      else badChannel++;
    }
    events.push(e);
  }
  notes.push(`Event table: ${n} events (${full ? 'type, position, channel and duration' : 'type and position'} at ${rate} Hz)${described ? `; ${described} labelled with the file's own event descriptions, the others by their GDF type code` : ', labelled by their GDF type code'}.`);
  if (badChannel) notes.push(`${badChannel} events name a channel the file does not have: read as concerning all channels.`);
  return sortEvents(events);
}

export function openGdf(source: ByteSource): Promise<GdfReader> {
  return GdfReader.open(source);
}
