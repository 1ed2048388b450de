// XDF chunk scan: the one walk over a file that XdfReader.open does, keeping no samples. Owns the
// byte layout below, the stream headers, and the block table (where each numeric stream's samples
// sit in the file, with sums of their time stamps); marker streams keep their stamps and texts.
// Clock synchronisation and de-jittering of the stamps are in xdf-clock.ts, the reader in xdf.ts.
//
// Layout: "XDF:" then chunks  [NumLengthBytes 1|4|8][Length, little-endian][Tag u16][content].
// Tags: 1 FileHeader (XML), 2 StreamHeader (u32 stream id + XML: name, type, channel_count,
// nominal_srate, channel_format, desc/channels), 3 Samples (u32 stream id, varint sample count, then
// per sample: a time-stamp byte 8 (a double follows) or 0 (deduced: previous + 1/nominal rate), the
// values, little-endian, numeric channel formats float32 double64 int8 int16 int32 int64, or per
// channel a varint length and UTF-8 bytes for string), 4 ClockOffset (u32 id, f64 collection time,
// f64 offset), 5 Boundary (a 16-byte UUID, to resynchronise after corruption), 6 StreamFooter (XML).
//
// Blocks: ≤ 1024 samples of one stream inside one Samples chunk (byte range, first sample, and the
// sums of the time stamps that de-jittering needs), cut where the stamps step by more than 0.9 s so
// that breaks fall between blocks. A corrupt chunk is rolled back whole, and the scan resumes at
// the next Boundary chunk, as pyxdf does.

import { RecordingFormatError } from './recording.js';
import { readExact, SequentialReader, type ByteSource } from './source.js';
import { decodeUtf8 } from './text-decode.js';
import { parseXml, xmlChild, xmlChildren, xmlText, type XmlElement } from './xml-lite.js';

const MAGIC = [0x58, 0x44, 0x46, 0x3a]; // "XDF:"
const BOUNDARY = [0x43, 0xa5, 0x46, 0xdc, 0xcb, 0xf5, 0x41, 0x0f, 0xb3, 0x0e, 0xd5, 0x46, 0x73, 0x83, 0xcb, 0xe4];
const BLOCK_SAMPLES = 1024;
/** A step between time stamps beyond this ends a block, so that breaks fall between blocks. */
const BLOCK_BREAK_SEC = 0.9;
const MAX_XML_BYTES = 16 << 20;
const MAX_CHANNELS = 65536;
/** Markers kept per stream (the rest are counted, not read). */
export const MAX_MARKERS = 1_000_000;
const MAX_STRING_BYTES = 16 << 20;
/** Bytes read at once (the scan's window, and the reader's read-ahead). */
export const READ_BYTES = 4 << 20;

export type ValueFormat = 'float32' | 'double64' | 'int8' | 'int16' | 'int32' | 'int64' | 'string';
const VALUE_BYTES: Record<ValueFormat, number> = { float32: 4, double64: 8, int8: 1, int16: 2, int32: 4, int64: 8, string: 0 };
/** The value range of the integer formats (their channels' physical range). */
export const INT_RANGE: Partial<Record<ValueFormat, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [-9223372036854775808, 9223372036854775807],
};

/** Up to BLOCK_SAMPLES samples of one stream, contiguous in one Samples chunk. */
export interface Block {
  pos: number;
  end: number;
  first: number;
  count: number;
  /** Raw time stamp of the sample before the block (for deduced stamps), first and last raw stamps, min/max. */
  tPrev: number;
  t0: number;
  tLast: number;
  tMin: number;
  tMax: number;
  /** Σ (t − t0) and Σ k·(t − t0), k = 0…count−1 (raw stamps). */
  s1: number;
  sk: number;
  /** Clock correction of the block (after sync): corrected = intercept + (1 + slope)·t. */
  intercept: number;
  slope: number;
}

const FIELDS = 13;
const [POS, END, FIRST, COUNT, TPREV, T0, TLAST, TMIN, TMAX, S1, SK, INTERCEPT, SLOPE] = Array.from({ length: FIELDS }, (_, i) => i);

/** Blocks stored flat in one growable Float64Array (a million blocks cost 100 MB as objects, 13× less here). */
export class BlockTable {
  private data = new Float64Array(64 * FIELDS);
  length = 0;

