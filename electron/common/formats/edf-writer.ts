// BDF+ / EDF+ writing, over byte arrays (pure; the recorder worker does the file I/O). Written as
// it goes in fixed-size data records of one second, with an annotations signal carrying markers,
// paradigm events, gaps and pauses; the header says "-1" records (unknown length) until the
// recording is closed, so a file cut off by a crash is repaired by counting whole records.
//
// Layout (EDF spec + EDF+/BDF+ extensions):
//   header 256 bytes: version (8) | patient (80) | recording (80) | start date dd.mm.yy (8) |
//     start time hh.mm.ss (8) | header bytes (8) | reserved (44: "BDF+C"/"EDF+C"; BDF: "24BIT"
//     is not used, BDF+ says "BDF+C") | records (8, "-1" while recording) | record seconds (8) |
//     signal count (4)
//   then per signal, field by field for all signals: label 16, transducer 80, unit 8, physical
//     min 8, physical max 8, digital min 8, digital max 8, prefiltering 80, samples/record 8,
//     reserved 32
//   data records: per signal, samples/record values, little-endian two's complement, 3 bytes
//     (BDF) or 2 bytes (EDF). The annotations signal holds TALs: "+onset\x14\x14\0" (the record's
//     time-keeping entry) then "+onset\x15duration\x14label\x14\0" per annotation, zero-padded.
//
// Physical ranges: BDF keeps 24 bits, so a Cyton channel (±187 500 µV at gain 24) maps one ADC
// count to one digital step: nothing is lost. EDF has 16 bits: a channel gets a window of
// ±EDF_HALF_RANGE_UV (±3276.7 µV at 0.1 µV a step) centred on its median in the first second,
// since electrode offsets of hundreds of mV would otherwise waste the range; values outside the
// window are clipped, counted, and annotated.

export type EdfVariant = 'bdf' | 'edf';

export interface EdfSignalSpec {
  readonly label: string;
  readonly unit: string;
  readonly physicalMin: number;
  readonly physicalMax: number;
  readonly transducer?: string;
  readonly prefiltering?: string;
}

export interface EdfHeaderSpec {
  readonly variant: EdfVariant;
  /** EDF+ patient field: subject code only (never a name): "S01 X X X". */
  readonly subjectCode: string;
  readonly startTime: Date;
  /** Free text for the recording field: who and what recorded. */
  readonly technician: string;
  readonly equipment: string;
  readonly sampleRateHz: number;
  readonly signals: readonly EdfSignalSpec[];
  /** Bytes per record reserved for annotations (rounded to whole samples). */
  readonly annotationBytesPerRecord?: number;
}

export interface EdfAnnotation {
  readonly onsetSec: number;
  readonly durationSec: number;
  readonly label: string;
}

export const EDF_HALF_RANGE_UV = 3276.7;
const DIGITAL = { bdf: { min: -8388608, max: 8388607, bytes: 3 }, edf: { min: -32768, max: 32767, bytes: 2 } } as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** EDF header fields are printable US-ASCII, left-aligned, space-padded. */
export function asciiField(text: string, width: number): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '_');
  return clean.length >= width ? clean.slice(0, width) : clean + ' '.repeat(width - clean.length);
}

/** A number in at most `width` characters (EDF's 8-character numeric fields). */
export function numberField(value: number, width = 8): string {
  if (Number.isInteger(value) && String(value).length <= width) return asciiField(String(value), width);
  for (let digits = width; digits >= 0; digits--) {
    const text = value.toFixed(digits);
    if (text.length <= width) return asciiField(text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''), width);
  }
  throw new RangeError(`EDF: ${value} does not fit in ${width} characters`);
}

/** The layout of a record, derived from a header spec. */
export class EdfLayout {
  readonly bytesPerSample: number;
  readonly digitalMin: number;
  readonly digitalMax: number;
  readonly samplesPerRecord: number;
  readonly annotationSamples: number;
  readonly signalCount: number;
  readonly headerBytes: number;
  readonly recordBytes: number;
  /** Per data signal: digital = round((physical − offset) × gain). */
  readonly gain: Float64Array;
  readonly offset: Float64Array;
  /** Physical ranges as written in the header. */
  readonly physical: { min: number; max: number }[];

