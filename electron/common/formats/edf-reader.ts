// EDF/EDF+ and BDF/BDF+ reader over a ByteSource (the header layout is in edf-header.ts).
//
// Open reads the header, then walks the data records once for what must be known up front, and
// only the bytes of the signals concerned: the annotations signals (TALs: events, and each record's
// start time in EDF+D files) and trigger channels (BioSemi `Status`: the low 16 bits, an event at
// each change to a non-zero value). Samples are read on demand, a batch of whole records at a time
// (or only the wanted signals' bytes when records are large).
//
// Rows are the channels at the most common rate, data records back to back; in EDF+D files the
// gaps between records become discontinuities (see recording.ts for the time conventions).
// Mixed rates: the other channels are read with readChannel at their own rate.

import { parseEdfHeader, parseEdfPrelude, EDF_FIXED_HEADER_BYTES, type EdfHeader, type EdfSignal } from './edf-header.js';
import { parseTals } from './edf-annotations.js';
import {
  clampRead,
  normalizeUnit,
  pickRowRate,
  RecordingFormatError,
  sortEvents,
  totalMissingSec,
  type RecordingChannel,
  type RecordingChannelType,
  type RecordingDiscontinuity,
  type RecordingEvent,
  type RecordingInfo,
  type RecordingReader,
} from './recording.js';
import { readExact, type ByteSource } from './source.js';

/** Bytes read at once when reading samples or scanning records. */
const READ_BYTES = 4 << 20;
/** Beyond this many events (a flickering trigger line) decoding stops, with a note. */
const MAX_EVENTS = 1_000_000;

/** A trigger line has at most this many distinct values… */
const MAX_TRIGGER_LEVELS = 256;
/** …and holds each for this many samples on average (judged once it changed more than MIN_CHANGES_JUDGED times). */
const MIN_HOLD_SAMPLES = 4;
const MIN_CHANGES_JUDGED = 64;

const STIM_LABELS = new Set(['status', 'trigger', 'sti 014', 'sti014']);

export function edfChannelType(label: string, unit: string): RecordingChannelType {
  const l = label.trim().toLowerCase();
  if (STIM_LABELS.has(l)) return 'stim';
  if (/^(ecg|ekg)\b/.test(l)) return 'ecg';
  if (/^eog\b/.test(l)) return 'eog';
  if (/^emg\b/.test(l)) return 'emg';
  if (/^(acc|accel)\b/.test(l)) return 'accel';
  // EDF+'s "MISC label" (the workstation writes a montage's misc channels so)
  if (/^misc\s/.test(l)) return 'misc';
  const u = normalizeUnit(unit).toLowerCase();
  if (u === 'uv' || u === 'mv' || u === 'v' || u === 'nv') return 'eeg';
  return 'misc';
}

function decodeSamples(
  bytes: Uint8Array,
  byteStart: number,
  n: number,
  bps: 2 | 3,
  gain: number,
  offset: number,
  out: Float64Array,
  outStart: number,
  stride: number,
  mask16: boolean,
): void {
  let p = byteStart;
  let o = outStart;
  if (bps === 3) {
    if (mask16) {
      for (let k = 0; k < n; k++, p += 3, o += stride) out[o] = bytes[p] | (bytes[p + 1] << 8);
      return;
    }
    // one 32-bit load per sample (its top byte belongs to the next sample and is shifted out),
    // except for a last sample at the very end of the buffer
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const safe = Math.max(0, Math.min(n, Math.floor((bytes.length - 4 - byteStart) / 3) + 1));
    let k = 0;
    for (; k < safe; k++, p += 3, o += stride) out[o] = ((view.getInt32(p, true) << 8) >> 8) * gain + offset;
    for (; k < n; k++, p += 3, o += stride) {
      const d = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8;
      out[o] = d * gain + offset;
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < n; k++, p += 2, o += stride) out[o] = view.getInt16(p, true) * gain + offset;
  }
}