  add(b: Block): void {
    if ((this.length + 1) * FIELDS > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const o = this.length * FIELDS;
    const d = this.data;
    d[o + POS] = b.pos;
    d[o + END] = b.end;
    d[o + FIRST] = b.first;
    d[o + COUNT] = b.count;
    d[o + TPREV] = b.tPrev;
    d[o + T0] = b.t0;
    d[o + TLAST] = b.tLast;
    d[o + TMIN] = b.tMin;
    d[o + TMAX] = b.tMax;
    d[o + S1] = b.s1;
    d[o + SK] = b.sk;
    d[o + INTERCEPT] = b.intercept;
    d[o + SLOPE] = b.slope;
    this.length++;
  }

  get(i: number): Block {
    const d = this.data;
    const o = i * FIELDS;
    return {
      pos: d[o + POS],
      end: d[o + END],
      first: d[o + FIRST],
      count: d[o + COUNT],
      tPrev: d[o + TPREV],
      t0: d[o + T0],
      tLast: d[o + TLAST],
      tMin: d[o + TMIN],
      tMax: d[o + TMAX],
      s1: d[o + S1],
      sk: d[o + SK],
      intercept: d[o + INTERCEPT],
      slope: d[o + SLOPE],
    };
  }

  /** File offset of block i's first sample, and just past its last. */
  pos(i: number): number {
    return this.data[i * FIELDS + POS];
  }

  end(i: number): number {
    return this.data[i * FIELDS + END];
  }

  /** Stream index of block i's first sample. */
  first(i: number): number {
    return this.data[i * FIELDS + FIRST];
  }

  count(i: number): number {
    return this.data[i * FIELDS + COUNT];
  }

  setCorrection(i: number, intercept: number, slope: number): void {
    this.data[i * FIELDS + INTERCEPT] = intercept;
    this.data[i * FIELDS + SLOPE] = slope;
  }

  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }
}

/** One stream as the scan found it: its header, where its samples are, and its clock offsets. */
export interface XdfStream {
  id: number;
  name: string;
  type: string;
  channelCount: number;
  nominalRateHz: number;
  format: ValueFormat;
  valueBytes: number;
  tdiff: number;
  header: XmlElement;
  labels: string[];
  units: string[];
  channelTypes: string[];
  /** Raw stamp of the last sample scanned (the next deduced stamp follows it). */
  lastStamp: number;
  samples: number;
  /** Numeric streams: where the samples are (xdf-clock.ts sets each block's clock correction). */
  blocks: BlockTable;
  /** ClockOffset chunks: collection times and offsets. */
  clockTimes: number[];
  clockValues: number[];
  /** Numeric streams: each channel's smallest and largest value. */
  min: Float64Array;
  max: Float64Array;
  /** Marker streams: raw stamps and labels. */
  markerStamps: number[];
  markerLabels: string[];
  keepsMarkers: boolean;
  footer: XmlElement | null;
}

function isMarkerLike(s: { name: string; type: string }): boolean {
  return /marker|event|trigger|stim/i.test(s.type) || /marker|event|trigger/i.test(s.name);
}