  constructor(readonly spec: EdfHeaderSpec) {
    const d = DIGITAL[spec.variant];
    this.bytesPerSample = d.bytes;
    this.digitalMin = d.min;
    this.digitalMax = d.max;
    if (!Number.isInteger(spec.sampleRateHz) || spec.sampleRateHz <= 0) {
      throw new RangeError(`EDF: one-second records need a whole sampling rate, got ${spec.sampleRateHz} Hz`);
    }
    this.samplesPerRecord = spec.sampleRateHz;
    this.annotationSamples = Math.ceil((spec.annotationBytesPerRecord ?? 240) / d.bytes);
    this.signalCount = spec.signals.length + 1;
    this.headerBytes = 256 * (this.signalCount + 1);
    this.recordBytes = d.bytes * (spec.signals.length * this.samplesPerRecord + this.annotationSamples);
    this.gain = new Float64Array(spec.signals.length);
    this.offset = new Float64Array(spec.signals.length);
    // the scale comes from the ranges as the header will print them (8 characters), so that a
    // reader computes exactly the physical values written
    this.physical = spec.signals.map((s) => {
      const min = Number(numberField(s.physicalMin));
      const max = Number(numberField(s.physicalMax));
      if (!(max > min)) throw new RangeError(`EDF: signal ${s.label} needs its physical max above its min`);
      return { min, max };
    });
    this.physical.forEach(({ min, max }, i) => {
      this.gain[i] = (d.max - d.min) / (max - min);
      this.offset[i] = min - d.min / this.gain[i];
    });
  }

  /** The header, with `recordCount` records (-1 while recording). */
  header(recordCount: number): Uint8Array {
    const { spec } = this;
    const t = spec.startTime;
    const two = (n: number) => String(n).padStart(2, '0');
    const plus = spec.variant === 'bdf' ? 'BDF+C' : 'EDF+C';
    const version = spec.variant === 'bdf' ? '\xffBIOSEMI' : '0       ';
    const annotationLabel = spec.variant === 'bdf' ? 'BDF Annotations' : 'EDF Annotations';
    const startdate = `${two(t.getUTCDate())}-${MONTHS[t.getUTCMonth()]}-${t.getUTCFullYear()}`;
    let text = version;
    text += asciiField(`${spec.subjectCode.replace(/\s+/g, '_')} X X X`, 80);
    text += asciiField(`Startdate ${startdate} X ${spec.technician.replace(/\s+/g, '_') || 'X'} ${spec.equipment.replace(/\s+/g, '_')}`, 80);
    text += `${two(t.getUTCDate())}.${two(t.getUTCMonth() + 1)}.${two(t.getUTCFullYear() % 100)}`;
    text += `${two(t.getUTCHours())}.${two(t.getUTCMinutes())}.${two(t.getUTCSeconds())}`;
    text += numberField(this.headerBytes);
    text += asciiField(plus, 44);
    text += numberField(recordCount);
    text += numberField(1);
    text += asciiField(String(this.signalCount), 4);
    const all = [...spec.signals.map((s) => ({ ...s, annotation: false })), { label: annotationLabel, unit: '', physicalMin: -1, physicalMax: 1, annotation: true }];
    const field = (f: (s: (typeof all)[number]) => string) => all.map(f).join('');
    text += field((s) => asciiField(s.label, 16));
    text += field((s) => asciiField(s.annotation ? '' : ('transducer' in s && s.transducer) || 'AgAgCl electrode', 80));
    text += field((s) => asciiField(s.unit, 8));
    text += field((s) => numberField(s.physicalMin));
    text += field((s) => numberField(s.physicalMax));
    // (numberField prints the same rounding the scale above was computed from)
    text += field(() => numberField(this.digitalMin));
    text += field(() => numberField(this.digitalMax));
    text += field((s) => asciiField(s.annotation ? '' : ('prefiltering' in s && s.prefiltering) || 'None', 80));
    text += field((s) => numberField(s.annotation ? this.annotationSamples : this.samplesPerRecord));
    text += field(() => asciiField('', 32));
    const bytes = new Uint8Array(this.headerBytes);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  }
}