export class EdfReader implements RecordingReader {
  readonly info: RecordingInfo;
  private readonly dataSignals: EdfSignal[];
  private readonly rowSignals: EdfSignal[];
  private readonly rowSamplesPerRecord: number;
  private readonly maskStatus: boolean[];
  /** The last batch of whole records read (up to READ_BYTES): small sequential reads (replay) reuse it. */
  private batch: RecordBatch | null = null;

  private constructor(
    private readonly source: ByteSource,
    readonly header: EdfHeader,
    info: RecordingInfo,
    dataSignals: EdfSignal[],
  ) {
    this.info = info;
    this.dataSignals = dataSignals;
    this.rowSignals = info.rowChannels.map((c) => dataSignals[c]);
    this.rowSamplesPerRecord = this.rowSignals.length ? this.rowSignals[0].samplesPerRecord : Math.round(info.sampleRateHz * header.recordDurationSec);
    // BioSemi Status: the trigger code is the low 16 bits; the high byte carries device status bits
    this.maskStatus = dataSignals.map((s, i) => header.variant === 'bdf' && info.channels[i].type === 'stim');
  }

  static async open(source: ByteSource): Promise<EdfReader> {
    const fixed = await readExact(source, 0, Math.min(EDF_FIXED_HEADER_BYTES, source.size), 'EDF header');
    const { headerBytes } = parseEdfPrelude(fixed, source.size);
    const header = parseEdfHeader(await readExact(source, 0, headerBytes, 'EDF signal headers'), source.size);
    const notes = [...header.notes];
    const dataSignals = header.signals.filter((s) => !s.isAnnotations);
    if (dataSignals.length === 0) return EdfReader.openAnnotationsOnly(source, header, notes);
    const dur = header.recordDurationSec;
    const channels: RecordingChannel[] = dataSignals.map((s) => ({
      label: s.label,
      type: edfChannelType(s.label, s.unit),
      unit: normalizeUnit(s.unit),
      sampleRateHz: s.samplesPerRecord / dur,
      physicalMin: Math.min(s.physicalMin, s.physicalMax),
      physicalMax: Math.max(s.physicalMin, s.physicalMax),
    }));
    const { sampleRateHz, rowChannels } = pickRowRate(channels);
    const rowSpr = rowChannels.length ? dataSignals[rowChannels[0]].samplesPerRecord : Math.round(sampleRateHz * dur);
    const scan = await scanRecords(source, header, dataSignals, channels, rowSpr, notes);
    let rows = { sampleRateHz, rowChannels };
    if (scan.analogStim.length) {
      // channels named like triggers that carry data are data channels: in the rows at their rate
      for (const c of scan.analogStim) channels[c].type = 'misc';
      const again = pickRowRate(channels);
      if (again.sampleRateHz === sampleRateHz) rows = again;
    }
    const others = channels.filter((c, i) => c.type !== 'stim' && !rows.rowChannels.includes(i)).map((c) => `${c.label} (${c.sampleRateHz} Hz)`);
    if (others.length) notes.push(`Mixed sampling rates: rows hold the ${rows.rowChannels.length} channels at ${sampleRateHz} Hz; ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} at other rates (read by channel; not in the rows).`);
    const sampleCount = header.records * rowSpr;
    const info: RecordingInfo = {
      format: header.variant,
      channels,
      sampleRateHz,
      rowChannels: rows.rowChannels,
      sampleCount,
      durationSec: sampleCount / sampleRateHz + totalMissingSec(scan.discontinuities),
      startTime: header.startTime && scan.firstRecordOnsetSec !== 0 ? new Date(header.startTime.getTime() + scan.firstRecordOnsetSec * 1000) : header.startTime,
      events: sortEvents(scan.events),
      discontinuities: scan.discontinuities,
      notes,
    };
    return new EdfReader(source, header, info, dataSignals);
  }