function parseStreamHeader(id: number, xml: XmlElement): XdfStream {
  const name = xmlText(xml, 'name') ?? `stream ${id}`;
  const what = `XDF stream ${id} (${name})`;
  const type = xmlText(xml, 'type') ?? '';
  const countText = xmlText(xml, 'channel_count') ?? '';
  const channelCount = Number(countText);
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_CHANNELS) {
    throw new RecordingFormatError(`${what}: channel_count "${countText}" is not a channel count (1-${MAX_CHANNELS})`);
  }
  const rateText = xmlText(xml, 'nominal_srate') ?? '0';
  const nominalRateHz = Number(rateText);
  if (!Number.isFinite(nominalRateHz) || nominalRateHz < 0 || nominalRateHz > 1e7) throw new RecordingFormatError(`${what}: nominal_srate "${rateText}" is not a rate`);
  const formatText = xmlText(xml, 'channel_format') ?? '';
  if (!(formatText in VALUE_BYTES)) throw new RecordingFormatError(`${what}: channel_format "${formatText}" is not one of ${Object.keys(VALUE_BYTES).join(', ')}`);
  const format = formatText as ValueFormat;
  const channels = xmlChildren(xmlChild(xmlChild(xml, 'desc'), 'channels'), 'channel');
  const labels: string[] = [];
  const units: string[] = [];
  const channelTypes: string[] = [];
  for (let c = 0; c < channelCount; c++) {
    const ch = channels[c];
    labels.push(xmlText(ch, 'label') || xmlText(ch, 'name') || `Ch${c + 1}`);
    units.push(xmlText(ch, 'unit') ?? '');
    channelTypes.push(xmlText(ch, 'type') ?? '');
  }
  const s: XdfStream = {
    id,
    name,
    type,
    channelCount,
    nominalRateHz,
    format,
    valueBytes: VALUE_BYTES[format],
    tdiff: nominalRateHz > 0 ? 1 / nominalRateHz : 0,
    header: xml,
    labels,
    units,
    channelTypes,
    lastStamp: 0,
    samples: 0,
    blocks: new BlockTable(),
    clockTimes: [],
    clockValues: [],
    min: new Float64Array(format === 'string' ? 0 : channelCount).fill(Infinity),
    max: new Float64Array(format === 'string' ? 0 : channelCount).fill(-Infinity),
    markerStamps: [],
    markerLabels: [],
    keepsMarkers: false,
    footer: null,
  };
  s.keepsMarkers = format === 'string' || (nominalRateHz === 0 && isMarkerLike(s));
  return s;
}

export type ValueGetter = (view: DataView, p: number) => number;

const GETTERS: Record<Exclude<ValueFormat, 'string'>, ValueGetter> = {
  float32: (v, p) => v.getFloat32(p, true),
  double64: (v, p) => v.getFloat64(p, true),
  int8: (v, p) => v.getInt8(p),
  int16: (v, p) => v.getInt16(p, true),
  int32: (v, p) => v.getInt32(p, true),
  int64: (v, p) => Number(v.getBigInt64(p, true)),
};

/** Reads one value of a numeric format at a byte offset (string streams read NaN). */
export function getter(format: ValueFormat): ValueGetter {
  return format === 'string' ? () => NaN : GETTERS[format];
}

/** Varint as XDF writes it: a byte 1, 4 or 8, then that many bytes, little-endian. */
async function readVarint(r: SequentialReader, what: string): Promise<number> {
  const width = await r.u8();
  if (width === 1) return r.u8();
  if (width === 4) return r.u32();
  if (width === 8) return r.u64();
  throw new RecordingFormatError(`${what}: invalid length prefix ${width} (must be 1, 4 or 8)`);
}

export interface XdfScan {
  streams: Map<number, XdfStream>;
  fileHeader: XmlElement | null;
  notes: string[];
}