/**
 * Encodes one data record: `rows` holds samplesPerRecord interleaved rows of the data signals (in
 * physical units); the annotations are written after the time-keeping entry. Returns how many
 * values were clipped to the digital range. `annotations` that do not fit are returned in
 * `overflow` for the next record.
 */
export function encodeRecord(
  layout: EdfLayout,
  rows: Float64Array,
  recordOnsetSec: number,
  annotations: readonly EdfAnnotation[],
  out: Uint8Array,
): { clipped: number; overflow: EdfAnnotation[]; unfit: EdfAnnotation[]; annotationBytesUsed: number } {
  const channels = layout.spec.signals.length;
  const n = layout.samplesPerRecord;
  const bytes = layout.bytesPerSample;
  const { digitalMin, digitalMax, gain, offset } = layout;
  let clipped = 0;
  let at = 0;
  for (let c = 0; c < channels; c++) {
    const g = gain[c];
    const o = offset[c];
    for (let i = 0; i < n; i++) {
      let v = Math.round((rows[i * channels + c] - o) * g);
      if (v > digitalMax) {
        v = digitalMax;
        clipped++;
      } else if (v < digitalMin) {
        v = digitalMin;
        clipped++;
      } else if (v !== v) {
        v = 0; // NaN: no data (a gap filled by the recorder); annotated separately
      }
      out[at] = v & 0xff;
      out[at + 1] = (v >> 8) & 0xff;
      if (bytes === 3) out[at + 2] = (v >> 16) & 0xff;
      at += bytes;
    }
  }
  const annotationBytes = layout.annotationSamples * bytes;
  out.fill(0, at, at + annotationBytes);
  const keeping = utf8(`${formatOnset(recordOnsetSec)}\x14\x14\x00`);
  out.set(keeping, at);
  const used = keeping.length;
  const { overflow, unfit, used: total } = appendAnnotations(out, at, annotationBytes, used, annotations, used);
  return { clipped, overflow, unfit, annotationBytesUsed: total };
}

/**
 * Adds annotation TALs to an annotations area (out[at, at + areaBytes)) that already holds `used`
 * bytes; returns those that did not fit (in order, for a later record), those too long for any
 * record's area once `reservedBytes` (its time-keeping entry) are taken (`unfit`, never holding up
 * the others), and the bytes now used. (The recorder also uses it to add late annotations to
 * earlier records when a recording stops.)
 */
export function appendAnnotations(
  out: Uint8Array,
  at: number,
  areaBytes: number,
  used: number,
  annotations: readonly EdfAnnotation[],
  reservedBytes = 0,
): { overflow: EdfAnnotation[]; unfit: EdfAnnotation[]; used: number } {
  const overflow: EdfAnnotation[] = [];
  const unfit: EdfAnnotation[] = [];
  for (const a of annotations) {
    const entry = utf8(`${formatOnset(a.onsetSec)}${a.durationSec > 0 ? `\x15${trimNumber(a.durationSec)}` : ''}\x14${a.label.replace(/[\x00-\x1f]/g, ' ')}\x14\x00`);
    // one that no record's area can hold must not hold up those after it
    if (entry.length > areaBytes - reservedBytes) {
      unfit.push(a);
      continue;
    }
    if (overflow.length > 0 || used + entry.length > areaBytes) {
      overflow.push(a);
      continue;
    }
    out.set(entry, at + used);
    used += entry.length;
  }
  return { overflow, unfit, used };
}

/** The most a record's time-keeping TAL takes: "+", an onset of up to 10 digits, 0x14 0x14 0x00. */
export const MAX_TIMEKEEPING_BYTES = 14;

/** The first of the annotations too long for a record, for a message: its label (cut at 40 characters) and its label's UTF-8 size. */
export function unfitExample(unfit: readonly EdfAnnotation[]): string {
  const label = unfit[0].label;
  return `"${label.length > 40 ? `${label.slice(0, 40)}…` : label}": a label of ${utf8(label).length} bytes of UTF-8`;
}

function trimNumber(x: number): string {
  return x.toFixed(6).replace(/\.?0+$/, '');
}

function formatOnset(sec: number): string {
  return (sec >= 0 ? '+' : '-') + trimNumber(Math.abs(sec));
}

/** UTF-8 bytes of a string (annotation texts are UTF-8 in EDF+). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}