  /**
   * An EDF+ file with an annotations signal only (hypnograms, scorings: often one record of
   * duration 0): its events, no channels and no samples. Onsets are seconds from the header's
   * start time, as the annotations say.
   */
  private static async openAnnotationsOnly(source: ByteSource, header: EdfHeader, notes: string[]): Promise<EdfReader> {
    const annotationSignals = header.signals.filter((s) => s.isAnnotations);
    if (annotationSignals.length === 0) throw new RecordingFormatError('the EDF file has neither signals nor annotations: there is nothing to read');
    const events: RecordingEvent[] = [];
    let malformed = 0;
    let capped = false;
    for (let rec = 0; rec < header.records; rec++) {
      const bytes = await readExact(source, header.headerBytes + rec * header.recordBytes, header.recordBytes, `data record ${rec + 1}`);
      for (const s of annotationSignals) {
        const parsed = parseTals(bytes.subarray(s.recordOffset, s.recordOffset + s.samplesPerRecord * header.bytesPerSample));
        malformed += parsed.malformed;
        for (const tal of parsed.tals) {
          for (const text of tal.texts) {
            if (events.length < MAX_EVENTS) events.push({ onsetSec: tal.onsetSec, durationSec: tal.durationSec, label: text });
            else capped = true;
          }
        }
      }
    }
    if (malformed) notes.push(`${malformed} malformed annotation entries (TALs) were skipped.`);
    if (capped) notes.push(`More than ${MAX_EVENTS} events: the rest were not decoded.`);
    notes.push(`Annotations only (no signals): ${events.length} events, no samples.`);
    sortEvents(events);
    let end = header.records * header.recordDurationSec;
    for (const e of events) end = Math.max(end, e.onsetSec + Math.max(0, e.durationSec));
    const info: RecordingInfo = {
      format: header.variant,
      channels: [],
      sampleRateHz: 0,
      rowChannels: [],
      sampleCount: 0,
      durationSec: end,
      startTime: header.startTime,
      events,
      discontinuities: [],
      notes,
    };
    return new EdfReader(source, header, info, []);
  }

  async readRows(start: number, count: number, out: Float64Array): Promise<number> {
    const width = this.rowSignals.length;
    const n = clampRead(this.info.sampleCount, start, count, out, width);
    if (n === 0 || width === 0) return n;
    await this.readSignals(this.rowSignals, this.rowSamplesPerRecord, start, n, out, this.rowSignals.map(() => false));
    return n;
  }

  async readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number> {
    const s = this.dataSignals[channel];
    if (!s) throw new RangeError(`channel ${channel} does not exist (the file has ${this.dataSignals.length})`);
    const total = this.header.records * s.samplesPerRecord;
    const n = clampRead(total, start, count, out, 1);
    if (n === 0) return 0;
    await this.readSignals([s], s.samplesPerRecord, start, n, out, [this.maskStatus[channel]]);
    return n;
  }

  /** A batch of whole records that holds record `rec`: the cached one, or up to READ_BYTES read from `rec` on. */
  private async recordsFrom(rec: number): Promise<RecordBatch> {
    const b = this.batch;
    if (b && rec >= b.first && rec < b.first + b.count) return b;
    const h = this.header;
    const count = Math.max(1, Math.min(h.records - rec, Math.floor(READ_BYTES / h.recordBytes)));
    const bytes = await readExact(this.source, h.headerBytes + rec * h.recordBytes, count * h.recordBytes, `data records ${rec + 1}-${rec + count}`);
    this.batch = { first: rec, count, bytes };
    return this.batch;
  }