/** Walks all chunks once (see the header comment). */
export async function scanXdf(source: ByteSource): Promise<XdfScan> {
  const magic = await readExact(source, 0, Math.min(4, source.size), 'XDF magic');
  if (magic.length < 4 || MAGIC.some((b, i) => magic[i] !== b)) {
    if (magic[0] === 0x1f && magic[1] === 0x8b) throw new RecordingFormatError('compressed XDF (.xdfz, gzip) is not supported: decompress it first');
    throw new RecordingFormatError('not an XDF file: it does not start with "XDF:"');
  }
  const streams = new Map<number, XdfStream>();
  const notes: string[] = [];
  let fileHeader: XmlElement | null = null;
  const r = new SequentialReader(source, 4, 'XDF chunk', source.size, READ_BYTES);
  let unknownStreamChunks = 0;
  let skippedCorrupt = 0;
  let chunks = 0;
  while (r.remaining > 0) {
    const chunkStart = r.pos;
    try {
      const length = await readVarint(r, `XDF chunk at byte ${chunkStart}`);
      const contentStart = r.pos;
      if (length < 2) throw new RecordingFormatError(`XDF chunk at byte ${chunkStart}: length ${length} is too short`);
      if (contentStart + length > source.size) {
        throw new RecordingFormatError(`the file ends inside the chunk at byte ${chunkStart} (it declares ${length} bytes, past the end of the file)`);
      }
      const end = contentStart + length;
      const tag = await r.u16();
      chunks++;
      if (tag === 1) {
        if (length - 2 > MAX_XML_BYTES) throw new RecordingFormatError(`XDF file header of ${length} bytes is too large`);
        fileHeader = parseXml(decodeUtf8(await r.bytes(length - 2)), 'XDF file header');
      } else if (tag === 2 || tag === 3 || tag === 4 || tag === 6) {
        if (length < 6) throw new RecordingFormatError(`XDF chunk at byte ${chunkStart}: too short for a stream id`);
        const id = await r.u32();
        if (tag === 2) {
          if (length - 6 > MAX_XML_BYTES) throw new RecordingFormatError(`XDF stream header of ${length} bytes is too large`);
          const xml = parseXml(decodeUtf8(await r.bytes(length - 6)), `XDF stream ${id} header`);
          if (streams.has(id)) notes.push(`Stream ${id} has a second header: the first one is kept.`);
          else streams.set(id, parseStreamHeader(id, xml));
        } else {
          const s = streams.get(id);
          if (!s) unknownStreamChunks++;
          else if (tag === 3) await scanSamples(r, s, end);
          else if (tag === 4) {
            if (length !== 22) throw new RecordingFormatError(`XDF clock offset chunk at byte ${chunkStart} has ${length} bytes, not 22`);
            const t = await r.f64();
            const v = await r.f64();
            if (Number.isFinite(t) && Number.isFinite(v)) {
              s.clockTimes.push(t);
              s.clockValues.push(v);
            }
          } else if (tag === 6) {
            if (length - 6 <= MAX_XML_BYTES) {
              try {
                s.footer = parseXml(decodeUtf8(await r.bytes(length - 6)), `XDF stream ${id} footer`);
              } catch {
                notes.push(`Stream ${id}: the footer is not valid XML (ignored).`);
              }
            }
          }
        }
      }
      // tag 5 (Boundary) and unknown tags are skipped
      r.pos = end;
    } catch (error) {
      if (!(error instanceof RecordingFormatError) || chunks === 0 || streams.size === 0) throw error;
      // resynchronise at the next boundary chunk, as pyxdf does
      const next = await findBoundary(source, chunkStart + 1);
      skippedCorrupt++;
      notes.push(`${error.message.replace(/^XDF /, '')}${next < 0 ? ': the rest of the file is ignored.' : `: skipped to the boundary chunk at byte ${next}.`}`);
      if (next < 0) break;
      r.pos = next;
    }
  }
  if (unknownStreamChunks) notes.push(`${unknownStreamChunks} chunks refer to streams without a header and were skipped.`);
  if (skippedCorrupt) notes.push(`${skippedCorrupt} corrupt regions skipped.`);
  return { streams, fileHeader, notes };
}

/** Offset just after the next boundary chunk's UUID at or after `from`, or -1. */
async function findBoundary(source: ByteSource, from: number): Promise<number> {
  const window = 1 << 20;
  for (let pos = from; pos < source.size; pos += window - BOUNDARY.length) {
    const bytes = await source.read(pos, Math.min(window, source.size - pos));
    let i = bytes.indexOf(BOUNDARY[0]);
    while (i >= 0 && i + BOUNDARY.length <= bytes.length) {
      if (BOUNDARY.every((b, k) => bytes[i + k] === b)) return pos + i + BOUNDARY.length;
      i = bytes.indexOf(BOUNDARY[0], i + 1);
    }
    if (bytes.length < window) break;
  }
  return -1;
}

/** One Samples chunk: blocks and time-stamp sums (numeric), or markers (strings). */
async function scanSamples(r: SequentialReader, s: XdfStream, end: number): Promise<void> {
  const what = `XDF stream ${s.id} (${s.name}) samples at byte ${r.pos}`;
  r.setLimit(end);
  try {
    const n = await readVarint(r, what);
    const minSample = 1 + (s.format === 'string' ? s.channelCount : s.channelCount * s.valueBytes);
    if (!Number.isSafeInteger(n) || n * minSample > end - r.pos) {
      throw new RecordingFormatError(`${what}: ${n} samples cannot fit in the chunk's ${end - r.pos} bytes`);
    }
    // roll back on failure: nothing of a corrupt chunk is kept
    const saved = { samples: s.samples, blocks: s.blocks.length, last: s.lastStamp, markers: s.markerStamps.length };
    try {
      if (s.format === 'string') await scanStringSamples(r, s, n, what);
      else await scanNumericSamples(r, s, n, end, what);
    } catch (error) {
      s.samples = saved.samples;
      s.blocks.truncate(saved.blocks);
      s.lastStamp = saved.last;
      s.markerStamps.length = saved.markers;
      s.markerLabels.length = saved.markers;
      throw error;
    }
  } finally {
    r.setLimit(Infinity);
  }
}