  /**
   * Reads samples [start, start+n) of signals that share `spr` samples per record into out,
   * interleaved (signal j of sample k at k·signals.length + j). Whole records are read in batches
   * of up to READ_BYTES when they are small; each signal's bytes of each record when they are large.
   */
  private async readSignals(signals: EdfSignal[], spr: number, start: number, n: number, out: Float64Array, masks: boolean[]): Promise<void> {
    const h = this.header;
    const bps = h.bytesPerSample;
    const width = signals.length;
    const end = start + n;
    const firstRec = Math.floor(start / spr);
    const lastRec = Math.floor((end - 1) / spr);
    const dataStart = h.headerBytes;
    if (h.recordBytes <= READ_BYTES) {
      for (let rec = firstRec; rec <= lastRec; ) {
        const batch = await this.recordsFrom(rec);
        const upto = Math.min(lastRec, batch.first + batch.count - 1);
        for (let r = rec; r <= upto; r++) {
          const lo = Math.max(start, r * spr) - r * spr;
          const hi = Math.min(end, (r + 1) * spr) - r * spr;
          const outBase = (r * spr + lo - start) * width;
          for (let j = 0; j < width; j++) {
            const s = signals[j];
            decodeSamples(batch.bytes, (r - batch.first) * h.recordBytes + s.recordOffset + lo * bps, hi - lo, bps, s.gain, s.offset, out, outBase + j, width, masks[j]);
          }
        }
        rec = upto + 1;
      }
      return;
    }
    for (let r = firstRec; r <= lastRec; r++) {
      const lo = Math.max(start, r * spr) - r * spr;
      const hi = Math.min(end, (r + 1) * spr) - r * spr;
      const outBase = (r * spr + lo - start) * width;
      for (let j = 0; j < width; j++) {
        const s = signals[j];
        const bytes = await readExact(this.source, dataStart + r * h.recordBytes + s.recordOffset + lo * bps, (hi - lo) * bps, `data record ${r + 1}`);
        decodeSamples(bytes, 0, hi - lo, bps, s.gain, s.offset, out, outBase + j, width, masks[j]);
      }
    }
  }
}

interface RecordBatch {
  first: number;
  count: number;
  bytes: Uint8Array;
}

interface ScanResult {
  events: RecordingEvent[];
  discontinuities: RecordingDiscontinuity[];
  firstRecordOnsetSec: number;
  /** Channels named like trigger channels whose data are not a trigger line (indices into channels). */
  analogStim: number[];
}

/**
 * One pass over the records for annotations (TALs) and trigger channels. Reads batches of whole
 * records when the wanted bytes are a good part of a record, else only the wanted span of each.
 */
async function scanRecords(
  source: ByteSource,
  h: EdfHeader,
  dataSignals: EdfSignal[],
  channels: RecordingChannel[],
  rowSpr: number,
  notes: string[],
): Promise<ScanResult> {
  const annotationSignals = h.signals.filter((s) => s.isAnnotations);
  const stimIndices = channels.map((c, i) => (c.type === 'stim' ? i : -1)).filter((i) => i >= 0);
  const stimSignals = stimIndices.map((i) => dataSignals[i]);
  const wanted = [...annotationSignals, ...stimSignals];
  const dur = h.recordDurationSec;
  const events: RecordingEvent[] = [];
  const discontinuities: RecordingDiscontinuity[] = [];
  const records = h.records;
  const discontinuous = h.plus === 'D' && annotationSignals.length > 0;
  if (h.plus === 'D' && annotationSignals.length === 0) notes.push('The header says EDF+D (discontinuous) but there is no annotations signal to place the records: read as continuous.');
  if (wanted.length === 0 || records === 0) return { events, discontinuities, firstRecordOnsetSec: 0, analogStim: [] };

  // wall-clock onset of each record (from its time-keeping TAL) and its recording time
  const recordOnset = new Float64Array(records);
  const recordTime = new Float64Array(records);
  const rawAnnotations: { onsetSec: number; durationSec: number; label: string }[] = [];
  let malformed = 0;
  let missingKeeping = 0;
  let overlaps = 0;
  let eventsCapped = false;
  const gapTolerance = 0.5 / Math.max(1, rowSpr / dur);

  const stim = stimSignals.map((s, k) => ({
    signal: s,
    label: channels[stimIndices[k]].label,
    rate: s.samplesPerRecord / dur,
    prev: null as number | null,
    open: null as RecordingEvent | null,
    mask: h.variant === 'bdf',
    count: 0,
    /** Distinct stored values seen (up to MAX_TRIGGER_LEVELS + 1), value changes and samples: does it look like a trigger line? */
    levels: new Set<number>(),
    changes: 0,
    samples: 0,
    own: [] as RecordingEvent[],
  }));

  const lo = Math.min(...wanted.map((s) => s.recordOffset));
  const hi = Math.max(...wanted.map((s) => s.recordOffset + s.samplesPerRecord * h.bytesPerSample));
  const span = hi - lo;
  const batchWhole = span * 4 >= h.recordBytes || h.recordBytes <= 16384;
  const perRead = batchWhole ? Math.max(1, Math.floor(READ_BYTES / h.recordBytes)) : 1;

  for (let rec = 0; rec < records; rec += perRead) {
    const n = Math.min(perRead, records - rec);
    let bytes: Uint8Array;
    let stride: number;
    let shift: number;
    if (batchWhole) {
      bytes = await readExact(source, h.headerBytes + rec * h.recordBytes, n * h.recordBytes, `data records ${rec + 1}-${rec + n}`);
      stride = h.recordBytes;
      shift = 0;
    } else {
      bytes = await readExact(source, h.headerBytes + rec * h.recordBytes + lo, span, `data record ${rec + 1}`);
      stride = 0;
      shift = lo;
    }
    for (let k = 0; k < n; k++) {
      const r = rec + k;
      const recBase = k * stride - shift;
      // annotations: the first TAL of the first annotations signal keeps the record's time
      let keeping: number | null = null;
      annotationSignals.forEach((s, a) => {
        const start = recBase + s.recordOffset;
        const parsed = parseTals(bytes.subarray(start, start + s.samplesPerRecord * h.bytesPerSample));
        malformed += parsed.malformed;
        parsed.tals.forEach((tal, t) => {
          if (a === 0 && t === 0) keeping = tal.onsetSec;
          for (const text of tal.texts) {
            if (rawAnnotations.length < MAX_EVENTS) rawAnnotations.push({ onsetSec: tal.onsetSec, durationSec: tal.durationSec, label: text });
            else eventsCapped = true;
          }
        });
      });
      if (r === 0) {
        recordOnset[0] = keeping ?? 0;
        recordTime[0] = 0;
      } else {
        const expected = recordOnset[r - 1] + dur;
        let onset = expected;
        if (discontinuous) {
          if (keeping === null) missingKeeping++;
          else onset = keeping;
        }
        let missing = onset - expected;
        if (missing < -gapTolerance) {
          overlaps++;
          missing = 0;
          onset = expected;
        }
        recordOnset[r] = onset;
        if (missing > gapTolerance) {
          discontinuities.push({ onsetSec: recordTime[r - 1] + dur, sampleIndex: r * rowSpr, missingSec: missing });
          recordTime[r] = recordTime[r - 1] + dur + missing;
        } else recordTime[r] = recordTime[r - 1] + dur;
      }
      // trigger channels
      for (const st of stim) {
        const s = st.signal;
        const p0 = recBase + s.recordOffset;
        const bps = h.bytesPerSample;
        for (let i = 0; i < s.samplesPerRecord; i++) {
          const p = p0 + i * bps;
          let v: number;
          let d: number;
          if (bps === 3) {
            d = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8;
            if (st.mask) d &= 0xffff;
            v = st.mask ? d : Math.round(d * s.gain + s.offset);
          } else {
            d = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
            v = Math.round(d * s.gain + s.offset);
          }
          st.samples++;
          if (st.levels.size <= MAX_TRIGGER_LEVELS) st.levels.add(d);
          if (v === st.prev) continue;
          if (st.prev !== null) st.changes++;
          if (st.levels.size > MAX_TRIGGER_LEVELS) {
            // too many levels for a trigger line: no more events from it (the decision is made below)
            st.prev = v;
            continue;
          }
          const t = recordTime[r] + i / st.rate;
          if (st.open) {
            st.open.durationSec = t - st.open.onsetSec;
            st.open = null;
          }
          if (v !== 0 && st.prev !== null) {
            if (events.length < MAX_EVENTS) {
              st.open = { onsetSec: t, durationSec: 0, label: String(v) };
              events.push(st.open);
              st.own.push(st.open);
              st.count++;
            } else eventsCapped = true;
          }
          st.prev = v;
        }
      }
    }
  }
  const endTime = recordTime[records - 1] + dur;
  const analog: number[] = [];
  for (const [k, st] of stim.entries()) {
    if (st.open) st.open.durationSec = endTime - st.open.onsetSec;
    const levels = st.levels.size > MAX_TRIGGER_LEVELS ? `more than ${MAX_TRIGGER_LEVELS}` : String(st.levels.size);
    const changePct = st.samples ? (100 * st.changes) / st.samples : 0;
    // a trigger line holds a few levels for several samples; analog data changes at almost every sample
    const looksLikeTrigger = st.levels.size <= MAX_TRIGGER_LEVELS && (st.changes <= MIN_CHANGES_JUDGED || st.changes * MIN_HOLD_SAMPLES <= st.samples);
    if (looksLikeTrigger) {
      notes.push(
        `${st.label} channel decoded as events (${st.mask ? 'low 16 bits, ' : ''}an event at each change to a non-zero value; ${levels} levels, changing at ${changePct.toFixed(2)}% of samples): ${st.count} events. Its samples are not in the rows (read them by channel).`,
      );
    } else {
      const own = new Set(st.own);
      for (let i = events.length - 1; i >= 0; i--) if (own.has(events[i])) events.splice(i, 1);
      analog.push(stimIndices[k]);
      notes.push(`${st.label} is named like a trigger channel but carries data (${levels} distinct values, changing at ${changePct.toFixed(1)}% of samples): kept as a data channel, not decoded as events.`);
    }
  }

  // annotation onsets are wall-clock seconds from the header's start: map them to recording time
  for (const a of rawAnnotations) {
    events.push({ onsetSec: wallToRecordingTime(a.onsetSec, recordOnset, recordTime), durationSec: a.durationSec, label: a.label });
  }
  if (malformed) notes.push(`${malformed} malformed annotation entries (TALs) were skipped.`);
  if (missingKeeping) notes.push(`${missingKeeping} data records have no time-keeping annotation: each was placed right after the previous one.`);
  if (overlaps) notes.push(`${overlaps} data records start before the previous one ends (overlapping records): read back to back.`);
  if (eventsCapped) notes.push(`More than ${MAX_EVENTS} events: the rest were not decoded.`);
  if (recordOnset[0] !== 0) notes.push(`The first data record starts ${recordOnset[0]} s after the header's start time (EDF+ time-keeping): start time and onsets adjusted.`);
  return { events, discontinuities, firstRecordOnsetSec: recordOnset[0], analogStim: analog };
}

/** Recording time of a wall-clock onset (seconds from the header start), via the record it falls in. */
function wallToRecordingTime(t: number, recordOnset: Float64Array, recordTime: Float64Array): number {
  // last record starting at or before t
  let lo = 0;
  let hi = recordOnset.length - 1;
  if (t < recordOnset[0]) return t - recordOnset[0];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (recordOnset[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return recordTime[lo] + (t - recordOnset[lo]);
}

export function openEdf(source: ByteSource): Promise<EdfReader> {
  return EdfReader.open(source);
}