// Scan state of a numeric Samples chunk, in a Float64Array so that the hot loop (a plain function,
// not the async one, whose locals V8 would box on every write) keeps numbers unboxed.
const ST_OPEN = 0;
const ST_POS = 1;
const ST_FIRST = 2;
const ST_COUNT = 3;
const ST_PREV = 4;
const ST_T0 = 5;
const ST_LAST = 6;
const ST_MIN = 7;
const ST_MAX = 8;
const ST_S1 = 9;
const ST_SK = 10;
const ST_STAMP = 11;
const ST_SAMPLES = 12;
const ST_K = 13;

function closeBlock(s: XdfStream, st: Float64Array, end: number): void {
  if (st[ST_OPEN] !== 1) return;
  s.blocks.add({
    pos: st[ST_POS],
    end,
    first: st[ST_FIRST],
    count: st[ST_COUNT],
    tPrev: st[ST_PREV],
    t0: st[ST_T0],
    tLast: st[ST_LAST],
    tMin: st[ST_MIN],
    tMax: st[ST_MAX],
    s1: st[ST_S1],
    sk: st[ST_SK],
    intercept: 0,
    slope: 0,
  });
  st[ST_OPEN] = 0;
}

/** Parses whole samples of bytes[at, limit) (file offset of `at`: absAt); returns the offset reached. */
function parseNumericWindow(s: XdfStream, bytes: Uint8Array, view: DataView, at: number, limit: number, absAt: number, n: number, st: Float64Array, what: string): number {
  const valueBytes = s.channelCount * s.valueBytes;
  const nch = s.channelCount;
  const vb = s.valueBytes;
  const get = getter(s.format);
  const measure = !INT_RANGE[s.format];
  const min = s.min;
  const max = s.max;
  const tdiff = s.tdiff;
  let k = st[ST_K];
  let last = st[ST_STAMP];
  let samples = st[ST_SAMPLES];
  let count = st[ST_COUNT];
  let t0 = st[ST_T0];
  let tMin = st[ST_MIN];
  let tMax = st[ST_MAX];
  let s1 = st[ST_S1];
  let sk = st[ST_SK];
  let p = at;
  while (k < n && p < limit) {
    const flag = bytes[p];
    if (flag !== 0 && flag !== 8) throw new RecordingFormatError(`${what}: sample ${k} has time-stamp byte ${flag} (must be 0 or 8)`);
    const size = 1 + flag + valueBytes;
    if (p + size > limit) break;
    const t = flag === 8 ? view.getFloat64(p + 1, true) : last + tdiff;
    if (!Number.isFinite(t)) throw new RecordingFormatError(`${what}: sample ${k} has time stamp ${t}`);
    if (st[ST_OPEN] !== 1 || count >= BLOCK_SAMPLES || Math.abs(t - last) > BLOCK_BREAK_SEC) {
      const samplePos = absAt + (p - at);
      st[ST_COUNT] = count;
      st[ST_LAST] = last;
      st[ST_MIN] = tMin;
      st[ST_MAX] = tMax;
      st[ST_S1] = s1;
      st[ST_SK] = sk;
      closeBlock(s, st, samplePos);
      st[ST_OPEN] = 1;
      st[ST_POS] = samplePos;
      st[ST_FIRST] = samples;
      st[ST_PREV] = last;
      st[ST_T0] = t;
      t0 = t;
      count = 0;
      tMin = t;
      tMax = t;
      s1 = 0;
      sk = 0;
    }
    const dt = t - t0;
    s1 += dt;
    sk += count * dt;
    count++;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    // value range (for the channel's physical range, when the format does not give one)
    if (measure) {
      let q = p + 1 + flag;
      for (let c = 0; c < nch; c++, q += vb) {
        const v = get(view, q);
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
    if (s.keepsMarkers && s.markerStamps.length < MAX_MARKERS) {
      s.markerStamps.push(t);
      s.markerLabels.push(String(get(view, p + 1 + flag)));
    }
    last = t;
    samples++;
    p += size;
    k++;
  }
  st[ST_K] = k;
  st[ST_STAMP] = last;
  st[ST_SAMPLES] = samples;
  st[ST_COUNT] = count;
  st[ST_LAST] = last;
  st[ST_MIN] = tMin;
  st[ST_MAX] = tMax;
  st[ST_S1] = s1;
  st[ST_SK] = sk;
  return p;
}

async function scanNumericSamples(r: SequentialReader, s: XdfStream, n: number, end: number, what: string): Promise<void> {
  const valueBytes = s.channelCount * s.valueBytes;
  const st = new Float64Array(14);
  st[ST_STAMP] = s.lastStamp;
  st[ST_SAMPLES] = s.samples;
  while (st[ST_K] < n) {
    const { bytes, view, at } = await r.peek(Math.min(end - r.pos, 9 + valueBytes));
    const limit = Math.min(bytes.length, at + (end - r.pos));
    const p = parseNumericWindow(s, bytes, view, at, limit, r.pos, n, st, what);
    if (p === at) throw new RecordingFormatError(`${what}: sample ${st[ST_K]} runs past the end of the chunk`);
    r.skip(p - at);
  }
  closeBlock(s, st, r.pos);
  s.lastStamp = st[ST_STAMP];
  s.samples = st[ST_SAMPLES];
}

async function scanStringSamples(r: SequentialReader, s: XdfStream, n: number, what: string): Promise<void> {
  for (let k = 0; k < n; k++) {
    const flag = await r.u8();
    if (flag !== 0 && flag !== 8) throw new RecordingFormatError(`${what}: sample ${k} has time-stamp byte ${flag} (must be 0 or 8)`);
    const t = flag === 8 ? await r.f64() : s.lastStamp + s.tdiff;
    const texts: string[] = [];
    for (let c = 0; c < s.channelCount; c++) {
      const length = await readVarint(r, what);
      if (length > MAX_STRING_BYTES || length > r.remaining) throw new RecordingFormatError(`${what}: a string of ${length} bytes runs past the chunk`);
      const text = decodeUtf8(await r.bytes(length));
      if (text !== '') texts.push(text);
    }
    s.lastStamp = t;
    s.samples++;
    if (s.markerStamps.length < MAX_MARKERS) {
      s.markerStamps.push(t);
      s.markerLabels.push(texts.join(', '));
    }
  }
}

/** Time stamps of a numeric block's samples and their byte offsets, read again from the file. */
export async function rereadBlock(source: ByteSource, s: XdfStream, b: Block): Promise<{ stamps: Float64Array; positions: Float64Array }> {
  const bytes = await readExact(source, b.pos, b.end - b.pos, `XDF stream ${s.id} samples`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stamps = new Float64Array(b.count);
  const positions = new Float64Array(b.count + 1);
  let last = b.tPrev;
  let p = 0;
  const valueBytes = s.channelCount * s.valueBytes;
  for (let k = 0; k < b.count; k++) {
    positions[k] = b.pos + p;
    const flag = bytes[p];
    const t = flag === 8 ? view.getFloat64(p + 1, true) : last + s.tdiff;
    stamps[k] = t;
    last = t;
    p += 1 + flag + valueBytes;
  }
  positions[b.count] = b.pos + p;
  return { stamps, positions };
}

/** A block's sums over samples [from, to) (local indices), from its re-read stamps. */
export function subBlock(b: Block, stamps: Float64Array, positions: Float64Array, from: number, to: number): Block {
  const t0 = stamps[from];
  let s1 = 0;
  let sk = 0;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let k = from; k < to; k++) {
    const dt = stamps[k] - t0;
    s1 += dt;
    sk += (k - from) * dt;
    tMin = Math.min(tMin, stamps[k]);
    tMax = Math.max(tMax, stamps[k]);
  }
  return {
    pos: positions[from],
    end: positions[to],
    first: b.first + from,
    count: to - from,
    tPrev: from === 0 ? b.tPrev : stamps[from - 1],
    t0,
    tLast: stamps[to - 1],
    tMin,
    tMax,
    s1,
    sk,
    intercept: 0,
    slope: 0,
  };
}
